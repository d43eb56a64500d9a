package ui

import (
	"testing"

	"mfpmail/assets"
	"mfpmail/flow"
)

// The test message's default recipient is the signed-in account's own
// address: after a test send to it and a sign-in as another account, the
// test-send screen offers the new account's address. An address the
// technician typed stays.
func TestRecipientFollowsTheAccount(t *testing.T) {
	first := flow.Identity{UPN: "copier@contoso.com", Mail: "copier@contoso.com"}
	second := flow.Identity{UPN: "scanner@contoso.com", Mail: "scanner@contoso.com"}
	signInAs := func(m *Model, id flow.Identity) {
		goto_(m, flow.StepSignIn)
		signedIn(m, id)
		goto_(m, flow.StepTestSend)
	}
	to := func(m *Model) string { return m.screen().(*testSendScreen).to.Value() }

	m := newTestModel(t, assets.EN, flow.UICWIS)
	signInAs(m, first)
	if got := to(m); got != "copier@contoso.com" {
		t.Fatalf("first account: To %q", got)
	}
	m.Update(recipientMsg{to: to(m)}) // what a test send records
	signInAs(m, second)
	if got := to(m); got != "scanner@contoso.com" {
		t.Errorf("after signing in as %s: To %q, want the new account's address", second.UPN, got)
	}

	m.Update(recipientMsg{to: "it@contoso.com"})
	signInAs(m, first)
	if got := to(m); got != "it@contoso.com" {
		t.Errorf("a typed recipient did not stay: To %q", got)
	}
}
