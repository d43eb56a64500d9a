package flow_test

import (
	"context"
	"crypto/x509"
	"testing"
	"time"

	"mfpmail/assets"
	"mfpmail/flow"
	"mfpmail/internal/corpus"
)

// The same bodies from a real token endpoint over HTTPS: the device code
// sign-in stops with the corpus's diagnosis.
func TestCorpusTokenErrorsOverTheWire(t *testing.T) {
	errs, _ := corpus.TokenErrors()
	for _, e := range errs {
		t.Run(e.Name, func(t *testing.T) {
			t.Parallel()
			idp := corpus.StartIdP(t, e.Status, e.Body)
			pool := x509.NewCertPool()
			pool.AppendCertsFromPEM(idp.CAPEM)
			cfg := flow.Config{Lang: assets.EN, Authority: idp.URL, GraphURL: idp.URL, HTTPClient: flow.NewHTTPClient(pool)}.WithDefaults()
			ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
			defer cancel()
			dc, err := flow.StartSignIn(ctx, cfg)
			if err != nil {
				t.Fatalf("device code: %v", err)
			}
			_, err = flow.WaitForSignIn(ctx, cfg, dc)
			p := flow.AsProblem(err)
			if p == nil || p.ID != e.Want {
				t.Fatalf("problem %+v, want %s", p, e.Want)
			}
		})
	}
}
