// Package reportschema validates JSON reports against the published
// schema, docs/report.schema.json, for the tests of every package that
// writes a report. Only tests import it: the program does not carry a
// JSON Schema validator.
package reportschema

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"sync"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"
)

// File is the schema's place in the repository.
const File = "docs/report.schema.json"

var (
	once   sync.Once
	schema *jsonschema.Schema
	errLd  error
)

// root finds the module's root above this source file, so that a test
// that changed its working directory (t.Chdir) still finds the schema; a
// build with -trimpath records no such path, and the working directory
// (a package's directory while its tests run) is searched instead.
func root() (string, error) {
	dir, err := os.Getwd()
	if _, file, _, ok := runtime.Caller(0); ok && filepath.IsAbs(file) {
		dir, err = filepath.Dir(file), nil
	}
	if err != nil {
		return "", err
	}
	start := dir
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir, nil
		}
		up := filepath.Dir(dir)
		if up == dir {
			return "", fmt.Errorf("no go.mod above %s", start)
		}
		dir = up
	}
}

func load() (*jsonschema.Schema, error) {
	once.Do(func() {
		dir, err := root()
		if err != nil {
			errLd = err
			return
		}
		c := jsonschema.NewCompiler()
		c.AssertFormat()
		schema, errLd = c.Compile(filepath.Join(dir, File))
	})
	return schema, errLd
}

// Validate checks one JSON report against the schema.
func Validate(report []byte) error {
	s, err := load()
	if err != nil {
		return fmt.Errorf("loading %s: %w", File, err)
	}
	v, err := jsonschema.UnmarshalJSON(bytes.NewReader(report))
	if err != nil {
		return fmt.Errorf("the report is not JSON: %w", err)
	}
	return s.Validate(v)
}

// Check fails the test when report does not follow the schema.
func Check(t testing.TB, report []byte) {
	t.Helper()
	if err := Validate(report); err != nil {
		var pretty bytes.Buffer
		_ = json.Indent(&pretty, report, "", "  ")
		t.Errorf("the report does not follow %s: %v\n%s", File, err, pretty.String())
	}
}
