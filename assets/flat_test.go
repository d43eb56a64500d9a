package assets

import (
	"encoding/json"
	"io/fs"
	"maps"
	"strings"
	"testing"
)

// The fast reader gives exactly what encoding/json gives for every
// embedded file.
func TestDecodeFlatAgreesOnEveryFile(t *testing.T) {
	n := 0
	err := fs.WalkDir(textFS, "text", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(p, ".json") {
			return err
		}
		b, _ := textFS.ReadFile(p)
		slow := map[string]string{}
		fast, err := flatMap(string(b))
		if err != nil {
			t.Errorf("%s: the fast reader refused an embedded file: %v", p, err)
		}
		if err := json.Unmarshal(b, &slow); err != nil {
			t.Fatalf("%s: %v", p, err)
		}
		if !maps.Equal(fast, slow) {
			t.Errorf("%s: the fast reader and encoding/json disagree", p)
		}
		n++
		return nil
	})
	if err != nil || n < 40 {
		t.Fatalf("walked %d files: %v", n, err)
	}
}

// Whatever the fast reader accepts, encoding/json reads the same; what it
// does not read itself it refuses, and the loader falls back.
func TestDecodeFlatCases(t *testing.T) {
	for _, tc := range []struct {
		in     string
		accept bool
	}{
		{`{}`, true},
		{" \n{ }\n", true},
		{`{"a":"b"}`, true},
		{`{"a" : "b" , "c":"d"}` + "\n", true},
		{`{"a":"line\nnext \"q\" \\ \/ \u00e9 \ud83d\ude00"}`, true},
		{`{"a":"b","a":"c"}`, true}, // the later one wins, as in encoding/json
		{`{"é":"日本語"}`, true},
		{`{"a":"ends with backslash\\"}`, true},
		{`{"a":1}`, false},
		{`{"a":{"b":"c"}}`, false},
		{`{"a":"b",}`, false},
		{`{"a":"b"} x`, false},
		{`{"a":"b"`, false},
		{`{"a":"unterminated}`, false},
		{"{\"a\":\"tab\there\"}", false},
		{"{\"a\":\"\xff\"}", false},
		{`{"a":"bad \x escape"}`, false},
		{`["a"]`, false},
		{``, false},
	} {
		fast, err := flatMap(tc.in)
		if (err == nil) != tc.accept {
			t.Errorf("%q: accepted %v, want %v (%v)", tc.in, err == nil, tc.accept, err)
			continue
		}
		if err != nil {
			continue
		}
		slow := map[string]string{}
		if jerr := json.Unmarshal([]byte(tc.in), &slow); jerr != nil {
			t.Errorf("%q: accepted, but encoding/json refuses it: %v", tc.in, jerr)
		} else if !maps.Equal(fast, slow) {
			t.Errorf("%q: got %q, encoding/json %q", tc.in, fast, slow)
		}
	}
}

// flatMap is decodeFlat's pairs as a map, a later key winning as in
// encoding/json.
func flatMap(s string) (map[string]string, error) {
	kv, err := decodeFlat(s, nil)
	m := map[string]string{}
	for i := 0; i+1 < len(kv); i += 2 {
		m[kv[i]] = kv[i+1]
	}
	return m, err
}

func BenchmarkLoad(b *testing.B) {
	for b.Loop() {
		load()
	}
}
