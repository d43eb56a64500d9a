package flow

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"mfpmail/assets"
	"mfpmail/smtpcheck"
)

// ReportSchema names the JSON layout of reports and `mfpmail check
// --json`. It changes only when a field changes meaning or goes away.
const ReportSchema = "mfpmail.report/v2"

// Report is the record a technician hands over: what was set, what was
// proved, and how. It never holds a token, a refresh token or a device
// code: only the redacted transcript.
type Report struct {
	Schema   string         `json:"schema"`
	Tool     string         `json:"tool"` // "mfpmail <version>"
	Date     time.Time      `json:"date"`
	RunBy    string         `json:"run_by,omitempty"` // the local user who ran the wizard
	Host     string         `json:"host,omitempty"`   // the machine it ran on
	Lang     string         `json:"lang"`
	DeviceUI string         `json:"device_ui"` // cwis | is
	Account  *ReportAccount `json:"account,omitempty"`
	Demo     string         `json:"demo_scenario,omitempty"`
	// Device is the printer, the site and the technician, when given.
	Device *DeviceInfo `json:"device,omitempty"`
	// DeviceSignIn is the technician's answer to "did the device's own
	// sign-in succeed?" (yes, no) and DeviceScan to "did the device's own
	// scan to email arrive?" (yes, no, not-tried), while they hold for the
	// settings in force; absent when not answered (or stale).
	DeviceSignIn string `json:"device_sign_in,omitempty"`
	DeviceScan   string `json:"device_scan,omitempty"`
	// DeviceShown is what the device showed after a "no" to one of those
	// questions (typed or pasted by the technician, cleaned and capped),
	// with its diagnosis; absent when none was given or the answer is stale.
	DeviceShown []DeviceShown `json:"device_shown,omitempty"`
	// Prerequisites are the device's own prerequisites, each with the
	// technician's answer (absent while unanswered).
	Prerequisites []ReportPrereq `json:"device_prerequisites"`
	// Settings are the values to enter on the device.
	Settings []Setting `json:"settings"`
	Checks   []Check   `json:"checks"`
	Failed   bool      `json:"failed"`
	Verdict  Verdict   `json:"verdict"`
	// Headline is the verdict in words, the same as on the summary screen
	// and in `mfpmail check`.
	Headline string `json:"headline"`
	// Unconfirmed lists the device's checks that have not passed.
	Unconfirmed []string          `json:"unconfirmed,omitempty"`
	Transcript  []TranscriptEntry `json:"transcript,omitempty"`
	// Handover is the section for the customer's administrator.
	Handover Handover `json:"handover"`
}

// ReportPrereq is one of the device's prerequisites as reported.
type ReportPrereq struct {
	ID       string `json:"id"` // firmware | clock | certificates | path
	Question string `json:"question"`
	Answer   string `json:"answer,omitempty"` // yes | no
}

// ReportAccount is the signed-in account as reported.
type ReportAccount struct {
	UPN            string   `json:"upn"`
	PrimaryAddress string   `json:"primary_address"`
	Name           string   `json:"name,omitempty"`
	TenantID       string   `json:"tenant_id,omitempty"`
	Type           string   `json:"type"` // work | personal
	Aliases        []string `json:"aliases,omitempty"`
}

// TranscriptEntry is one redacted line of the SMTP exchange.
type TranscriptEntry struct {
	Time time.Time `json:"time"`
	Dir  string    `json:"dir"` // C (client), S (server), * (note)
	Text string    `json:"text"`
}

// ReportMeta is who and where, for the report's heading.
type ReportMeta struct {
	Version, RunBy, Host, Demo string
	Now                        time.Time
	// Device names the printer and the site, when the technician gave them.
	Device DeviceInfo
}

// DeviceInfo names the device being set up and where it stands, as the
// technician typed it (first screen or flags). Every field may be empty.
type DeviceInfo struct {
	Model      string `json:"model,omitempty"`
	Serial     string `json:"serial,omitempty"`
	Host       string `json:"host,omitempty"` // IP address or host name
	Site       string `json:"site,omitempty"`
	Technician string `json:"technician,omitempty"`
}

// NewReport builds the report of a run.
func NewReport(o Outcome, meta ReportMeta) Report {
	cfg := o.Config.WithDefaults()
	r := Report{
		Schema:   ReportSchema,
		Tool:     "mfpmail " + meta.Version,
		Date:     meta.Now.UTC().Truncate(time.Second),
		RunBy:    meta.RunBy,
		Host:     meta.Host,
		Lang:     string(cfg.Lang),
		DeviceUI: string(cfg.UI),
		Demo:     meta.Demo,
		Checks:   o.Checks(),
	}
	r.Failed = Failed(r.Checks)
	r.Verdict = Headline(r.Checks)
	r.Headline = HeadlineText(cfg.Lang, cfg.Account, r.Checks)
	r.Unconfirmed = Unconfirmed(r.Checks)
	r.DeviceSignIn = o.DeviceAnswerNow(CheckDeviceSignIn)
	r.DeviceScan = o.DeviceAnswerNow(CheckDeviceScan)
	for _, id := range DeviceCheckIDs {
		if s := o.DeviceShownNow(id, cfg.Lang); s != nil {
			r.DeviceShown = append(r.DeviceShown, *s)
		}
	}
	r.addDeviceSide(o, cfg)
	if meta.Device != (DeviceInfo{}) {
		d := meta.Device
		r.Device = &d
	}
	r.Settings = append(r.Settings, PageFor(cfg.Lang, cfg.UI, cfg.Account, StepServiceProvider).Settings...)
	for _, s := range PageFor(cfg.Lang, cfg.UI, cfg.Account, StepSummary).Settings {
		if !containsLabel(r.Settings, s.Label) {
			r.Settings = append(r.Settings, s)
		}
	}
	if sess := o.Session(); sess != nil {
		id := sess.Identity
		acct := &ReportAccount{UPN: id.UPN, PrimaryAddress: id.PrimaryAddress(), Name: id.Name, TenantID: id.TenantID, Type: string(cfg.Account)}
		for _, p := range id.ProxyAddresses {
			if strings.HasPrefix(p, "smtp:") {
				acct.Aliases = append(acct.Aliases, p[5:])
			}
		}
		r.Account = acct
		dev := Label(cfg.Lang, cfg.UI, "device_email")
		for i := range r.Settings {
			if r.Settings[i].Label == dev {
				r.Settings[i].Value = id.UPN
			}
		}
	}
	// Only a test send that ran with the settings in force is reported.
	if run := o.FreshSend(); run != nil && run.Result != nil {
		r.Transcript = Transcript(run.Result)
	}
	return r
}

// addDeviceSide adds the device's prerequisites with their answers and
// the handover for the customer's administrator.
func (r *Report) addDeviceSide(o Outcome, cfg Config) {
	for _, p := range DevicePrereqs {
		r.Prerequisites = append(r.Prerequisites, ReportPrereq{ID: p, Answer: o.Answers.Prereqs.Get(p),
			Question: assets.T(cfg.Lang, "device.prereq."+p+".ask", labels(cfg.Lang, cfg.UI)...)})
	}
	upn := ""
	if sess := o.Session(); sess != nil {
		upn = sess.Identity.UPN
	}
	r.Handover = HandoverFor(cfg.Lang, cfg.UI, cfg.Account, upn)
}

func containsLabel(ss []Setting, label string) bool {
	for _, s := range ss {
		if s.Label == label {
			return true
		}
	}
	return false
}

// Transcript is the test send's redacted exchange, for reports.
func Transcript(r *smtpcheck.Result) []TranscriptEntry {
	out := make([]TranscriptEntry, 0, len(r.Transcript))
	for _, l := range r.Transcript {
		out = append(out, TranscriptEntry{Time: l.Time.UTC(), Dir: l.Dir.String(), Text: l.Text})
	}
	return out
}

// JSON is the report as indented JSON.
func (r Report) JSON() []byte {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false) // keep "<redacted>" and addresses readable
	enc.SetIndent("", "  ")
	_ = enc.Encode(r)
	return b.Bytes()
}

// Markdown is the report for people, in the report's language.
func (r Report) Markdown() []byte {
	lang := assets.Lang(r.Lang)
	t := func(k string, kv ...string) string { return assets.T(lang, "report."+k, kv...) }
	var b bytes.Buffer
	r.mdHeading(&b, t)
	verdict := r.VerdictText(lang)
	fmt.Fprintf(&b, "\n**%s**\n\n## %s\n\n", verdict, t("checks"))
	fmt.Fprintf(&b, "| %s | %s | %s |\n|---|---|---|\n", t("check"), t("result"), t("finding"))
	for _, c := range r.Checks {
		fmt.Fprintf(&b, "| `%s` | %s | %s |\n", c.ID, t("status."+string(c.Status)), mdCell(c.Title))
	}
	var fixes []Check
	for _, c := range r.Checks {
		if (c.Status == Fail || c.Status == Warn) && (c.Detail != "" || c.Fix != "") {
			fixes = append(fixes, c)
		}
	}
	if len(fixes) > 0 {
		fmt.Fprintf(&b, "\n## %s\n", t("fixes"))
		for _, c := range fixes {
			fmt.Fprintf(&b, "\n### `%s`: %s\n\n", c.ID, mdEscape(c.Title))
			if c.Detail != "" {
				fmt.Fprintf(&b, "%s\n\n", mdEscape(c.Detail))
			}
			if c.Fix != "" {
				fmt.Fprintf(&b, "**%s** %s\n", t("fix"), mdEscape(c.Fix))
			}
		}
	}
	r.mdShown(&b, t)
	r.mdPrereqs(&b, t)
	fmt.Fprintf(&b, "\n## %s\n\n| %s | %s |\n|---|---|\n", t("settings"), t("field"), t("value"))
	for _, s := range r.Settings {
		v := s.Value
		if s.Note != "" {
			v += " (" + s.Note + ")"
		}
		fmt.Fprintf(&b, "| %s | %s |\n", mdCell(s.Label), mdCell(v))
	}
	r.mdHandover(&b)
	if len(r.Transcript) > 0 {
		fmt.Fprintf(&b, "\n## %s\n\n%s\n\n```\n", t("transcript"), t("redacted"))
		for _, l := range r.Transcript {
			fmt.Fprintf(&b, "%s %s: %s\n", l.Time.Format("15:04:05.000"), l.Dir, strings.ReplaceAll(l.Text, "```", "'''"))
		}
		b.WriteString("```\n")
	}
	return b.Bytes()
}

// deviceRow is one detail of the device or site, with its label's key.
type deviceRow struct{ key, value string }

// rows are the device's details in report order; none for nil.
func (d *DeviceInfo) rows() []deviceRow {
	if d == nil {
		return nil
	}
	return []deviceRow{{"report.device.model", d.Model}, {"report.device.serial", d.Serial},
		{"report.device.host", d.Host}, {"report.device.site", d.Site}, {"report.device.technician", d.Technician}}
}

// mdHeading is the Markdown report's title and list of who, where and
// what.
func (r Report) mdHeading(b *bytes.Buffer, t func(string, ...string) string) {
	lang := assets.Lang(r.Lang)
	fmt.Fprintf(b, "# %s\n\n", t("title"))
	row := func(k, v string) {
		if v != "" {
			fmt.Fprintf(b, "- **%s:** %s\n", t(k), mdEscape(v))
		}
	}
	row("date", r.Date.Format("2006-01-02 15:04 MST"))
	row("run_by", strings.TrimSpace(r.RunBy+" @ "+r.Host))
	row("tool", r.Tool)
	row("device_ui", UIGen(r.DeviceUI).Name(lang))
	if r.Demo != "" {
		row("demo", r.Demo)
	}
	for _, d := range r.Device.rows() {
		if d.value != "" {
			fmt.Fprintf(b, "- **%s:** %s\n", assets.T(lang, d.key), mdEscape(d.value))
		}
	}
	if r.DeviceSignIn != "" {
		row("device_sign_in", assets.T(lang, "report.device_sign_in."+r.DeviceSignIn))
	}
	if r.DeviceScan != "" {
		row("device_scan", assets.T(lang, "report.device_scan."+r.DeviceScan))
	}
	if a := r.Account; a != nil {
		row("upn", a.UPN)
		row("primary", a.PrimaryAddress)
		row("account_type", assets.T(lang, "ui.account."+a.Type))
		row("tenant", a.TenantID)
	}
}

// mdShown is what the device showed after a failed answer, with its
// diagnosis.
func (r Report) mdShown(b *bytes.Buffer, t func(string, ...string) string) {
	if len(r.DeviceShown) == 0 {
		return
	}
	fmt.Fprintf(b, "\n## %s\n", t("device_shown"))
	for _, s := range r.DeviceShown {
		fmt.Fprintf(b, "\n### %s\n\n```\n%s\n```\n", t("device_shown."+s.Check), strings.ReplaceAll(s.Text, "```", "'''"))
		if x := s.Explanation; x != nil {
			fmt.Fprintf(b, "\n**%s** (`%s`)\n\n%s\n\n**%s** %s\n\n%s %s\n", mdEscape(x.Title), x.ID, mdEscape(x.Cause),
				t("fix"), mdEscape(x.Fix), t("device_shown.source"), mdEscape(x.Source))
		} else {
			fmt.Fprintf(b, "\n%s\n", t("device_shown.unreadable"))
		}
	}
}

// mdPrereqs lists the device's prerequisites with the answers given.
func (r Report) mdPrereqs(b *bytes.Buffer, t func(string, ...string) string) {
	if len(r.Prerequisites) == 0 {
		return
	}
	lang := assets.Lang(r.Lang)
	fmt.Fprintf(b, "\n## %s\n\n", t("prereqs"))
	for _, p := range r.Prerequisites {
		fmt.Fprintf(b, "- %s **%s**\n", mdEscape(p.Question), assets.T(lang, "device.answer."+answerKey(p.Answer)))
	}
}

// answerKey names an answer's text; "" is "not answered".
func answerKey(a string) string {
	if a == "" {
		return "none"
	}
	return a
}

// mdHandover is the section for the customer's administrator.
func (r Report) mdHandover(b *bytes.Buffer) {
	h := r.Handover
	if h.Title == "" {
		return
	}
	ends, again, confirm, date := HandoverHeadings(assets.Lang(r.Lang))
	fmt.Fprintf(b, "\n## %s\n\n%s\n\n### %s\n\n", mdEscape(h.Title), mdEscape(h.Lead), ends)
	for _, e := range h.Ends {
		fmt.Fprintf(b, "- %s\n", mdEscape(e))
	}
	fmt.Fprintf(b, "\n### %s\n\n", again)
	for _, e := range h.SignInAgain {
		fmt.Fprintf(b, "- %s\n", mdEscape(e))
	}
	if h.ConfirmOAuth != "" {
		fmt.Fprintf(b, "\n### %s\n\n%s\n", confirm, mdEscape(h.ConfirmOAuth))
	}
	if h.Deadline != "" {
		fmt.Fprintf(b, "\n### %s\n\n%s\n", date, mdEscape(h.Deadline))
	}
}

func mdEscape(s string) string {
	return strings.NewReplacer("<", "&lt;", ">", "&gt;", "\n", "  \n").Replace(s)
}

func mdCell(s string) string {
	return strings.ReplaceAll(strings.ReplaceAll(mdEscape(s), "|", "\\|"), "  \n", " ")
}

// ReportFormat is how a report file is written, from its extension.
func ReportFormat(path string) (string, error) {
	switch strings.ToLower(filepath.Ext(path)) {
	case ".md", ".markdown":
		return "md", nil
	case ".json":
		return "json", nil
	case ".html", ".htm":
		return "html", nil
	}
	return "", fmt.Errorf("--report %q: the file name must end in .html (a printable page), .md (Markdown) or .json", path)
}

// maxFileName is the longest file name most file systems take.
const maxFileName = 255

// CheckReportPath says, before any work is done, whether a report can be
// written there: a known extension, a name that is not a directory or
// another special file, and an existing, writable directory.
func CheckReportPath(path string) error {
	if _, err := ReportFormat(path); err != nil {
		return err
	}
	if st, err := os.Stat(path); err == nil && st.IsDir() {
		return fmt.Errorf("--report %q: is a directory; give the name of a file to write", path)
	} else if err == nil && !st.Mode().IsRegular() {
		return fmt.Errorf("--report %q: is not a regular file; give the name of a file to write", path)
	}
	if base := filepath.Base(path); len(base) > maxFileName {
		return fmt.Errorf("--report: the file name is %d bytes long; give at most %d", len(base), maxFileName)
	}
	dir := filepath.Dir(path)
	st, err := os.Stat(dir)
	if err != nil || !st.IsDir() {
		return fmt.Errorf("--report %q: the directory %s does not exist", path, dir)
	}
	f, err := os.CreateTemp(dir, ".mfpmail-check-*")
	if err != nil {
		return fmt.Errorf("--report %q: cannot write in %s", path, dir)
	}
	name := f.Name()
	f.Close()
	os.Remove(name)
	return nil
}

// WriteReport writes the report atomically: a temporary file in the same
// directory, then a rename, so a reader never sees half a report. The file
// is 0600: a report names the account, the tenant and the host.
func WriteReport(path string, r Report) error {
	format, err := ReportFormat(path)
	if err != nil {
		return err
	}
	var data []byte
	switch format {
	case "json":
		data = r.JSON()
	case "html":
		if data, err = r.HTML(); err != nil {
			return err
		}
	default:
		data = r.Markdown()
	}
	f, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".tmp-*")
	if err != nil {
		return err
	}
	tmp := f.Name()
	if _, err := f.Write(data); err != nil {
		f.Close()
		os.Remove(tmp)
		return err
	}
	if err := f.Chmod(0o600); err != nil {
		f.Close()
		os.Remove(tmp)
		return err
	}
	if err := f.Close(); err != nil {
		os.Remove(tmp)
		return err
	}
	if err := os.Rename(tmp, path); err != nil {
		os.Remove(tmp)
		return err
	}
	return nil
}

// VerdictText is the report's one-line result: the headline.
func (r Report) VerdictText(lang assets.Lang) string {
	if r.Headline != "" && lang == assets.Lang(r.Lang) {
		return r.Headline
	}
	a := AccountWork
	if r.Account != nil {
		a = Account(r.Account.Type)
	}
	return HeadlineText(lang, a, r.Checks)
}
