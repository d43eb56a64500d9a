package flow

import "errors"

// Need is something a step needs before the technician may move past it.
type Need string

// NeedSignIn: a signed-in account (the device code flow succeeded).
const NeedSignIn Need = "sign-in"

// needs says what each step needs before Next may leave it.
var needs = map[StepID][]Need{
	StepSignIn: {NeedSignIn},
}

// ErrNeedsSignIn is returned by Next when the current step needs a
// signed-in account and there is none yet.
var ErrNeedsSignIn = errors.New("sign in first")

// Wizard is the technician's place in the procedure. It is a value: every
// method returns a new Wizard and changes nothing else, so the screens can
// be tested without a terminal and the order lives in one place.
type Wizard struct {
	account  Account
	steps    []Step
	pos      int
	signedIn bool
}

// NewWizard starts at the first step for the account type.
func NewWizard(a Account) Wizard {
	return Wizard{account: a, steps: StepsFor(a)}
}

func (w Wizard) Account() Account { return w.account }
func (w Wizard) Steps() []Step    { return w.steps }
func (w Wizard) Pos() int         { return w.pos }
func (w Wizard) Len() int         { return len(w.steps) }
func (w Wizard) Current() Step    { return w.steps[w.pos] }
func (w Wizard) SignedIn() bool   { return w.signedIn }
func (w Wizard) IsLast() bool     { return w.pos == len(w.steps)-1 }

// Has reports whether the step is part of this wizard (consent is not, for
// personal accounts).
func (w Wizard) Has(id StepID) bool { return w.index(id) >= 0 }

func (w Wizard) index(id StepID) int {
	for i, s := range w.steps {
		if s.ID == id {
			return i
		}
	}
	return -1
}

// Satisfied reports whether the current step's needs are met.
func (w Wizard) Satisfied() error {
	for _, n := range needs[w.Current().ID] {
		if n == NeedSignIn && !w.signedIn {
			return ErrNeedsSignIn
		}
	}
	return nil
}

// Next moves one step on, if the current step's needs are met.
func (w Wizard) Next() (Wizard, error) {
	if err := w.Satisfied(); err != nil {
		return w, err
	}
	if w.pos < len(w.steps)-1 {
		w.pos++
	}
	return w, nil
}

// Back moves one step back (never before the first).
func (w Wizard) Back() Wizard {
	if w.pos > 0 {
		w.pos--
	}
	return w
}

// Goto jumps to a step: back to any step, forward only across steps whose
// needs are met. A step the wizard does not have leaves it where it is.
func (w Wizard) Goto(id StepID) Wizard {
	i := w.index(id)
	if i < 0 {
		return w
	}
	for w.pos < i {
		next, err := w.Next()
		if err != nil {
			return w
		}
		w = next
	}
	w.pos = i
	return w
}

// WithAccount switches the account type, keeping the current step when
// the new list has it (personal accounts have no consent step).
func (w Wizard) WithAccount(a Account) Wizard {
	cur := w.Current().ID
	n := Wizard{account: a, steps: StepsFor(a), signedIn: false}
	if i := n.index(cur); i >= 0 {
		n.pos = i
	}
	return n
}

// WithSignIn records a successful sign-in (true) or forgets it (false: a
// new code was asked for, or the account type changed).
func (w Wizard) WithSignIn(ok bool) Wizard {
	w.signedIn = ok
	return w
}
