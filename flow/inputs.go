package flow

import (
	"context"
	"strconv"
	"strings"
)

// Input names one setting that a check's result can depend on.
type Input string

const (
	InputAccount     Input = "account"           // Exchange Online or Outlook.com
	InputScenario    Input = "scenario"          // the demo's training scenario
	InputIdentity    Input = "identity-provider" // authority, tenant, client id
	InputUPN         Input = "signed-in-account" // who the sign-in returned
	InputSender      Input = "sender"
	InputDisplayName Input = "display-name"
	InputFrom        Input = "from-settings"
	InputLogin       Input = "login-credentials"
	InputDeviceEmail Input = "device-email"
	InputRecipient   Input = "recipient"
	InputSMTP        Input = "smtp-server" // host and port
)

// AllInputs lists every input, in the order the technician meets them.
var AllInputs = []Input{InputAccount, InputScenario, InputIdentity, InputUPN, InputSender,
	InputDisplayName, InputFrom, InputLogin, InputDeviceEmail, InputRecipient, InputSMTP}

// Inputs are the settings in force when something ran: every result that
// came from the network (reachability, sign-in, test send) is recorded
// with the Inputs it ran with, and is shown only while they still hold.
type Inputs struct {
	Account     Account
	Scenario    string
	Identity    string
	UPN         string
	Sender      string
	DisplayName string
	From        string
	Login       LoginCredentials
	DeviceEmail string
	Recipient   string
	SMTP        string
}

func (in Inputs) value(i Input) string {
	switch i {
	case InputAccount:
		return string(in.Account)
	case InputScenario:
		return in.Scenario
	case InputIdentity:
		return in.Identity
	case InputUPN:
		return strings.ToLower(in.UPN)
	case InputSender:
		return strings.ToLower(in.Sender)
	case InputDisplayName:
		return in.DisplayName
	case InputFrom:
		return in.From
	case InputLogin:
		return string(in.Login)
	case InputDeviceEmail:
		return strings.ToLower(in.DeviceEmail)
	case InputRecipient:
		return strings.ToLower(in.Recipient)
	case InputSMTP:
		return in.SMTP
	}
	return ""
}

// Changed lists which of the given inputs differ between in and now.
func (in Inputs) Changed(now Inputs, which []Input) []Input {
	var out []Input
	for _, i := range which {
		if in.value(i) != now.value(i) {
			out = append(out, i)
		}
	}
	return out
}

// Target is where a test send goes: the SMTP server and the recipient.
type Target struct {
	SMTPHost string
	SMTPPort int
	To       string // "" = the signed-in account's primary address
}

// Microsoft's SMTP submission endpoint, the test send's default.
const (
	DefaultSMTPHost = "smtp.office365.com"
	DefaultSMTPPort = 587
)

// WithDefaults fills in Exchange Online's submission endpoint.
func (t Target) WithDefaults() Target {
	if strings.TrimSpace(t.SMTPHost) == "" {
		t.SMTPHost = DefaultSMTPHost
	}
	if t.SMTPPort == 0 {
		t.SMTPPort = DefaultSMTPPort
	}
	return t
}

// Recipient is the address the test message goes to.
func (t Target) Recipient(s *Session) string {
	if to := strings.TrimSpace(t.To); to != "" {
		return to
	}
	if s != nil {
		return s.Identity.PrimaryAddress()
	}
	return ""
}

// InputsOf are the settings in force: what the technician chose and
// answered, where the test send goes, and who is signed in.
func InputsOf(cfg Config, scenario string, a Answers, t Target, s *Session) Inputs {
	cfg = cfg.WithDefaults()
	t = t.WithDefaults()
	in := Inputs{
		Account:     cfg.Account,
		Scenario:    scenario,
		Identity:    strings.Join([]string{cfg.Authority, cfg.Tenant, cfg.ClientID, cfg.DeviceAuthURL, cfg.TokenURL}, " "),
		DisplayName: a.DisplayName,
		From:        a.GuestEdit + "/" + a.NoAuthEdit,
		Login:       a.LoginCredentials,
		DeviceEmail: strings.TrimSpace(a.DeviceEmail),
		Recipient:   t.Recipient(s),
		SMTP:        t.SMTPHost + ":" + strconv.Itoa(t.SMTPPort),
	}
	if s != nil {
		in.UPN = s.Identity.UPN
		in.Sender = a.SenderOrUPN(s.Identity.UPN)
	} else {
		in.Sender = strings.TrimSpace(a.Sender)
	}
	return in
}

// evidence says, for each check, which inputs the recorded result it
// reads was obtained with. A check whose evidence ran with other values
// than the ones in force is stale. Checks that judge only the answers
// (login credentials) have no evidence: they are judged anew every time.
var evidence = map[string][]Input{
	CheckNetwork:     {InputScenario, InputIdentity, InputSMTP},
	CheckConsent:     {InputAccount, InputScenario, InputIdentity},
	CheckSignIn:      {InputAccount, InputScenario, InputIdentity},
	CheckDeviceEmail: {InputAccount, InputScenario, InputIdentity},
	// The sender policy reads the sign-in, and the test send's probe when
	// the sender is not the UPN (sendEvidence, added in Checks).
	CheckSenderPolicy:     {InputAccount, InputScenario, InputIdentity},
	CheckLoginCredentials: nil,
	// AUTH comes before MAIL FROM: who sends and to whom does not change it.
	CheckSMTPAuth: {InputAccount, InputScenario, InputIdentity, InputUPN, InputSMTP},
	CheckTestSend: sendEvidence,
	// The device signed in as the account the wizard checked: another
	// account, tenant or identity provider needs its sign-in again.
	CheckDeviceSignIn: {InputAccount, InputScenario, InputIdentity, InputUPN},
	// A scan that arrived proves the device as it was then described: a
	// change to any of its settings needs another scan.
	CheckDeviceScan: {InputAccount, InputScenario, InputIdentity, InputUPN, InputSender,
		InputDisplayName, InputFrom, InputLogin, InputDeviceEmail},
}

// sendEvidence: everything the test message was sent with.
var sendEvidence = []Input{InputAccount, InputScenario, InputIdentity, InputUPN, InputSMTP,
	InputSender, InputDisplayName, InputRecipient}

// Evidence lists the inputs a check's result depends on (for tests and
// documentation). The sender policy also depends on the test send's
// inputs while the sender is not the UPN.
func Evidence(id string) []Input { return append([]Input(nil), evidence[id]...) }

// RecordSignIn records how a sign-in ended, with the inputs in force.
func (o *Outcome) RecordSignIn(s *Session, p *Problem) {
	o.SignIn = &SignInRun{Inputs: InputsOf(o.Config, o.Scenario, o.Answers, o.Target, s), Session: s, Problem: p}
}

// CheckReach runs the network pre-check: the identity provider over HTTPS
// and the SMTP server over TCP. The result carries the inputs it ran with.
func CheckReach(ctx context.Context, cfg Config, scenario string, t Target) ReachRun {
	cfg = cfg.WithDefaults()
	t = t.WithDefaults()
	run := ReachRun{Inputs: InputsOf(cfg, scenario, Answers{}, t, nil), Results: []Reach{
		ReachHTTPS(ctx, cfg.Lang, cfg.IdentityHost()),
		ReachTCP(ctx, cfg.Lang, t.SMTPHost, t.SMTPPort),
	}}
	for _, r := range run.Results {
		logReach(cfg, r)
	}
	return run
}
