package flow

import (
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/x/exp/golden"

	"mfpmail/assets"
	"mfpmail/internal/reportschema"
)

// The reports at the headline's levels, in every format and both
// languages, against their golden files (go test -run TestReportGoldens
// -update writes them anew; read the diff before committing it).
func TestReportGoldens(t *testing.T) {
	levels := []struct {
		name           string
		signIn, scan   string
		prereq, answer string
		account        Account
	}{
		{"ready", DeviceYes, DeviceYes, "path", DeviceYes, AccountWork},
		{"account-ready", DeviceYes, "", "", "", AccountWork},
		// A personal account has no tenant: the headline names the account alone.
		{"account-ready-personal", DeviceYes, "", "", "", AccountPersonal},
		{"failed", DeviceNo, DeviceNotTried, "certificates", DeviceNo, AccountWork},
	}
	for _, lv := range levels {
		for _, lang := range []assets.Lang{assets.EN, assets.JA} {
			o := passedOutcome("")
			o.Config.Lang = lang
			if lang == assets.JA {
				o.Config.UI = UIIS
			}
			if lv.account == AccountPersonal {
				o.Config.Account = AccountPersonal
				sess := testSession(testUPN) // as Microsoft's consumer tenant signs it in
				sess.Identity.TenantID, sess.Identity.Personal = ConsumerTenantID, true
				o.RecordSignIn(sess, nil)
				o.Send.Inputs = o.Now()
			}
			o.Answers.Prereqs = o.Answers.Prereqs.With(lv.prereq, lv.answer)
			o.AnswerDevice(CheckDeviceSignIn, lv.signIn)
			o.AnswerDevice(CheckDeviceScan, lv.scan)
			r := NewReport(o, ReportMeta{Version: "golden", RunBy: "tech", Host: "laptop1",
				Now:    time.Date(2026, 12, 7, 9, 30, 0, 0, time.UTC),
				Device: DeviceInfo{Model: "Apeos C3060", Site: "Contoso HQ 3F", Technician: "Hanako Sato"}})
			if want, _, _ := strings.Cut(lv.name, "-personal"); string(r.Verdict) != want {
				t.Fatalf("%s/%s: verdict %s", lv.name, lang, r.Verdict)
			}
			h, err := r.HTML()
			if err != nil {
				t.Fatal(err)
			}
			for format, out := range map[string][]byte{"md": r.Markdown(), "json": r.JSON(), "html": h} {
				t.Run(lv.name+"/"+string(lang)+"/"+format, func(t *testing.T) {
					golden.RequireEqual(t, out)
					if format == "json" {
						reportschema.Check(t, out)
					}
				})
			}
		}
	}
}
