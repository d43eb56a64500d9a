package flow

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"mfpmail/assets"
	"mfpmail/internal/reportschema"
)

// What the device showed after a failed answer is recorded cleaned and
// capped, explained the same way as `mfpmail explain`, reported in every
// format, and goes stale with the answer it belongs to.
func TestDeviceShownInReports(t *testing.T) {
	const throttled = "550 5.2.252 Sender throttled due to continuous send as denied errors."
	for _, lang := range []assets.Lang{assets.EN, assets.JA} {
		o := passedOutcome("")
		o.Config.Lang = lang
		o.ShowDevice(CheckDeviceScan, throttled) // no "no" yet: nothing to attach it to
		if o.DeviceShownNow(CheckDeviceScan, lang) != nil {
			t.Fatal("text recorded without an answer")
		}
		o.AnswerDevice(CheckDeviceSignIn, DeviceNo)
		o.AnswerDevice(CheckDeviceScan, DeviceNo)
		o.ShowDevice(CheckDeviceScan, "  "+throttled+"\x1b[0m\r\n")
		o.ShowDevice(CheckDeviceSignIn, "hello"+strings.Repeat("x", 5000))
		o.AnswerDevice(CheckDeviceScan, DeviceNo) // the same answer again keeps it
		r := NewReport(o, ReportMeta{Version: "t", Now: time.Date(2026, 12, 7, 9, 0, 0, 0, time.UTC)})
		if len(r.DeviceShown) != 2 {
			t.Fatalf("%s: device_shown %+v", lang, r.DeviceShown)
		}
		in, scan := r.DeviceShown[0], r.DeviceShown[1]
		if in.Check != CheckDeviceSignIn || in.Explanation != nil || len([]rune(in.Text)) > MaxDeviceShown {
			t.Errorf("sign-in: %q (%d) %+v", in.Check, len([]rune(in.Text)), in.Explanation)
		}
		if scan.Check != CheckDeviceScan || strings.ContainsAny(scan.Text, "\x1b\r\n") || !strings.Contains(scan.Text, throttled) ||
			scan.Explanation == nil || scan.Explanation.ID != "sender-throttled" {
			t.Fatalf("scan: %+v", scan)
		}
		want, err := Explain(throttled, lang)
		if got := scan.Explanation; err != nil || got.ID != want.ID || got.Title != want.Title || got.Fix != want.Fix || got.Source != want.Source {
			t.Errorf("diagnosis differs from Explain: %+v vs %+v", scan.Explanation, want)
		}
		h, err := r.HTML()
		if err != nil {
			t.Fatal(err)
		}
		for format, out := range map[string]string{"md": string(r.Markdown()), "json": string(r.JSON()), "html": string(h)} {
			for _, w := range []string{throttled, "sender-throttled", want.Title, assets.T(lang, "report.device_shown")} {
				if !strings.Contains(out, w) && (format != "json" || w != assets.T(lang, "report.device_shown")) {
					t.Errorf("%s/%s lacks %q", lang, format, w)
				}
			}
			if strings.Contains(out, "\x1b") {
				t.Errorf("%s/%s holds an escape character", lang, format)
			}
		}
		reportschema.Check(t, r.JSON())
		var v struct {
			DeviceShown []DeviceShown `json:"device_shown"`
		}
		if err := json.Unmarshal(r.JSON(), &v); err != nil || len(v.DeviceShown) != 2 || v.DeviceShown[1].Explanation.ID != "sender-throttled" {
			t.Errorf("json: %v %+v", err, v)
		}

		// A different sender makes the scan's answer stale, and its text with it.
		stale := o
		stale.Answers.Sender = "other@contoso.com"
		if r := NewReport(stale, ReportMeta{}); len(r.DeviceShown) != 1 || r.DeviceShown[0].Check != CheckDeviceSignIn {
			t.Errorf("stale scan answer still reports its text: %+v", r.DeviceShown)
		}
		// A changed answer drops it.
		o.AnswerDevice(CheckDeviceScan, DeviceYes)
		o.ShowDevice(CheckDeviceScan, throttled)
		if s := o.DeviceShownNow(CheckDeviceScan, lang); s != nil {
			t.Errorf("text kept after the scan arrived: %+v", s)
		}
		if r := NewReport(o, ReportMeta{}); len(r.DeviceShown) != 1 {
			t.Errorf("after yes: %+v", r.DeviceShown)
		}
	}
}
