package main

import (
	"encoding/json"
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"
)

// dynamicTextFamilies are the key prefixes under which the code reads
// texts by keys it builds from data (a step, check or rule id, a number),
// so no literal names them whole; every key under them counts as used.
var dynamicTextFamilies = []string{
	"step.",           // flow: "step." + step id + "." + field, numbered tips and notes
	"label.",          // flow: "label." + web UI generation + "." + field
	"check.",          // flow: "check." + check id + "." + outcome
	"smtp.diag.",      // smtpcheck: "smtp.diag." + rule id + "." + field
	"smtp.part.",      // smtpcheck: the enhanced code's class, subject and detail numbers
	"handover.ends.",  // flow: the handover's numbered closing lines
	"explain.signin.", // flow: "explain." + kind + "." + diagnosis id + ".detail" or ".fix"
	"explain.smtp.",
}

// Every text in assets/text is read by the program or its tests: its key
// is a string literal of the code, or is built from literals joined at a
// separator (prefix + id, prefix + id + suffix), or lies under one of the
// documented dynamic families. A text no code reads is dead: remove it
// from both languages.
func TestEveryTextIsUsed(t *testing.T) {
	lits := codeLiterals(t)
	var dead []string
	for _, k := range textKeys(t, "assets/text/en") {
		if !keyUsed(k, lits) {
			dead = append(dead, k)
		}
	}
	if len(dead) > 0 {
		t.Errorf("%d texts no code reads (remove them from en and ja, or name their family in dynamicTextFamilies):\n  %s",
			len(dead), strings.Join(dead, "\n  "))
	}
}

// keyUsed: k is a literal, or literals joined at '.', '-' or '_' (at most
// three parts), or in a dynamic family.
func keyUsed(k string, lits map[string]bool) bool {
	for _, f := range dynamicTextFamilies {
		if strings.HasPrefix(k, f) {
			return true
		}
	}
	if lits[k] {
		return true
	}
	var cuts []int
	for i, r := range k {
		if r == '.' || r == '-' || r == '_' {
			cuts = append(cuts, i)
		}
	}
	for _, i := range cuts {
		if !lits[k[:i+1]] {
			continue
		}
		if lits[k[i+1:]] {
			return true
		}
		for _, j := range cuts {
			if j > i+1 && lits[k[i+1:j]] && lits[k[j:]] {
				return true
			}
		}
	}
	return false
}

// codeLiterals are the string literals of the repository's Go code, its
// tests included (a test may hold a word every fix must use).
func codeLiterals(t *testing.T) map[string]bool {
	t.Helper()
	lits := map[string]bool{}
	fset := token.NewFileSet()
	err := filepath.WalkDir(".", func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && (strings.HasPrefix(d.Name(), ".") && p != "." || d.Name() == "testdata") {
			return filepath.SkipDir
		}
		if d.IsDir() || !strings.HasSuffix(p, ".go") {
			return nil
		}
		f, err := parser.ParseFile(fset, p, nil, parser.SkipObjectResolution)
		if err != nil {
			return err
		}
		ast.Inspect(f, func(n ast.Node) bool {
			if b, ok := n.(*ast.BasicLit); ok && b.Kind == token.STRING {
				if s, err := strconv.Unquote(b.Value); err == nil {
					lits[s] = true
				}
			}
			return true
		})
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return lits
}

// textKeys are the keys of every text file in dir.
func textKeys(t *testing.T, dir string) []string {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(dir, "*.json"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no texts in %s: %v", dir, err)
	}
	var keys []string
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		m := map[string]string{}
		if err := json.Unmarshal(data, &m); err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		for k := range m {
			keys = append(keys, k)
		}
	}
	sort.Strings(keys)
	return keys
}
