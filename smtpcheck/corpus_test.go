package smtpcheck

import (
	"context"
	"crypto/x509"
	"strings"
	"testing"
	"time"

	"mfpmail/assets"
	"mfpmail/internal/corpus"
)

// Every reply in the corpus (Microsoft's pages, field reports) gives the
// diagnosis the corpus names, with its texts filled in both languages and
// a source named.
func TestCorpusReplies(t *testing.T) {
	replies, _ := corpus.Replies()
	for _, e := range replies {
		t.Run(e.Lines[0], func(t *testing.T) {
			r, err := ParseReply(e.Lines)
			if err != nil {
				t.Fatal(err)
			}
			c := Setup{User: "scanner@contoso.com", From: "scanner@contoso.com", Host: "smtp.office365.com", Port: 587}
			for _, lang := range assets.Langs {
				d := DiagnoseWith(lang, Stage(e.Stage), &r, nil, c)
				if d.ID != e.Want || d.Recognised != e.Recognised {
					t.Fatalf("%s: %s recognised=%v, want %s recognised=%v", lang, d.ID, d.Recognised, e.Want, e.Recognised)
				}
				checkRendered(t, d)
				if d.Source == "" || !strings.Contains(d.Detail+d.Title, r.EnhancedString()) {
					t.Errorf("%s: no source (%q), or the code is not quoted: %s", lang, d.Source, d.Detail)
				}
			}
		})
	}
}

// The same replies from a real server: the corpus replay server answers
// with each at its stage over STARTTLS, and Send stops there with the
// same diagnosis.
func TestCorpusRepliesOverTheWire(t *testing.T) {
	replies, _ := corpus.Replies()
	for _, e := range replies {
		t.Run(e.Lines[0], func(t *testing.T) {
			t.Parallel()
			res := replaySend(t, e.Stage, e.Lines)
			if res.Delivered || res.Diagnosis.ID != e.Want {
				t.Fatalf("stopped at %s with %s, want %s\n%s", res.Stage, res.Diagnosis.ID, e.Want, strings.Join(texts(res), "\n"))
			}
			if string(res.Stage) != e.Stage && !(e.Stage == "ehlo" && res.Stage == StageEHLO) {
				t.Errorf("stage %s, want %s", res.Stage, e.Stage)
			}
		})
	}
}

// A reply means the same at whatever stage it comes: the diagnosis
// follows the reply, not the stage.
func TestCorpusReplyAtEveryStage(t *testing.T) {
	lines := []string{"550 5.2.252 Sender throttled due to continuous send as denied errors."}
	for _, st := range []string{"greeting", "ehlo", "auth", "mail", "rcpt", "data"} {
		t.Run(st, func(t *testing.T) {
			t.Parallel()
			if res := replaySend(t, st, lines); res.Diagnosis.ID != IDSenderThrottled {
				t.Errorf("%s: %s\n%s", st, res.Diagnosis.ID, strings.Join(texts(res), "\n"))
			}
		})
	}
}

func replaySend(t *testing.T, stage string, lines []string) Result {
	t.Helper()
	srv := corpus.StartSMTP(t, stage, lines)
	pool := x509.NewCertPool()
	pool.AppendCertsFromPEM(srv.CAPEM)
	o := Options{Host: "127.0.0.1", Port: srv.Port, RootCAs: pool, User: "scanner@contoso.com", Token: "corpus-token-0123456789",
		To: []string{"it@contoso.com"}, DeviceEmail: "scanner@contoso.com", WizardVersion: "test",
		CommandTimeout: 10 * time.Second, DialTimeout: 10 * time.Second, Lang: assets.EN}
	return Send(context.Background(), o)
}

// Every rule of the reply table names its source.
func TestReplyRulesHaveSources(t *testing.T) {
	for i, rr := range replyRules {
		if rr.source.Title == "" || rr.source.URL == "" {
			t.Errorf("rule %d (%s): source %+v", i, rr.id, rr.source)
		}
	}
}
