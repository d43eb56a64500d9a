package main

import (
	"os/exec"
	"strings"
	"testing"
)

// Imports point down only: ui → flow → smtpcheck → internal, assets. A
// package may depend on no mfpmail package of its own layer's callers:
// smtpcheck on no flow or ui package, flow on no ui package, the leaf
// packages under internal/ on no other mfpmail package but assets.
func TestImportsPointDown(t *testing.T) {
	forbidden := map[string][]string{
		"./smtpcheck":    {"mfpmail/flow", "mfpmail/ui", "mfpmail/demo"},
		"./flow":         {"mfpmail/ui", "mfpmail/demo"},
		"./internal/...": {"mfpmail/flow", "mfpmail/ui", "mfpmail/demo", "mfpmail/smtpcheck"},
		"./assets":       {"mfpmail/flow", "mfpmail/ui", "mfpmail/demo", "mfpmail/smtpcheck", "mfpmail/internal"},
	}
	for pkg, bad := range forbidden {
		out, err := exec.Command("go", "list", "-deps", pkg).Output()
		if err != nil {
			t.Fatalf("go list -deps %s: %v", pkg, err)
		}
		for _, dep := range strings.Fields(string(out)) {
			for _, b := range bad {
				if dep == b || strings.HasPrefix(dep, b+"/") {
					t.Errorf("%s depends on %s (imports point down only)", pkg, dep)
				}
			}
		}
	}
}
