package ui

import (
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"

	"mfpmail/assets"
	"mfpmail/flow"
)

// Typing or pasting what the device shows explains it on the spot, with
// the same diagnosis as `mfpmail explain`; the view draws only.
func TestExplainField(t *testing.T) {
	for _, tc := range []struct {
		lang assets.Lang
		in   string
		id   string
		want string
	}{
		{assets.EN, "AADSTS50105", "not-assigned", "Assignment required"},
		{assets.EN, "550 5.2.252 Sender throttled due to continuous send as denied errors.", "sender-throttled", "support cannot lift"},
		{assets.JA, "5.7.139", "auth-policy", "認証ポリシー"},
	} {
		t.Run(tc.in, func(t *testing.T) {
			m := New(Options{Config: flow.Config{Lang: tc.lang, UI: flow.UICWIS, Tenant: "contoso.com"}})
			f := newExplainField(m.c)
			f.SetWidth(60)
			f.Focus()
			f, _ = f.Update(tea.PasteMsg{Content: tc.in})
			if f.Text() != tc.in || f.Explanation() == nil || f.Explanation().ID != tc.id {
				t.Fatalf("text %q explanation %+v, want %s", f.Text(), f.Explanation(), tc.id)
			}
			v := f.View(60)
			if !strings.Contains(strings.Join(strings.Fields(v), " "), tc.want) && !strings.Contains(strings.ReplaceAll(v, "\n", ""), tc.want) {
				t.Errorf("view lacks %q:\n%s", tc.want, v)
			}
			if v != f.View(60) {
				t.Error("View is not pure")
			}
		})
	}
	m := New(Options{Config: flow.Config{Lang: assets.EN, UI: flow.UICWIS, Tenant: "contoso.com"}})
	f := newExplainField(m.c)
	f.Focus()
	for _, r := range "hello" {
		f, _ = f.Update(tea.KeyPressMsg{Code: r, Text: string(r)})
	}
	if f.Explanation() != nil || !strings.Contains(f.View(80), "No reply code") {
		t.Errorf("unreadable text: %+v\n%s", f.Explanation(), f.View(80))
	}
}
