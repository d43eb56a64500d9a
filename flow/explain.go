package flow

import (
	"encoding/json"
	"errors"
	"strconv"
	"strings"

	"mfpmail/assets"
	"mfpmail/internal/untrusted"
	"mfpmail/smtpcheck"
)

// Explanation is what the wizard says about a text the device shows in its
// job history or transmission report: an SMTP reply, an enhanced status
// code, an AADSTS number or an OAuth error. The same tables as the live
// checks decide it.
type Explanation struct {
	Input string `json:"input"` // the part that was read, cleaned
	// Kind: "smtp" (a reply or an enhanced status code) or "sign-in" (an
	// AADSTS number or an OAuth error).
	Kind string `json:"kind"`
	// Recognised: the text is in the tables of documented answers; when
	// false it is explained by its parts only.
	Recognised bool   `json:"recognised"`
	ID         string `json:"id"`
	Title      string `json:"title"`
	Cause      string `json:"cause"`
	Fix        string `json:"fix"`
	Source     string `json:"source"`
}

// MaxExplainInput caps what Explain reads; a pasted reply is far smaller.
const MaxExplainInput = 16 << 10

// ErrNothingToExplain: the text holds no reply code, enhanced status code,
// AADSTS number or OAuth error.
var ErrNothingToExplain = errors.New("no SMTP reply (e.g. 550 5.2.252 …), enhanced status code (e.g. 5.7.139), AADSTS number (e.g. AADSTS50105) or OAuth error (e.g. interaction_required) found")

var (
	aadstsWordRE = lazyRegexp(`(?i)AADSTS(\d{4,8})`)
	replyLineRE  = lazyRegexp(`(?:^|[\s;:#(])([245]\d\d)([ -]|$)(.*)$`)
	enhancedRE   = lazyRegexp(`(?:^|[\s;:#(])([245])\.(\d{1,3})\.(\d{1,3})(?:$|[\s;:,.)\]])`)
)

// Explain reads text and explains it in lang. Sign-in answers (an OAuth
// error body, AADSTS numbers, an OAuth error value) come first: a device's
// sign-in error may quote an SMTP-looking number, never the reverse.
func Explain(text string, lang assets.Lang) (Explanation, error) {
	if len(text) > MaxExplainInput {
		text = text[:MaxExplainInput]
	}
	text = untrusted.Text(strings.ReplaceAll(text, "\r\n", "\n"), MaxExplainInput)
	if x, ok := explainSignIn(text, lang); ok {
		return x, nil
	}
	if r, ok := findReply(text); ok {
		d := smtpcheck.Diagnose(lang, "", &r, nil)
		input := r.String()
		if r.Code == 0 {
			input = r.EnhancedString()
		}
		x := Explanation{Input: untrusted.Line(input), Kind: "smtp", Recognised: d.Recognised, ID: d.ID,
			Title: d.Title, Cause: d.Detail, Fix: d.Fix, Source: d.Source}
		explainedAlone(lang, "smtp", &x)
		return x, nil
	}
	return Explanation{}, ErrNothingToExplain
}

// explainSignIn reads an OAuth error body, or an error value and AADSTS
// numbers in free text. The error value decides the class, the numbers
// refine it, as for a live sign-in.
func explainSignIn(text string, lang assets.Lang) (Explanation, bool) {
	errValue, codes := "", []int(nil)
	if i := strings.Index(text, "{"); i >= 0 && strings.Contains(text, `"error"`) {
		var b oauthErrorBody
		if json.Unmarshal([]byte(text[i:strings.LastIndex(text, "}")+1]), &b) == nil && b.Error != "" {
			errValue, codes = untrusted.Name(b.Error), b.ErrorCodes
			if len(codes) == 0 {
				codes = aadstsIn(b.Description)
			}
		}
	}
	if errValue == "" {
		for _, m := range aadstsWordRE().FindAllStringSubmatch(text, 20) {
			if n, err := strconv.Atoi(m[1]); err == nil {
				codes = append(codes, n)
			}
		}
		for _, w := range strings.FieldsFunc(strings.ToLower(text), func(r rune) bool { return !(r == '_' || r >= 'a' && r <= 'z') }) {
			if _, ok := byError[w]; ok {
				errValue = w
				break
			}
		}
	}
	if errValue == "" && len(codes) == 0 {
		return Explanation{}, false
	}
	e, known := classifyOAuth(errValue, codes, nil)
	input := errValue
	for _, c := range codes {
		input = strings.TrimSpace(input + " AADSTS" + strconv.Itoa(c))
	}
	p := e.problem(lang, "host", "login.microsoftonline.com", "status", "400", "error", assets.OrDash(errValue),
		"description", input, "reason", input, "wait", "-", "excerpt", input, "type", "-", "location", "-", "proxy", "-")
	x := Explanation{Input: input, Kind: "sign-in", Recognised: known, ID: p.ID, Title: p.Title, Cause: p.Detail,
		Fix: p.Fix, Source: p.Source}
	explainedAlone(lang, "signin", &x)
	return x, true
}

// explainedAlone gives a diagnosis the words for a text read off the
// device rather than a live answer (kind "smtp" or "signin" in the key):
// where the live text quotes an HTTP status and error description, a
// transcript or a correlation id shown beside it, and the device's text
// has none of them, the text says what was read instead.
func explainedAlone(lang assets.Lang, kind string, x *Explanation) {
	if k := "explain." + kind + "." + x.ID + ".detail"; assets.Has(assets.EN, k) {
		x.Cause = assets.T(lang, k, "input", x.Input)
	}
	if k := "explain." + kind + "." + x.ID + ".fix"; assets.Has(assets.EN, k) {
		x.Fix = assets.T(lang, k, "input", x.Input)
	}
}

// findReply finds an SMTP reply in pasted text: the first line holding a
// reply code with the lines after it that continue it ("550-…" then
// "550 …"), or else an enhanced status code quoted alone.
func findReply(text string) (smtpcheck.Reply, bool) {
	lines := strings.Split(text, "\n")
	for i, l := range lines {
		m := replyLineRE().FindStringSubmatch(strings.TrimSpace(l))
		if m == nil {
			continue
		}
		block := []string{m[1] + m[2] + m[3]}
		for sep := m[2]; sep == "-" && i+1 < len(lines); {
			i++
			next := strings.TrimSpace(lines[i])
			if !strings.HasPrefix(next, m[1]) || len(next) < 4 {
				break
			}
			block, sep = append(block, next), next[3:4]
		}
		if r, err := smtpcheck.ParseReply(block); err == nil {
			return r, true
		}
		if r, err := smtpcheck.ParseReply([]string{m[1] + " " + m[3]}); err == nil {
			return r, true
		}
	}
	if m := enhancedRE().FindStringSubmatch(text); m != nil {
		var e [3]int
		for j := range e {
			e[j], _ = strconv.Atoi(m[j+1])
		}
		return smtpcheck.Reply{Enhanced: e}, true
	}
	return smtpcheck.Reply{}, false
}
