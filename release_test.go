package main

import (
	"archive/tar"
	"archive/zip"
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
	"testing"
)

// scripts/release.sh, run twice into two folders, gives the same bytes;
// SHA256SUMS holds the archives' sums; each archive holds the program,
// the README and the licence notices; the linux/amd64 program prints its
// stamped version. MFPMAIL_RELEASE_TARGETS picks the platforms (default:
// one zip and one tar.gz, to keep CI quick; the release builds all six).
func TestReleaseIsReproducible(t *testing.T) {
	for _, tool := range []string{"bash", "git", "sha256sum"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Fatalf("scripts/release.sh needs %s: %v", tool, err)
		}
	}
	targets := os.Getenv("MFPMAIL_RELEASE_TARGETS")
	if targets == "" {
		targets = "linux/amd64 windows/amd64"
	}
	a, b := t.TempDir(), t.TempDir()
	for _, dir := range []string{a, b} {
		cmd := exec.Command("bash", "scripts/release.sh", "0.2.0")
		cmd.Env = append(os.Environ(), "OUT="+dir, "TARGETS="+targets)
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("scripts/release.sh: %v\n%s", err, out)
		}
	}
	names := compareDirs(t, a, b)
	if want := len(strings.Fields(targets)) + 1; len(names) != want {
		t.Fatalf("%d files (%v), want %d", len(names), names, want)
	}
	sums, err := os.ReadFile(filepath.Join(a, "SHA256SUMS"))
	if err != nil {
		t.Fatal(err)
	}
	for _, n := range names {
		if n == "SHA256SUMS" {
			continue
		}
		data, _ := os.ReadFile(filepath.Join(a, n))
		sum := sha256.Sum256(data)
		if !strings.Contains(string(sums), hex.EncodeToString(sum[:])+"  "+n+"\n") {
			t.Errorf("SHA256SUMS has no right line for %s:\n%s", n, sums)
		}
		files := archiveFiles(t, filepath.Join(a, n))
		checkArchive(t, n, files)
	}
}

// compareDirs fails unless both folders hold the same files, byte for
// byte; it returns the names.
func compareDirs(t *testing.T, a, b string) []string {
	t.Helper()
	ea, _ := os.ReadDir(a)
	eb, _ := os.ReadDir(b)
	var names []string
	for _, e := range ea {
		names = append(names, e.Name())
	}
	if len(ea) != len(eb) {
		t.Fatalf("the runs made %d and %d files", len(ea), len(eb))
	}
	for i, e := range ea {
		x, _ := os.ReadFile(filepath.Join(a, e.Name()))
		y, err := os.ReadFile(filepath.Join(b, eb[i].Name()))
		if err != nil || eb[i].Name() != e.Name() || !bytes.Equal(x, y) {
			t.Errorf("%s differs between two runs", e.Name())
		}
	}
	return names
}

// archiveFiles reads a .zip or .tar.gz into name → content, failing on
// an entry that is not owned by 0 or has another time than the first.
func archiveFiles(t *testing.T, p string) map[string][]byte {
	t.Helper()
	out := map[string][]byte{}
	if strings.HasSuffix(p, ".zip") {
		z, err := zip.OpenReader(p)
		if err != nil {
			t.Fatal(err)
		}
		defer z.Close()
		for _, f := range z.File {
			r, _ := f.Open()
			out[f.Name], _ = io.ReadAll(r)
			r.Close()
			if !f.Modified.Equal(z.File[0].Modified) {
				t.Errorf("%s: %s has another time", p, f.Name)
			}
		}
		return out
	}
	f, err := os.Open(p)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	gz, err := gzip.NewReader(f)
	if err != nil {
		t.Fatal(err)
	}
	if gz.Name != "" || !gz.ModTime.IsZero() {
		t.Errorf("%s: the gzip header holds a name or a time", p)
	}
	tr := tar.NewReader(gz)
	for {
		h, err := tr.Next()
		if err == io.EOF {
			return out
		}
		if err != nil {
			t.Fatal(err)
		}
		if h.Uid != 0 || h.Gid != 0 || h.Uname != "" || h.Gname != "" {
			t.Errorf("%s: %s is owned by %d/%d %q/%q", p, h.Name, h.Uid, h.Gid, h.Uname, h.Gname)
		}
		out[h.Name], _ = io.ReadAll(tr)
	}
}

var versionLine = regexp.MustCompile(`^mfpmail 0\.2\.0 \(commit ([0-9a-f]{12}|unknown)\)\n$`)

func checkArchive(t *testing.T, name string, files map[string][]byte) {
	t.Helper()
	dir := strings.TrimSuffix(strings.TrimSuffix(name, ".zip"), ".tar.gz")
	exe := "mfpmail"
	if strings.Contains(name, "-windows-") {
		exe = "mfpmail.exe"
	}
	readme, _ := os.ReadFile("README.md")
	if !bytes.Equal(files[dir+"/README.md"], readme) {
		t.Errorf("%s: no README.md, or another one", name)
	}
	lic := string(files[dir+"/THIRD_PARTY_LICENSES.txt"])
	want := []string{"==== Go (the standard library", "==== charm.land/bubbletea/v2", "==== golang.org/x/oauth2",
		"Permission is hereby granted", "Redistribution and use"}
	for _, w := range want {
		if !strings.Contains(lic, w) {
			t.Errorf("%s: the licence notices lack %q", name, w)
		}
	}
	bin := files[dir+"/"+exe]
	if len(bin) < 1<<20 {
		t.Fatalf("%s: no program %s in it", name, exe)
	}
	if !strings.Contains(name, "-"+runtime.GOOS+"-"+runtime.GOARCH+".") {
		return // cannot run here
	}
	p := filepath.Join(t.TempDir(), exe)
	if err := os.WriteFile(p, bin, 0o755); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(p, "--version").Output()
	if err != nil || !versionLine.Match(out) {
		t.Errorf("%s --version: %q, %v; want mfpmail 0.2.0 (commit …)", name, out, err)
	}
}
