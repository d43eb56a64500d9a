package flow

// The vendor procedure as data: the order of the steps, and one Page per
// step assembled from the texts in assets/text/<lang>/steps.json.
//
// # Key scheme
//
// Step texts, for step <id> (a StepID such as "service-provider"):
//
//	step.<id>.title                 screen title
//	step.<id>.lead                  one or two sentences: what the step achieves
//	step.<id>.menu                  menu path on the device ("" or absent: none)
//	step.<id>.action.<n>            actions, n = 1, 2, 3 … (consecutive)
//	step.<id>.setting.<n>.label     a device field (usually a {label} placeholder)
//	step.<id>.setting.<n>.value     the value to enter or check
//	step.<id>.setting.<n>.note      optional, a short remark on that value
//	step.<id>.important.<n>         notes of kind "important"
//	step.<id>.tip.<n>               notes of kind "tip" (they follow the important ones)
//	step.<id>.trouble.<n>           what to do when the step fails, one case each
//	step.<id>.ref                   where the step sits in the procedure, localised
//
// Any of these may be narrowed to a web UI generation and/or an account
// type by inserting segments after the id: step.<id>.<gen>.<field>,
// step.<id>.<account>.<field>, step.<id>.<gen>.<account>.<field>, where
// <gen> is cwis or is and <account> is work or personal. The most specific
// one wins, in the order gen+account, gen, account, plain. A numbered list
// (action, setting, important, tip) is taken as a whole from the most
// specific prefix that defines its item 1; an item 1 that is the empty
// string means "no items here" (e.g. step.sign-in.personal.important.1 = ""
// drops the Entra ID note for Outlook.com).
//
// Device labels, for generation <gen>:
//
//	label.<gen>.<key>               e.g. label.cwis.service_provider = "[Service Provider]"
//
// Every step text may use {<key>} for any label key of the page's
// generation (LabelKeys and LabelExtraKeys), plus {host}, {port_send} and
// {port_receive}. So one sentence serves both generations, and a
// generation-specific text is needed only where the procedure's actions
// differ.
//
// # Where the labels come from
//
//   - en + cwis: quoted exactly from the English procedure (CentreWare
//     Internet Services). Only network_menu (the [Protocols] page that holds
//     the DNS/TCP/IP and proxy pages) is derived from the procedure's SMTP
//     menu path; the procedure names no page for DNS or proxy.
//   - ja + is: quoted exactly from the Japanese procedure (Internet
//     Services), except properties_tab ([ログイン], the login button),
//     network_menu ([ネットワーク]), smtp_host ([SMTP サーバー名]) and
//     smtp_port_send ([送信ポート番号]), which the procedure does not name
//     and which are renderings.
//   - en + is: renderings. English wording for the Internet Services labels,
//     keeping the Japanese procedure's menu structure; where the control is
//     the same as on CentreWare the CentreWare English wording is reused
//     ([Login Credentials for Email Send], [System], [Service Provider]…).
//   - ja + cwis: renderings. Japanese wording for the CentreWare labels,
//     keeping the English procedure's menu structure ([プロパティ] tab,
//     [適用]…); terms the Japanese procedure uses for the same thing are
//     reused ([サービスプロバイダー], [指定しない], [機械の詳細], 本体メールアドレス).

import (
	"fmt"
	"strconv"
	"strings"

	"mfpmail/assets"
)

// StepID names a step of the wizard.
type StepID string

const (
	StepWelcome         StepID = "welcome"          // account type; what to have ready
	StepConsent         StepID = "consent"          // administrator consent in Entra ID (work only)
	StepDeviceLogin     StepID = "device-login"     // log in to the web UI as administrator
	StepNetwork         StepID = "network"          // DNS and proxy
	StepSMTPServer      StepID = "smtp-server"      // SMTP page; login credentials = System
	StepServiceProvider StepID = "service-provider" // Exchange Online/Outlook.com, host, ports, save
	StepFromAddress     StepID = "from-address"     // From-address settings (SendAsDenied)
	StepSignIn          StepID = "sign-in"          // the wizard signs in first, to check the account
	StepDeviceSignIn    StepID = "device-sign-in"   // the device's own sign-in: [Open Authentication Page], code, sign-in
	StepIdentity        StepID = "identity"         // Device Email Address must equal the UPN
	StepSenderPolicy    StepID = "sender-policy"    // what the device is set to: login credentials, From settings, sender
	StepTestSend        StepID = "test-send"        // live test message
	StepSummary         StepID = "summary"          // every check, and the values for the device
)

// Account is the kind of Microsoft account the device will send from.
type Account string

const (
	AccountWork     Account = "work"     // Exchange Online (Microsoft 365 / Entra ID)
	AccountPersonal Account = "personal" // Outlook.com (Microsoft account)
)

// ParseAccount accepts "work" or "personal" (any case).
func ParseAccount(s string) (Account, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case string(AccountWork):
		return AccountWork, nil
	case string(AccountPersonal):
		return AccountPersonal, nil
	}
	return "", fmt.Errorf("--account %q: allowed values are work, personal", s)
}

// UIGen is the generation of the device's web UI. The two differ in menu
// paths and in the names of the settings.
type UIGen string

const (
	UICWIS UIGen = "cwis" // CentreWare Internet Services (older models)
	UIIS   UIGen = "is"   // Internet Services (newer models)
)

// UIGens lists the web UI generations, CentreWare first.
var UIGens = []UIGen{UICWIS, UIIS}

// DefaultUIGen is the web UI assumed until the technician says otherwise:
// Internet Services in Japanese (the Japanese procedure's), CentreWare
// Internet Services in English (the English procedure's).
func DefaultUIGen(lang assets.Lang) UIGen {
	if lang == assets.JA {
		return UIIS
	}
	return UICWIS
}

// ParseUIGen accepts "cwis" or "is" (any case).
func ParseUIGen(s string) (UIGen, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case string(UICWIS):
		return UICWIS, nil
	case string(UIIS):
		return UIIS, nil
	}
	return "", fmt.Errorf("--ui %q: allowed values are cwis (CentreWare Internet Services), is (Internet Services)", s)
}

// Name is the product name of that web UI, as the technician sees it.
func (g UIGen) Name(lang assets.Lang) string {
	switch g {
	case UICWIS, UIIS:
		return Label(lang, g, "web_ui")
	}
	return string(g)
}

// ShortName is the web UI's short name (CWIS, IS), for narrow windows.
func (g UIGen) ShortName(lang assets.Lang) string {
	switch g {
	case UICWIS, UIIS:
		return Label(lang, g, "web_ui_short")
	}
	return string(g)
}

// Step is one screen of the wizard.
type Step struct {
	ID       StepID
	WorkOnly bool   // skipped for personal accounts (consent)
	ProcRef  string // where it sits in the vendor procedure (English); "" = the wizard's own step
}

// Ref is ProcRef in lang.
func (s Step) Ref(lang assets.Lang) string {
	k := "step." + string(s.ID) + ".ref"
	if stepHasKey(lang, k) {
		return assets.T(lang, k)
	}
	return s.ProcRef
}

// Procedure lists every step in order.
var Procedure = []Step{
	{ID: StepWelcome},
	{ID: StepConsent, WorkOnly: true, ProcRef: "Administrator consent 1–4"},
	{ID: StepDeviceLogin, ProcRef: "SMTP server settings 1"},
	{ID: StepNetwork, ProcRef: "SMTP server settings 2"},
	{ID: StepSMTPServer, ProcRef: "SMTP server settings 3"},
	{ID: StepServiceProvider, ProcRef: "SMTP server settings 4–5"},
	{ID: StepFromAddress, ProcRef: "SMTP server settings, Important"},
	{ID: StepSignIn, ProcRef: "SMTP server settings 7–8"},
	{ID: StepDeviceSignIn, ProcRef: "SMTP server settings 6–9"},
	{ID: StepIdentity, ProcRef: "SMTP server settings 9, Important"},
	{ID: StepSenderPolicy, ProcRef: "SMTP server settings 3, Important"},
	{ID: StepTestSend},
	{ID: StepSummary},
}

// StepsFor is Procedure without the work-only steps for personal accounts.
func StepsFor(a Account) []Step {
	out := make([]Step, 0, len(Procedure))
	for _, s := range Procedure {
		if s.WorkOnly && a == AccountPersonal {
			continue
		}
		out = append(out, s)
	}
	return out
}

// StepByID finds a step of Procedure.
func StepByID(id StepID) (Step, bool) {
	for _, s := range Procedure {
		if s.ID == id {
			return s, true
		}
	}
	return Step{}, false
}

// Setting is a field on the device's screen: Label is quoted as the screen
// shows it, brackets included.
type Setting struct {
	Label string `json:"label"`
	Value string `json:"value"`
	Note  string `json:"note,omitempty"`
}

// NoteKind tells an important note from a tip.
type NoteKind string

const (
	NoteImportant NoteKind = "important"
	NoteTip       NoteKind = "tip"
)

// Note is one of the procedure's notes, placed at the step where it matters.
type Note struct {
	Kind NoteKind
	Text string
}

// Page is what one step's screen says.
type Page struct {
	Title    string
	Lead     string    // what the step achieves
	MenuPath string    // where to go on the device; "" when the step has none
	Actions  []string  // what the technician does, in order
	Settings []Setting // the values to enter or check
	Notes    []Note    // important notes first, then tips
	Trouble  []string  // what to do when the step fails, one case each
	// Rendered: the page quotes a device label that no vendor procedure
	// gives in this language for this web UI (see RenderedLabel), so its
	// wording is the wizard's, not the vendor's.
	Rendered bool
}

// LabelKeys are the device labels every generation defines in both
// languages; other screens quote them through Label.
var LabelKeys = []string{
	"properties_tab",           // where the administrator logs in: [Properties] tab / [ログイン]
	"smtp_menu",                // menu path to the SMTP server page
	"login_credentials",        // [Login Credentials for Email Send] / [送信時の認証ユーザー]
	"login_credentials_system", // its required value
	"login_credentials_remote", // its value that breaks sending
	"service_provider",
	"service_provider_exo",
	"service_provider_none",
	"smtp_host",
	"smtp_port_send",
	"smtp_port_receive",
	"apply", // the save button of the SMTP page
	"open_auth_page",
	"next",
	"from_menu", // menu path to the From-address settings (incl. [Edit] on CWIS)
	"from_guest_edit",
	"from_guest_edit_safe",
	"from_noauth_edit",
	"from_noauth_edit_safe",
	"device_details",
	"device_email",
}

// LabelExtraKeys are the other label.<gen>.<key> texts: the web UI's
// name, the administrator's role and the network settings menu.
var LabelExtraKeys = []string{"web_ui", "web_ui_short", "admin_role", "network_menu"}

// RenderedLabel reports whether a device label is the wizard's rendering
// rather than a quotation from the vendor's procedure: every label of a
// combination no procedure covers (English with Internet Services,
// Japanese with CentreWare Internet Services), and the few labels each
// procedure leaves unnamed (see "Where the labels come from" above).
// Product names (web_ui, web_ui_short) and the administrator's role are
// never renderings.
func RenderedLabel(lang assets.Lang, gen UIGen, key string) bool {
	switch key {
	case "web_ui", "web_ui_short", "admin_role":
		return false
	}
	gen = stepGen(gen)
	switch {
	case lang == assets.EN && gen == UICWIS:
		return key == "network_menu"
	case lang == assets.JA && gen == UIIS:
		switch key {
		case "properties_tab", "network_menu", "smtp_host", "smtp_port_send":
			return true
		}
		return false
	}
	return true
}

// Values the service-provider step shows; the device fills them in itself
// once Exchange Online/Outlook.com is selected.
const (
	stepSMTPHost    = DefaultSMTPHost
	stepSendPort    = "587"
	stepReceivePort = "25"
)

// Label returns one device label of generation gen in lang, e.g.
// Label(assets.EN, UICWIS, "service_provider") == "[Service Provider]".
// An unknown generation is taken as CentreWare; an unknown key comes back
// as its full text key, as assets.T does.
func Label(lang assets.Lang, gen UIGen, key string) string {
	return assets.T(lang, "label."+string(stepGen(gen))+"."+key)
}

// PageFor assembles the page of step id. It never panics: an unknown step
// gives Page{Title: string(id)}, an unknown generation is taken as
// CentreWare and an unknown account type as work.
func PageFor(lang assets.Lang, gen UIGen, a Account, id StepID) Page {
	if _, ok := StepByID(id); !ok {
		return Page{Title: string(id)}
	}
	gen = stepGen(gen)
	if a != AccountPersonal {
		a = AccountWork
	}
	base := "step." + string(id) + "."
	pb := pageBuilder{
		lang: lang,
		prefixes: []string{
			base + string(gen) + "." + string(a) + ".",
			base + string(gen) + ".",
			base + string(a) + ".",
			base,
		},
		kv:       stepPlaceholders(lang, gen),
		rendered: renderedPlaceholders(lang, gen),
	}
	p := Page{
		Title:    pb.text("title"),
		Lead:     pb.text("lead"),
		MenuPath: pb.text("menu"),
		Actions:  pb.list("action"),
	}
	if prefix, n := pb.find("setting", ".label"); n > 0 {
		for i := 1; i <= n; i++ {
			item := prefix + "setting." + strconv.Itoa(i) + "."
			p.Settings = append(p.Settings, Setting{
				Label: pb.get(item + "label"),
				Value: pb.get(item + "value"),
				Note:  pb.get(item + "note"),
			})
		}
	}
	for _, t := range pb.list("important") {
		p.Notes = append(p.Notes, Note{Kind: NoteImportant, Text: t})
	}
	for _, t := range pb.list("tip") {
		p.Notes = append(p.Notes, Note{Kind: NoteTip, Text: t})
	}
	p.Trouble = pb.list("trouble")
	p.Rendered = pb.usedRendered
	return p
}

func stepGen(g UIGen) UIGen {
	if g == UIIS {
		return UIIS
	}
	return UICWIS
}

// stepPlaceholders are the {name} values every step text may use.
func stepPlaceholders(lang assets.Lang, gen UIGen) []string {
	return append(labels(lang, gen), "host", stepSMTPHost, "port_send", stepSendPort, "port_receive", stepReceivePort)
}

// labels are the device's labels of generation gen as {name}
// placeholders: every one of LabelKeys and LabelExtraKeys.
func labels(lang assets.Lang, gen UIGen) []string {
	kv := make([]string, 0, 2*(len(LabelKeys)+len(LabelExtraKeys)+3))
	for _, keys := range [][]string{LabelKeys, LabelExtraKeys} {
		for _, k := range keys {
			kv = append(kv, k, Label(lang, gen, k))
		}
	}
	return kv
}

// renderedPlaceholders are the {name}s of the labels that are renderings
// in this language and web UI.
func renderedPlaceholders(lang assets.Lang, gen UIGen) []string {
	var out []string
	for _, k := range append(append([]string(nil), LabelKeys...), LabelExtraKeys...) {
		if RenderedLabel(lang, gen, k) {
			out = append(out, "{"+k+"}")
		}
	}
	return out
}

// stepHasKey: T would find key for lang (itself or through English).
func stepHasKey(lang assets.Lang, key string) bool {
	return assets.Has(lang, key) || assets.Has(assets.EN, key)
}

type pageBuilder struct {
	lang     assets.Lang
	prefixes []string // most specific first
	kv       []string
	rendered []string // placeholders of labels that are renderings
	// usedRendered: a text taken so far quotes one of them.
	usedRendered bool
}

func (b *pageBuilder) get(key string) string {
	if !stepHasKey(b.lang, key) {
		return ""
	}
	raw := assets.T(b.lang, key)
	for _, r := range b.rendered {
		if strings.Contains(raw, r) {
			b.usedRendered = true
		}
	}
	return assets.T(b.lang, key, b.kv...)
}

// text is the most specific definition of a single field.
func (b *pageBuilder) text(field string) string {
	for _, p := range b.prefixes {
		if stepHasKey(b.lang, p+field) {
			return b.get(p + field)
		}
	}
	return ""
}

// find picks the most specific prefix defining item 1 of list field, and
// counts its consecutive items (0 when item 1 is empty).
func (b *pageBuilder) find(field, suffix string) (prefix string, n int) {
	for _, p := range b.prefixes {
		first := p + field + ".1" + suffix
		if !stepHasKey(b.lang, first) {
			continue
		}
		if assets.T(b.lang, first) == "" {
			return p, 0
		}
		for n = 1; stepHasKey(b.lang, p+field+"."+strconv.Itoa(n+1)+suffix); n++ {
		}
		return p, n
	}
	return "", 0
}

func (b *pageBuilder) list(field string) []string {
	prefix, n := b.find(field, "")
	var out []string
	for i := 1; i <= n; i++ {
		out = append(out, b.get(prefix+field+"."+strconv.Itoa(i)))
	}
	return out
}
