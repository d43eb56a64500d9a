package ui

import (
	"charm.land/bubbles/v2/key"

	"mfpmail/assets"
)

// KeyMap is every key the wizard answers, each with its help text in the
// wizard's language. Screens match keys only with key.Matches against
// these bindings, and list the ones that work in their current state in
// ShortHelp (the key line, most important first) and FullHelp (? help,
// every key): a key cannot work without being listed, nor be listed
// without working. The root adds ? help and quit to every screen.
type KeyMap struct {
	// Everywhere.
	Next, Back, Help, CloseHelp, Quit, QuitTyping key.Binding
	// BackEsc is esc alone, where a text field takes backspace and b.
	BackEsc key.Binding
	// BackAll is Back as ? help lists it: every key that goes back.
	BackAll key.Binding

	// Scroll lists the scrolling keys in the help; the viewports match
	// LineUp…PageDown.
	Scroll, LineUp, LineDown, PageUp, PageDown key.Binding

	// The first screen: the account type, its page on short windows, and
	// in the demo the scenario picker.
	Choose, More, Scenario key.Binding
	// ChooseOne and ChooseTwo pick an account by its number; Option
	// changes the choice of the focused row (account or web UI).
	ChooseOne, ChooseTwo, Option key.Binding
	PickMove, Pick, Cancel       key.Binding

	// Sign-in and consent.
	Copy, NewCode, Approve, Grant, ToggleQR, CloseQR key.Binding
	// After a failed sign-in, Enter goes to the step that fixes it
	// (ToConsent) or asks for a new code (NewCodeEnter).
	ToConsent, NewCodeEnter key.Binding

	// Checks run again.
	Retry key.Binding

	// Text fields: opening one, and leaving it.
	EditDevice, EditTo, FieldDone, FieldLeave key.Binding
	// The settings form: moving between fields, changing a choice.
	Field, Change key.Binding
	// FieldPrev and FieldNext are Field's two directions.
	FieldPrev, FieldNext key.Binding

	// The test message.
	Send, Transcript, CloseTranscript, AdminFix key.Binding

	// The device's own sign-in: did it succeed?
	Yes, No key.Binding
	// The device's own scan to email (on the summary): did it arrive?
	ScanYes, ScanNo, ScanNotTried key.Binding
	// The device's prerequisites: 1 and 2 cycle a question's answer.
	Prereq key.Binding
	// Paste opens the field for what the device shows after its sign-in
	// or scan failed.
	Paste key.Binding
	// FieldScroll pages the screen while a field that explains what it
	// is given has the keyboard (its explanation may run below).
	FieldScroll key.Binding

	// The report.
	Report, Save, Overwrite, Keep key.Binding
	// Quitting with results not written: quit all the same, or stay.
	QuitYes, Stay key.Binding
}

// NewKeyMap builds the bindings with help texts in lang.
func NewKeyMap(lang assets.Lang) KeyMap {
	t := func(k string) string { return assets.T(lang, "ui.key."+k) }
	b := func(help, desc string, keys ...string) key.Binding {
		return key.NewBinding(key.WithKeys(keys...), key.WithHelp(help, t(desc)))
	}
	hidden := func(keys ...string) key.Binding { return key.NewBinding(key.WithKeys(keys...)) }
	km := KeyMap{
		Next:       b("enter", "next", "enter"),
		Back:       b("esc", "back", "esc", "backspace", "b"),
		BackEsc:    b("esc", "back", "esc"),
		BackAll:    b("esc/b/backspace", "back", "esc", "backspace", "b"),
		Help:       b("?", "help", "?"),
		CloseHelp:  b("?/esc", "close", "?", "esc"),
		Quit:       b("q", "quit", "q", "ctrl+c"),
		QuitTyping: b("ctrl+c", "quit", "ctrl+c"),

		Scroll:   b("up/down", "scroll", "up", "down", "k", "j", "pgup", "pgdown", "space"),
		LineUp:   hidden("up", "k"),
		LineDown: hidden("down", "j"),
		PageUp:   hidden("pgup"),
		PageDown: hidden("pgdown", "space"),

		Choose:    b("up/down", "choose", "up", "down", "left", "right", "tab", "k", "j", "1", "2"),
		More:      b("pgdn", "more", "pgdown", "pgup"),
		ChooseOne: hidden("1"),
		ChooseTwo: hidden("2"),
		Option:    b("left/right", "change", "left", "right", "space", "1", "2"),
		Scenario:  b("s", "scenario", "s"),
		PickMove:  b("up/down", "choose", "up", "down", "k", "j"),
		Pick:      b("enter", "choose", "enter"),
		Cancel:    b("esc", "cancel", "esc"),
	}
	km.actions(b)
	return km
}

// actions are the keys of the screens' own work: sign-in, fields, the
// test message, the report.
func (km *KeyMap) actions(b func(help, desc string, keys ...string) key.Binding) {
	km.Copy = b("c", "copy", "c")
	km.NewCode = b("n", "newcode", "n")
	km.ToConsent = b("enter", "to_consent", "enter")
	km.NewCodeEnter = b("enter/n", "newcode", "enter", "n")
	km.Approve = b("a", "approve", "a")
	km.Grant = b("g", "grant", "g")
	km.ToggleQR = b("v", "qr", "v")
	km.CloseQR = b("v/esc", "close", "v", "esc", "enter", "backspace", "b")
	km.Retry = b("r", "retry", "r")

	km.EditDevice = b("e", "edit_device", "e", "tab")
	km.EditTo = b("e", "edit_to", "e", "tab")
	km.FieldDone = b("enter/esc", "done", "enter", "tab", "esc")
	km.FieldLeave = b("esc", "done", "esc", "tab")
	km.Field = b("up/down", "field", "up", "down", "tab", "shift+tab")
	km.Change = b("left/right", "change", "left", "right", "space")
	km.FieldPrev = key.NewBinding(key.WithKeys("up", "shift+tab")) // Field's two directions
	km.FieldNext = key.NewBinding(key.WithKeys("down", "tab"))

	km.Send = b("enter", "send", "enter")
	km.Transcript = b("t", "transcript", "t")
	km.CloseTranscript = b("t/esc", "close", "t", "esc", "backspace", "b")
	km.AdminFix = b("x", "admin", "x")

	km.Yes = b("y", "yes", "y")
	km.No = b("n", "no", "n")
	km.ScanYes = b("y", "scan_yes", "y")
	km.ScanNo = b("n", "scan_no", "n")
	km.ScanNotTried = b("t", "scan_not_tried", "t")
	km.Prereq = b("1/2", "prereq", "1", "2")
	km.Paste = b("p", "paste", "p")
	km.FieldScroll = b("pgup/pgdn", "scroll", "pgup", "pgdown")

	km.Report = b("r", "report", "r")
	km.Save = b("enter", "save", "enter")
	km.Overwrite = b("y", "overwrite", "y", "Y")
	km.Keep = b("n", "keep", "n", "N", "esc")
	km.QuitYes = b("y", "quit", "y", "Y")
	km.Stay = b("n", "stay", "n", "N", "esc")
}
