package flow

import (
	"bytes"
	_ "embed"
	"html/template"
	"strings"
	"sync"

	"mfpmail/assets"
)

//go:embed report.html.tmpl
var reportHTMLText string

// reportHTML is the printable page; html/template escapes every value,
// so nothing a server or a technician typed can become markup (it also
// drops CSS comments, so the style's rules are explained here).
//
// The page is self-contained: no font, image or script is fetched. The
// printed page fits both A4 (210 x 297 mm) and US Letter (216 x 279 mm):
// the printer's paper sets the size (@page size: auto), the margins leave
// at most 180 mm of width, no check row or the signature block is split
// across pages, and a page shorter than A4 (Letter: a print page height
// under 255 mm) gets a slightly tighter type.
//
// It is parsed on first use, not at start: parsing it takes longer than
// the rest of the package's start-up, and most runs never write the page.
var reportHTML = sync.OnceValue(func() *template.Template {
	return template.Must(template.New("report").Parse(reportHTMLText))
})

// htmlCheck is one check as the page shows it.
type htmlCheck struct {
	Check
	Mark, Word string
}

// htmlPage is what the template draws, every text already in the
// report's language.
type htmlPage struct {
	Lang, Verdict, Headline     string
	Date, RunBy, Tool, DeviceUI string
	Demo, AccountType           string
	TechnicianName, Footer      string
	T                           map[string]string
	Device                      []struct{ Label, Value string }
	Account                     *ReportAccount
	Checks                      []htmlCheck
	Settings                    []Setting
	Transcript                  []string
	Prereqs                     []struct{ Question, Answer string }
	// Shown: what the device showed after a failed answer, explained.
	Shown    []htmlShown
	Handover Handover
	// HandoverHead: the handover's sub-headings.
	HandoverHead struct{ Ends, Again, Confirm, Date string }
}

// htmlMarks are the status marks: a symbol and a word, so the page reads
// the same printed in black and white.
var htmlMarks = map[Status]string{Pass: "✓", Warn: "!", Fail: "✗", Skip: "–"}

// HTML is the report as one self-contained, printable page in the
// report's language: inline CSS, no fetch, signature lines at the end.
func (r Report) HTML() ([]byte, error) {
	var b bytes.Buffer
	if err := reportHTML().Execute(&b, r.htmlPage()); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

func (r Report) htmlPage() htmlPage {
	lang := assets.Lang(r.Lang)
	t := func(k string, kv ...string) string { return assets.T(lang, k, kv...) }
	date := r.Date.Format("2006-01-02 15:04 MST")
	p := htmlPage{Lang: r.Lang, Date: date, Tool: r.Tool, Demo: r.Demo,
		DeviceUI: UIGen(r.DeviceUI).Name(lang), Account: r.Account, Settings: r.Settings,
		Footer: t("report.html.footer", "tool", r.Tool, "date", date), T: map[string]string{}}
	if r.RunBy != "" || r.Host != "" {
		p.RunBy = r.RunBy
		if r.Host != "" {
			p.RunBy += " @ " + r.Host
		}
	}
	for _, k := range []string{"title", "date", "run_by", "tool", "device_ui", "demo", "upn", "primary",
		"account_type", "tenant", "checks", "settings", "field", "value", "transcript", "redacted"} {
		p.T[k] = t("report." + k)
	}
	for _, k := range []string{"account", "signatures", "customer", "technician", "sign_name", "sign_signature",
		"sign_date", "accept", "transcript_open"} {
		p.T[k] = t("report.html." + k)
	}
	p.T["fix_label"], p.T["device_heading"] = t("report.html.fix"), t("report.device.heading")
	if r.Account != nil {
		p.AccountType = t("ui.account." + r.Account.Type)
	}
	for _, d := range r.Device.rows() {
		if d.value != "" {
			p.Device = append(p.Device, struct{ Label, Value string }{t(d.key), d.value})
		}
	}
	if r.DeviceSignIn != "" {
		p.Device = append(p.Device, struct{ Label, Value string }{t("report.device_sign_in"), t("report.device_sign_in." + r.DeviceSignIn)})
	}
	if r.DeviceScan != "" {
		p.Device = append(p.Device, struct{ Label, Value string }{t("report.device_scan"), t("report.device_scan." + r.DeviceScan)})
	}
	if r.Device != nil {
		p.TechnicianName = r.Device.Technician
	}
	p.Verdict, p.Headline = r.verdict(lang)
	p.T["prereqs"] = t("report.prereqs")
	for _, q := range r.Prerequisites {
		p.Prereqs = append(p.Prereqs, struct{ Question, Answer string }{q.Question, t("device.answer." + answerKey(q.Answer))})
	}
	p.addShown(r, t)
	p.Handover = r.Handover
	h := &p.HandoverHead
	h.Ends, h.Again, h.Confirm, h.Date = HandoverHeadings(lang)
	for _, c := range r.Checks {
		p.Checks = append(p.Checks, htmlCheck{Check: c, Mark: htmlMarks[c.Status], Word: t("report.status." + string(c.Status))})
	}
	for _, l := range r.Transcript {
		p.Transcript = append(p.Transcript, l.Time.Format("15:04:05.000")+" "+l.Dir+": "+l.Text)
	}
	return p
}

// htmlShown is one text from the device with its diagnosis (nil when
// unreadable).
type htmlShown struct {
	Heading, Text string
	X             *Explanation
}

// addShown adds what the device showed, with the section's words.
func (p *htmlPage) addShown(r Report, t func(string, ...string) string) {
	for _, k := range []string{"device_shown", "device_shown.source", "device_shown.unreadable"} {
		p.T[strings.ReplaceAll(k, ".", "_")] = t("report." + k)
	}
	for _, s := range r.DeviceShown {
		p.Shown = append(p.Shown, htmlShown{Heading: t("report.device_shown." + s.Check), Text: s.Text, X: s.Explanation})
	}
}

// verdict is the headline and its colour: green only for ready.
func (r Report) verdict(lang assets.Lang) (class, text string) {
	v := r.Verdict
	if v == "" {
		v = Headline(r.Checks)
	}
	class = map[Verdict]string{VerdictReady: "pass", VerdictWarned: "warn", VerdictAccountReady: "warn",
		VerdictIncomplete: "warn", VerdictFailed: "fail"}[v]
	return class, r.VerdictText(lang)
}
