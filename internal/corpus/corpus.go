// Package corpus holds, for tests only, the replies and error bodies that
// Microsoft documents (or that public field reports show, marked as such),
// each with its source and the diagnosis it must give, and loopback
// servers that replay any of them: an SMTP server with real STARTTLS and
// an HTTPS token endpoint. It is a leaf: it imports nothing of mfpmail,
// so the packages that diagnose can be tested against it without the
// simulator in demo/, which is written from the same understanding as the
// diagnoses and so cannot be their authority.
package corpus

import (
	"embed"
	"encoding/json"
	"fmt"
	"sort"
)

//go:embed testdata/*.json
var files embed.FS

// Source is where an entry was copied from.
type Source struct {
	Title string `json:"title"`
	URL   string `json:"url"`
	// Kind: "microsoft" (Microsoft's own page), "standard" (an RFC) or
	// "field-report" (a public report of what a server really sent).
	Kind string `json:"kind"`
}

// Reply is an SMTP reply as a server sends it.
type Reply struct {
	// Lines are the reply's lines as sent ("550 5.2.252 …"); more than one
	// for a multi-line reply.
	Lines []string `json:"reply"`
	// Verbatim is exactly what the source shows; it is part of Lines.
	Verbatim string `json:"verbatim"`
	// Assembled says what was added to the verbatim text to make a whole
	// reply, and why (e.g. a reply code where the source gives only the
	// enhanced code). Empty when Lines are the source's own.
	Assembled string `json:"assembled,omitempty"`
	// Stage is where the server gives it: greeting, ehlo, auth, mail,
	// rcpt or data.
	Stage  string `json:"stage"`
	Source string `json:"source"` // a key of the file's sources
	// Want is the diagnosis ID; Recognised whether it is a documented one
	// (false: explained by its parts).
	Want       string `json:"want"`
	Recognised bool   `json:"recognised"`
}

// TokenError is an error answer of the token endpoint.
type TokenError struct {
	Name   string          `json:"name"`
	Status int             `json:"status"`
	Body   json.RawMessage `json:"body"` // replayed byte for byte
	// Verbatim is the text the source shows; it is part of Body.
	Verbatim  string `json:"verbatim"`
	Assembled string `json:"assembled,omitempty"`
	Source    string `json:"source"`
	// Want is the diagnosis (Problem) ID; Recognised as for Reply.
	Want       string `json:"want"`
	Recognised bool   `json:"recognised"`
}

type smtpFile struct {
	Sources map[string]Source `json:"sources"`
	Replies []Reply           `json:"replies"`
}

type tokenFile struct {
	Sources map[string]Source `json:"sources"`
	Errors  []TokenError      `json:"errors"`
}

func load(name string, v any) {
	b, err := files.ReadFile("testdata/" + name)
	if err == nil {
		err = json.Unmarshal(b, v)
	}
	if err != nil {
		panic(fmt.Sprintf("corpus: %s: %v", name, err)) // the corpus is compiled in: a broken file is a bug
	}
}

// Replies is the SMTP corpus and its sources.
func Replies() ([]Reply, map[string]Source) {
	var f smtpFile
	load("smtp.json", &f)
	return f.Replies, f.Sources
}

// TokenErrors is the token endpoint corpus and its sources.
func TokenErrors() ([]TokenError, map[string]Source) {
	var f tokenFile
	load("token.json", &f)
	return f.Errors, f.Sources
}

// Count says how many entries each source has, for the record.
func Count() map[string]int {
	out := map[string]int{}
	replies, rs := Replies()
	for _, r := range replies {
		out[rs[r.Source].Title]++
	}
	errs, ts := TokenErrors()
	for _, e := range errs {
		out[ts[e.Source].Title]++
	}
	return out
}

// Titles lists the sources' titles in order, for stable output.
func Titles(m map[string]int) []string {
	var ts []string
	for t := range m {
		ts = append(ts, t)
	}
	sort.Strings(ts)
	return ts
}
