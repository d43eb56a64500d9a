package flow

import (
	"regexp"
	"strconv"
	"strings"
	"testing"

	"mfpmail/assets"
)

var stepAccounts = []Account{AccountWork, AccountPersonal}

// forEachPage runs f for every step × lang × gen × account.
func forEachPage(t *testing.T, f func(t *testing.T, lang assets.Lang, gen UIGen, a Account, s Step, p Page)) {
	t.Helper()
	for _, lang := range assets.Langs {
		for _, gen := range UIGens {
			for _, a := range stepAccounts {
				for _, s := range Procedure {
					name := string(lang) + "/" + string(gen) + "/" + string(a) + "/" + string(s.ID)
					t.Run(name, func(t *testing.T) {
						f(t, lang, gen, a, s, PageFor(lang, gen, a, s.ID))
					})
				}
			}
		}
	}
}

// pageFields lists every text of a page with a name for messages.
func pageFields(p Page) map[string]string {
	m := map[string]string{"Title": p.Title, "Lead": p.Lead, "MenuPath": p.MenuPath}
	for i, a := range p.Actions {
		m["Actions["+strconv.Itoa(i)+"]"] = a
	}
	for i, s := range p.Settings {
		n := "Settings[" + strconv.Itoa(i) + "]."
		m[n+"Label"], m[n+"Value"], m[n+"Note"] = s.Label, s.Value, s.Note
	}
	for i, n := range p.Notes {
		m["Notes["+strconv.Itoa(i)+"]"] = n.Text
		m["Notes["+strconv.Itoa(i)+"].Kind"] = string(n.Kind)
	}
	return m
}

var rawKeyRE = regexp.MustCompile(`(^|[^A-Za-z])(step|label)\.[a-z]`)

func TestStepPagesComplete(t *testing.T) {
	forEachPage(t, func(t *testing.T, lang assets.Lang, gen UIGen, a Account, s Step, p Page) {
		if strings.TrimSpace(p.Title) == "" || strings.TrimSpace(p.Lead) == "" {
			t.Errorf("empty title or lead: %+v", p)
		}
		for name, v := range pageFields(p) {
			if strings.ContainsAny(v, "{}") {
				t.Errorf("%s has an unreplaced placeholder: %q", name, v)
			}
			if rawKeyRE.MatchString(v) {
				t.Errorf("%s shows a raw text key: %q", name, v)
			}
			if v != strings.TrimSpace(v) {
				t.Errorf("%s has surrounding space: %q", name, v)
			}
		}
		for i, a := range p.Actions {
			if a == "" {
				t.Errorf("Actions[%d] is empty", i)
			}
		}
		for i, st := range p.Settings {
			if st.Label == "" || st.Value == "" {
				t.Errorf("Settings[%d] lacks label or value: %+v", i, st)
			}
		}
		for i, n := range p.Notes {
			if n.Text == "" || (n.Kind != NoteImportant && n.Kind != NoteTip) {
				t.Errorf("Notes[%d] is malformed: %+v", i, n)
			}
		}
		if len(p.Actions) == 0 && s.ID != StepSummary {
			t.Errorf("no actions")
		}
	})
}

// stepWidth is the number of terminal columns s takes: CJK and full-width
// forms count two.
func stepWidth(s string) int {
	w := 0
	for _, r := range s {
		switch {
		case r >= 0x1100 && r <= 0x115F, r >= 0x2E80 && r <= 0xA4CF, r >= 0xAC00 && r <= 0xD7A3,
			r >= 0xF900 && r <= 0xFAFF, r >= 0xFE30 && r <= 0xFE4F, r >= 0xFF00 && r <= 0xFF60,
			r >= 0xFFE0 && r <= 0xFFE6:
			w += 2
		default:
			w++
		}
	}
	return w
}

// stepLines is how many rows s takes at width cols after an indent.
func stepLines(s string, indent int) int {
	const cols = 76
	w := stepWidth(s)
	n := (w + cols - indent - 1) / (cols - indent)
	if n == 0 {
		n = 1
	}
	return n
}

// Each screen must fit an 80×24 terminal with a header and a footer: the
// body (lead, menu path, actions, settings, notes) gets about 14 rows at 76
// columns. Items get a small indent ("1. ", "! "); a setting is one row of
// label, value and note.
func TestPageFitsScreen(t *testing.T) {
	forEachPage(t, func(t *testing.T, lang assets.Lang, gen UIGen, a Account, s Step, p Page) {
		if n := stepLines(p.Lead, 0); n > 2 {
			t.Errorf("lead takes %d rows (max 2): %q", n, p.Lead)
		}
		if len(p.Actions) > 6 || len(p.Notes) > 3 {
			t.Errorf("%d actions (max 6), %d notes (max 3)", len(p.Actions), len(p.Notes))
		}
		rows := stepLines(p.Lead, 0)
		if p.MenuPath != "" {
			rows += stepLines(p.MenuPath, 0)
		}
		for _, a := range p.Actions {
			rows += stepLines(a, 3)
		}
		for _, st := range p.Settings {
			line := st.Label + "  " + st.Value
			if st.Note != "" {
				line += "  (" + st.Note + ")"
			}
			rows += stepLines(line, 2)
		}
		for _, n := range p.Notes {
			// A link on a line of its own after the text is one more row.
			text, link, _ := strings.Cut(n.Text, "\nhttps://")
			k := stepLines(text, 2)
			if link != "" {
				rows++
			}
			if k > 2 {
				t.Errorf("note takes %d rows (max 2): %q", k, n.Text)
			}
			rows += k
		}
		if rows > 14 {
			t.Errorf("body takes %d rows (max 14)", rows)
		}
	})
}

// The same page has the same shape in both languages.
func TestPageSameShapeInBothLangs(t *testing.T) {
	for _, gen := range UIGens {
		for _, a := range stepAccounts {
			for _, s := range Procedure {
				en, ja := PageFor(assets.EN, gen, a, s.ID), PageFor(assets.JA, gen, a, s.ID)
				if len(en.Actions) != len(ja.Actions) || len(en.Settings) != len(ja.Settings) ||
					len(en.Notes) != len(ja.Notes) || (en.MenuPath == "") != (ja.MenuPath == "") {
					t.Errorf("%s/%s/%s: en and ja differ in shape:\nen %+v\nja %+v", gen, a, s.ID, en, ja)
					continue
				}
				for i := range en.Notes {
					if en.Notes[i].Kind != ja.Notes[i].Kind {
						t.Errorf("%s/%s/%s: note %d is %s in en, %s in ja", gen, a, s.ID, i, en.Notes[i].Kind, ja.Notes[i].Kind)
					}
				}
			}
		}
	}
}

func TestPageJapaneseStyle(t *testing.T) {
	for _, k := range assets.Keys(assets.JA) {
		if !strings.HasPrefix(k, "step.") {
			continue
		}
		v := assets.T(assets.JA, k)
		if strings.ContainsAny(v, ",()") {
			t.Errorf("%s: use full-width punctuation: %q", k, v)
		}
		if strings.HasSuffix(v, ".") {
			t.Errorf("%s ends with an ASCII full stop: %q", k, v)
		}
		if strings.Contains(k, ".action.") && !strings.HasSuffix(v, "。") {
			t.Errorf("%s: an action is a sentence ending in 。: %q", k, v)
		}
	}
}

// Every step./label. key follows the scheme documented in steps.go, names a
// known step and generation, and numbered lists have no gaps.
func TestStepKeyScheme(t *testing.T) {
	keyRE := regexp.MustCompile(`^step\.([a-z-]+)\.(?:(cwis|is)\.)?(?:(work|personal)\.)?` +
		`(title|lead|menu|ref|(action|important|tip|trouble)\.(\d+)|setting\.(\d+)\.(label|value|note))$`)
	labelRE := regexp.MustCompile(`^label\.(cwis|is)\.([a-z_]+)$`)
	knownLabel := map[string]bool{}
	for _, k := range append(append([]string{}, LabelKeys...), LabelExtraKeys...) {
		knownLabel[k] = true
	}
	for _, lang := range assets.Langs {
		keys := map[string]bool{}
		for _, k := range assets.Keys(lang) {
			keys[k] = true
		}
		for k := range keys {
			switch {
			case strings.HasPrefix(k, "label."):
				m := labelRE.FindStringSubmatch(k)
				if m == nil || !knownLabel[m[2]] {
					t.Errorf("%s: %s is not a known label key", lang, k)
				}
			case strings.HasPrefix(k, "step."):
				m := keyRE.FindStringSubmatch(k)
				if m == nil {
					t.Errorf("%s: %s does not follow the key scheme", lang, k)
					continue
				}
				if _, ok := StepByID(StepID(m[1])); !ok {
					t.Errorf("%s: %s names no step", lang, k)
				}
				// item n needs item n-1 under the same prefix.
				num, field := m[6], m[5]+"."
				if num == "" && m[7] != "" {
					num, field = m[7], "setting."
				}
				if n, _ := strconv.Atoi(num); n > 1 {
					i := strings.LastIndex(k, "."+field+num)
					prev := k[:i] + "." + field + strconv.Itoa(n-1)
					if m[7] != "" {
						prev += ".label"
					}
					if !keys[prev] {
						t.Errorf("%s: %s has no %s before it", lang, k, prev)
					}
				}
				if m[8] != "" && m[8] != "label" {
					i := strings.LastIndex(k, ".")
					if !keys[k[:i]+".label"] {
						t.Errorf("%s: %s has no .label", lang, k)
					}
				}
			}
		}
	}
}

func TestLabelKeysExist(t *testing.T) {
	if err := assets.Check(); err != nil {
		t.Fatal(err)
	}
	for _, lang := range assets.Langs {
		for _, gen := range UIGens {
			for _, k := range append(append([]string{}, LabelKeys...), LabelExtraKeys...) {
				key := "label." + string(gen) + "." + k
				if !assets.Has(lang, key) {
					t.Errorf("%s: %s missing", lang, key)
				}
				if v := Label(lang, gen, k); strings.TrimSpace(v) == "" || strings.HasPrefix(v, "label.") {
					t.Errorf("Label(%s, %s, %s) = %q", lang, gen, k, v)
				}
			}
		}
	}
}

func TestLabelsMatchEnglishProcedure(t *testing.T) {
	want := map[string]string{
		"properties_tab":           "[Properties]",
		"smtp_menu":                "[Properties] > [Connectivity] > [Protocols] > [SMTP Server] > [General]",
		"login_credentials":        "[Login Credentials for Email Send]",
		"login_credentials_system": "[System]",
		"login_credentials_remote": "[Remotely Authenticated User]",
		"service_provider":         "[Service Provider]",
		"service_provider_exo":     "[Exchange Online/Outlook.com]",
		"service_provider_none":    "[Not Selected]",
		"smtp_host":                "[SMTP Server IP Address / Host Name]",
		"smtp_port_send":           "[Port Number for sending Email]",
		"smtp_port_receive":        "[Port Number for receiving Email]",
		"apply":                    "[Apply]",
		"open_auth_page":           "[Open Authentication Page]",
		"next":                     "[Next]",
		"from_menu":                "[Properties] > [Services] > [Email] > [General] > [From Address] > [Edit]",
		"from_guest_edit":          "[Allow Guest Users to Edit [From:] Field]",
		"from_guest_edit_safe":     "[No]",
		"from_noauth_edit":         "[Edit [From:] Field when Authorization is not Required]",
		"from_noauth_edit_safe":    "[No]",
		"device_details":           "[Device Details] (or [Description])",
		"device_email":             "Device Email Address",
		"web_ui":                   "CentreWare Internet Services",
	}
	for k, w := range want {
		if got := Label(assets.EN, UICWIS, k); got != w {
			t.Errorf("en/cwis %s = %q, want %q", k, got, w)
		}
	}
}

func TestLabelsMatchJapaneseProcedure(t *testing.T) {
	want := map[string]string{
		"smtp_menu":                "[ネットワーク] > [プロトコル設定] > [SMTP]",
		"login_credentials":        "[送信時の認証ユーザー]",
		"login_credentials_system": "[本体設定]",
		"login_credentials_remote": "[外部認証のユーザー]",
		"service_provider":         "[サービスプロバイダー]",
		"service_provider_exo":     "[Exchange Online/Outlook.com]",
		"service_provider_none":    "[指定しない]",
		"smtp_port_receive":        "[受信ポート番号]",
		"apply":                    "[保存]",
		"open_auth_page":           "【認証コードの入力】",
		"next":                     "[次へ]",
		"from_menu":                "[アプリ] > [メール送信] > [動作設定 (アプリ共通)] > [送信者アドレス]",
		"from_guest_edit":          "[認証ユーザーのメールアドレスを使用]",
		"from_guest_edit_safe":     "無効",
		"from_noauth_edit":         "[送信者アドレスの変更]",
		"from_noauth_edit_safe":    "[禁止]",
		"device_details":           "[機械の詳細]",
		"device_email":             "本体メールアドレス",
		"admin_role":               "機械管理者",
		"web_ui":                   "Internet Services",
	}
	for k, w := range want {
		if got := Label(assets.JA, UIIS, k); got != w {
			t.Errorf("ja/is %s = %q, want %q", k, got, w)
		}
	}
}

func TestLabelUnknown(t *testing.T) {
	if got := Label(assets.EN, "", "service_provider"); got != "[Service Provider]" {
		t.Errorf("unknown gen should read as CentreWare, got %q", got)
	}
	if got := Label(assets.JA, UIIS, "no_such_label"); got == "" {
		t.Error("unknown label key should not come back empty")
	}
}

func TestLabelWebUIName(t *testing.T) {
	for _, lang := range assets.Langs {
		if got := UICWIS.Name(lang); got != "CentreWare Internet Services" {
			t.Errorf("%s cwis name = %q", lang, got)
		}
		if got := UIIS.Name(lang); got != "Internet Services" {
			t.Errorf("%s is name = %q", lang, got)
		}
	}
	if got := UIGen("x").Name(assets.EN); got != "x" {
		t.Errorf("unknown gen name = %q", got)
	}
}

func TestStepsFor(t *testing.T) {
	for _, s := range StepsFor(AccountPersonal) {
		if s.ID == StepConsent || s.WorkOnly {
			t.Errorf("personal accounts get %s", s.ID)
		}
	}
	work := StepsFor(AccountWork)
	if len(work) != len(Procedure) {
		t.Errorf("work: %d steps, procedure has %d", len(work), len(Procedure))
	}
	if len(work) < 2 || work[0].ID != StepWelcome || work[1].ID != StepConsent {
		t.Errorf("work steps must start welcome, consent: %v", work)
	}
	if n := len(StepsFor(AccountPersonal)); n != len(Procedure)-1 {
		t.Errorf("personal: %d steps, want %d", n, len(Procedure)-1)
	}
	if Procedure[len(Procedure)-1].ID != StepSummary {
		t.Error("summary must come last")
	}
	seen := map[StepID]bool{}
	for _, s := range Procedure {
		if seen[s.ID] {
			t.Errorf("%s twice in Procedure", s.ID)
		}
		seen[s.ID] = true
	}
}

func TestStepRef(t *testing.T) {
	for _, s := range Procedure {
		for _, lang := range assets.Langs {
			if (s.ProcRef == "") != (s.Ref(lang) == "") {
				t.Errorf("%s: ProcRef %q but Ref(%s) %q", s.ID, s.ProcRef, lang, s.Ref(lang))
			}
		}
		if s.ProcRef != "" && s.Ref(assets.EN) != s.ProcRef {
			t.Errorf("%s: Ref(en) %q != ProcRef %q", s.ID, s.Ref(assets.EN), s.ProcRef)
		}
	}
}

func TestPageForUnknown(t *testing.T) {
	p := PageFor(assets.EN, UICWIS, AccountWork, "nope")
	if p.Title != "nope" || p.Lead != "" || p.Actions != nil || p.Settings != nil || p.Notes != nil {
		t.Errorf("unknown step: %+v", p)
	}
	// An unknown generation or account type must not panic and falls back.
	if got, want := PageFor(assets.EN, "", "", StepSMTPServer), PageFor(assets.EN, UICWIS, AccountWork, StepSMTPServer); got.MenuPath != want.MenuPath || got.Title != want.Title {
		t.Errorf("fallback page differs: %+v", got)
	}
}

func TestPageProcedureDetails(t *testing.T) {
	menu := func(lang assets.Lang, gen UIGen, id StepID) string {
		return PageFor(lang, gen, AccountWork, id).MenuPath
	}
	if got := menu(assets.EN, UICWIS, StepSMTPServer); got != "[Properties] > [Connectivity] > [Protocols] > [SMTP Server] > [General]" {
		t.Errorf("en/cwis SMTP menu = %q", got)
	}
	if got := menu(assets.JA, UIIS, StepServiceProvider); got != "[ネットワーク] > [プロトコル設定] > [SMTP]" {
		t.Errorf("ja/is SMTP menu = %q", got)
	}
	if got := menu(assets.JA, UIIS, StepFromAddress); got != "[アプリ] > [メール送信] > [動作設定 (アプリ共通)] > [送信者アドレス]" {
		t.Errorf("ja/is From menu = %q", got)
	}

	for _, lang := range assets.Langs {
		for _, gen := range UIGens {
			sp := PageFor(lang, gen, AccountWork, StepServiceProvider)
			values := map[string]string{}
			for _, s := range sp.Settings {
				values[s.Label] = s.Value
			}
			for k, v := range map[string]string{
				"service_provider":  Label(lang, gen, "service_provider_exo"),
				"smtp_host":         "smtp.office365.com",
				"smtp_port_send":    "587",
				"smtp_port_receive": "25",
			} {
				if got := values[Label(lang, gen, k)]; got != v {
					t.Errorf("%s/%s service-provider setting %s = %q, want %q", lang, gen, k, got, v)
				}
			}
			if !notesMention(sp, Label(lang, gen, "service_provider_none")) || !notesMention(sp, Label(lang, gen, "smtp_port_receive")) {
				t.Errorf("%s/%s service-provider notes miss the reset or receive-port warning: %+v", lang, gen, sp.Notes)
			}

			smtp := PageFor(lang, gen, AccountWork, StepSMTPServer)
			if !notesMention(smtp, Label(lang, gen, "login_credentials_remote")) {
				t.Errorf("%s/%s smtp-server notes miss the credentials warning", lang, gen)
			}
			from := PageFor(lang, gen, AccountWork, StepFromAddress)
			if !notesMention(from, "SendAsDenied") || !notesMention(from, "UPN") {
				t.Errorf("%s/%s from-address notes miss SendAsDenied or the UPN exception", lang, gen)
			}
			id := PageFor(lang, gen, AccountWork, StepIdentity)
			if !strings.Contains(strings.Join(id.Actions, "\n"), Label(lang, gen, "device_details")) {
				t.Errorf("%s/%s identity actions do not say where to change the address", lang, gen)
			}

			work := PageFor(lang, gen, AccountWork, StepSignIn)
			personal := PageFor(lang, gen, AccountPersonal, StepSignIn)
			if countKind(work, NoteImportant) != 1 || countKind(personal, NoteImportant) != 0 {
				t.Errorf("%s/%s sign-in: the conditional access note is for work accounts only: %+v / %+v", lang, gen, work.Notes, personal.Notes)
			}
			// The device's own sign-in (procedure steps 6-9) has its step.
			dev := PageFor(lang, gen, AccountWork, StepDeviceSignIn)
			if !strings.Contains(strings.Join(dev.Actions, "\n"), Label(lang, gen, "open_auth_page")) {
				t.Errorf("%s/%s device sign-in actions do not name %s", lang, gen, Label(lang, gen, "open_auth_page"))
			}
			// What to do when it fails: for work accounts, conditional
			// access, with Microsoft's documentation as the procedure says.
			devPersonal := PageFor(lang, gen, AccountPersonal, StepDeviceSignIn)
			ca := "learn.microsoft.com/entra/identity/conditional-access"
			if !strings.Contains(strings.Join(dev.Trouble, "\n"), ca) || strings.Contains(strings.Join(devPersonal.Trouble, "\n"), ca) {
				t.Errorf("%s/%s device sign-in: the conditional access case (with its link) is for work accounts only: %q / %q", lang, gen, dev.Trouble, devPersonal.Trouble)
			}
			if !strings.Contains(strings.Join(dev.Trouble, "\n"), Label(lang, gen, "open_auth_page")) {
				t.Errorf("%s/%s device sign-in: an expired code does not say to use %s again", lang, gen, Label(lang, gen, "open_auth_page"))
			}
		}
	}
}

func notesMention(p Page, s string) bool {
	for _, n := range p.Notes {
		if strings.Contains(n.Text, s) {
			return true
		}
	}
	return false
}

func countKind(p Page, k NoteKind) int {
	n := 0
	for _, x := range p.Notes {
		if x.Kind == k {
			n++
		}
	}
	return n
}

func TestParseAccount(t *testing.T) {
	for in, want := range map[string]Account{"work": AccountWork, " Personal ": AccountPersonal} {
		if got, err := ParseAccount(in); err != nil || got != want {
			t.Errorf("ParseAccount(%q) = %q, %v", in, got, err)
		}
	}
	_, err := ParseAccount("x")
	if err == nil || err.Error() != `--account "x": allowed values are work, personal` {
		t.Errorf("ParseAccount(x) error = %v", err)
	}
}

func TestParseUIGen(t *testing.T) {
	for in, want := range map[string]UIGen{"cwis": UICWIS, "IS": UIIS} {
		if got, err := ParseUIGen(in); err != nil || got != want {
			t.Errorf("ParseUIGen(%q) = %q, %v", in, got, err)
		}
	}
	_, err := ParseUIGen("foo")
	if err == nil || err.Error() != `--ui "foo": allowed values are cwis (CentreWare Internet Services), is (Internet Services)` {
		t.Errorf("ParseUIGen(foo) error = %v", err)
	}
}
