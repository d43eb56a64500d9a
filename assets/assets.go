// Package assets holds the wizard's data: the step texts and every message
// shown to the technician, in English and Japanese, embedded in the binary.
//
// Texts live in assets/text/<lang>/*.json as flat objects of key → text.
// Keys are namespaced by their owner ("step.", "ui.", "diag.", "smtp.", …).
// A text may hold {name} placeholders, filled by T's key/value arguments.
package assets

import (
	"embed"
	"encoding/json"
	"fmt"
	"io/fs"
	"path"
	"sort"
	"strings"
	"sync"
)

//go:embed text
var textFS embed.FS

// Lang is a language the wizard speaks.
type Lang string

const (
	EN Lang = "en"
	JA Lang = "ja"
)

// Langs lists the supported languages, English first.
var Langs = []Lang{EN, JA}

// ParseLang accepts "en" or "ja" (any case).
func ParseLang(s string) (Lang, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "en":
		return EN, nil
	case "ja":
		return JA, nil
	}
	return "", fmt.Errorf("--lang %q: allowed values are en, ja", s)
}

// LangFromEnv picks the language from LC_ALL, LC_MESSAGES or LANG as POSIX
// orders them: ja for a Japanese locale, English otherwise.
func LangFromEnv(getenv func(string) string) Lang {
	for _, k := range []string{"LC_ALL", "LC_MESSAGES", "LANG"} {
		if v := getenv(k); v != "" {
			if strings.HasPrefix(strings.ToLower(v), "ja") {
				return JA
			}
			return EN
		}
	}
	return EN
}

var (
	loadOnce sync.Once
	tables   map[Lang]map[string]string
	loadErr  error
)

func load() {
	tables = map[Lang]map[string]string{}
	var kv []string // one file's keys and texts, in turn
	for _, l := range Langs {
		t := make(map[string]string, 2048)
		tables[l] = t
		dir := path.Join("text", string(l))
		entries, err := fs.ReadDir(textFS, dir)
		if err != nil {
			loadErr = err
			return
		}
		for _, e := range entries {
			if !strings.HasSuffix(e.Name(), ".json") {
				continue
			}
			b, err := textFS.ReadFile(path.Join(dir, e.Name()))
			if err != nil {
				loadErr = err
				return
			}
			// One string of the file, which the texts are parts of.
			if kv, err = decodeFlat(string(b), kv[:0]); err != nil {
				kv, err = decodeJSON(b, kv[:0])
			}
			if err != nil {
				loadErr = fmt.Errorf("assets: %s/%s: %w", dir, e.Name(), err)
				return
			}
			for i := 0; i+1 < len(kv); i += 2 {
				if _, dup := t[kv[i]]; dup {
					loadErr = fmt.Errorf("assets: key %q defined twice in %s", kv[i], dir)
					return
				}
				t[kv[i]] = kv[i+1]
			}
		}
	}
}

// decodeJSON is decodeFlat by encoding/json, for a file the fast reader
// does not read itself; it gives the precise error.
func decodeJSON(b []byte, kv []string) ([]string, error) {
	m := map[string]string{}
	if err := json.Unmarshal(b, &m); err != nil {
		return kv, err
	}
	for k, v := range m {
		kv = append(kv, k, v)
	}
	return kv, nil
}

// Check reports a broken text file (bad JSON or a key defined twice).
// Tests call it; T never fails.
func Check() error {
	loadOnce.Do(load)
	return loadErr
}

// Has reports whether lang defines key itself (without falling back).
func Has(lang Lang, key string) bool {
	loadOnce.Do(load)
	_, ok := tables[lang][key]
	return ok
}

// Keys lists every key defined for lang, sorted.
func Keys(lang Lang) []string {
	loadOnce.Do(load)
	out := make([]string, 0, len(tables[lang]))
	for k := range tables[lang] {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// OrDash is a placeholder's value, or "-" where there is none, so that a
// text never shows an empty gap. The dash is ASCII: the value may go into
// a mail header or body, a log or a report as well as onto a screen.
func OrDash(s string) string {
	if strings.TrimSpace(s) == "" {
		return "-"
	}
	return s
}

// T returns the text for key in lang, falling back to English, and to the
// key itself when neither defines it. kv are placeholder/value pairs:
// T(EN, "diag.x", "host", "smtp.office365.com") fills {host}.
func T(lang Lang, key string, kv ...string) string {
	loadOnce.Do(load)
	s, ok := tables[lang][key]
	if !ok {
		s, ok = tables[EN][key]
	}
	if !ok {
		s = key
	}
	if len(kv) == 0 || !strings.Contains(s, "{") {
		return s
	}
	for i := 0; i+1 < len(kv); i += 2 {
		if p := "{" + kv[i] + "}"; strings.Contains(s, p) {
			s = strings.ReplaceAll(s, p, kv[i+1])
		}
	}
	return s
}

// The texts are decoded on another core while the rest of the program
// starts: every command shows texts, decoding them is the largest piece of
// start-up work, and the first call of T then finds them ready or nearly.
func init() { go loadOnce.Do(load) }
