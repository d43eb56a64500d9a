package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"mfpmail/assets"
	"mfpmail/flow"
	"mfpmail/internal/reportschema"
)

// The device's prerequisites given as check flags land where the wizard's
// answers land: device_prerequisites in --json and in the reports, and
// the "(answered: …)" notes in the fix of a failed device sign-in, the
// same text flow.DeviceCauses gives the wizard. Not given, they stay
// unanswered (no "answer" key).
func TestCheckDevicePrereqFlags(t *testing.T) {
	dir := t.TempDir()
	md := filepath.Join(dir, "r.md")
	locked := []string{"--from-policy", "locked", "--login-credentials", "system"}
	for _, tc := range []struct {
		name  string
		flags []string
		want  flow.PrereqAnswers
	}{
		{"answered", []string{"--device-firmware", "no", "--device-clock", "YES", "--device-certificates", "no",
			"--report", md}, flow.PrereqAnswers{Firmware: "no", Clock: "yes", Certificates: "no"}},
		{"not given", nil, flow.PrereqAnswers{}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			args := append([]string{"check", "--demo", "--approve-after", "1s", "--json", "--device-signed-in", "no"}, locked...)
			var out, errb bytes.Buffer
			if code := run(append(args, tc.flags...), &out, &errb); code != 1 {
				t.Fatalf("exit %d, want 1 (the device's sign-in failed)\n%s\n%s", code, errb.String(), out.String())
			}
			reportschema.Check(t, out.Bytes())
			var rep flow.Report
			if err := json.Unmarshal(out.Bytes(), &rep); err != nil {
				t.Fatal(err)
			}
			var got flow.PrereqAnswers
			for _, p := range rep.Prerequisites {
				got = got.With(p.ID, p.Answer)
			}
			if got != tc.want || len(rep.Prerequisites) != len(flow.DevicePrereqs) {
				t.Errorf("device_prerequisites %+v, want %+v", rep.Prerequisites, tc.want)
			}
			var raw struct {
				Prereqs []map[string]any `json:"device_prerequisites"`
			}
			json.Unmarshal(out.Bytes(), &raw)
			for _, p := range raw.Prereqs {
				if _, ok := p["answer"]; ok != (tc.want.Get(p["id"].(string)) != "") {
					t.Errorf("%v: an answer key only where answered", p)
				}
			}
			causes := flow.DeviceCauses(assets.EN, flow.UIGen(rep.DeviceUI), tc.want)
			for _, c := range rep.Checks {
				if c.ID == flow.CheckDeviceSignIn && (c.Status != flow.Fail || !strings.Contains(c.Fix, causes)) {
					t.Errorf("device-sign-in %s, fix lacks the causes with the answers:\n%s\nwant within it:\n%s", c.Status, c.Fix, causes)
				}
			}
			if n := strings.Count(out.String(), "(answered: "); n != countAnswered(tc.want) {
				t.Errorf("%d answered notes, want %d (one per answer, in the failed sign-in's fix)", n, countAnswered(tc.want))
			}
			if tc.name != "answered" {
				return
			}
			b, err := os.ReadFile(md)
			if err != nil {
				t.Fatal(err)
			}
			for _, p := range rep.Prerequisites {
				if p.Answer != "" && !strings.Contains(string(b), p.Question) {
					t.Errorf("the Markdown report lacks %q", p.Question)
				}
			}
		})
	}
}

func countAnswered(p flow.PrereqAnswers) int {
	n := 0
	for _, id := range flow.DevicePrereqs {
		if p.Get(id) != "" {
			n++
		}
	}
	return n
}

// Bad values of the prerequisite flags: one line naming the flag, the
// value and the allowed values, exit 2; not-tried belongs to --device-scan.
func TestCheckDevicePrereqBadValues(t *testing.T) {
	for _, f := range []string{"device-firmware", "device-clock", "device-certificates", "device-path"} {
		for _, v := range []string{"maybe", "not-tried"} {
			var out, errb bytes.Buffer
			if code := run([]string{"check", "--" + f, v}, &out, &errb); code != 2 {
				t.Errorf("--%s %s: exit %d, want 2", f, v, code)
			}
			msg := errb.String()
			for _, w := range []string{"--" + f, `"` + v + `"`, "allowed values are yes, no\n"} {
				if !strings.Contains(msg, w) || strings.Count(msg, "\n") != 1 || out.Len() != 0 {
					t.Errorf("--%s %s: %q lacks %q (or is not one line)", f, v, msg, w)
				}
			}
		}
	}
}

// Every device answer flag completes its values.
func TestCompleteDeviceAnswers(t *testing.T) {
	for f, want := range map[string][]string{
		"device-signed-in": {"yes", "no"}, "device-scan": {"yes", "no", "not-tried"},
		"device-firmware": {"yes", "no"}, "device-clock": {"yes", "no"},
		"device-certificates": {"yes", "no"}, "device-path": {"yes", "no"},
	} {
		var out, errb bytes.Buffer
		if code := run([]string{"__complete", "check", "--" + f, ""}, &out, &errb); code != 0 {
			t.Fatalf("exit %d: %s", code, errb.String())
		}
		var got []string
		for _, l := range strings.Split(out.String(), "\n") {
			if v, _, _ := strings.Cut(l, "\t"); v != "" && !strings.HasPrefix(v, ":") {
				got = append(got, v)
			}
		}
		if strings.Join(got, " ") != strings.Join(want, " ") {
			t.Errorf("--%s completes %q, want %q", f, got, want)
		}
	}
}
