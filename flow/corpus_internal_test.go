package flow

import (
	"net/http"
	"strings"
	"testing"

	"mfpmail/assets"
	"mfpmail/internal/corpus"
)

// Every token endpoint error body in the corpus gives the diagnosis the
// corpus names, texts filled in both languages, source named.
func TestCorpusTokenErrors(t *testing.T) {
	errs, _ := corpus.TokenErrors()
	for _, e := range errs {
		t.Run(e.Name, func(t *testing.T) {
			for _, lang := range assets.Langs {
				resp := &http.Response{StatusCode: e.Status, Header: http.Header{"Content-Type": {"application/json; charset=utf-8"}}}
				p := diagnoseResponse(lang, "login.microsoftonline.com", resp, e.Body, "", "")
				if p.ID != e.Want || p.Recognised != e.Recognised {
					t.Fatalf("%s: %s recognised=%v, want %s recognised=%v", lang, p.ID, p.Recognised, e.Want, e.Recognised)
				}
				for _, s := range []string{p.Title, p.Detail, p.Fix} {
					if s == "" || strings.Contains(s, "{") || strings.Contains(s, "diag.") {
						t.Errorf("%s: text not filled: %q", lang, s)
					}
				}
				if p.Source == "" || p.CorrelationID == "" {
					t.Errorf("%s: source %q, correlation id %q", lang, p.Source, p.CorrelationID)
				}
			}
		})
	}
}

// Every diagnosis the tables can give has its texts in both languages and
// names its source.
func TestTablesHaveTextsAndSources(t *testing.T) {
	var all []entry
	for _, e := range byAADSTS {
		all = append(all, e)
	}
	for _, c := range byError {
		all = append(all, c.entry)
	}
	for _, e := range all {
		if e.source.String() == "" {
			t.Errorf("%s: no source", e.id)
		}
		for _, lang := range assets.Langs {
			for _, f := range []string{"title", "detail", "fix"} {
				if !assets.Has(lang, "diag."+e.id+"."+f) {
					t.Errorf("%s: no diag.%s.%s", lang, e.id, f)
				}
			}
		}
	}
}
