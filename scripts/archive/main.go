// Command archive writes a release archive that is the same, byte for
// byte, every time it is made from the same files: entries sorted by
// name, one fixed modification time, owner 0, no user or group names,
// fixed modes (0755 for the program, 0644 for the rest), and gzip with no
// name or time in its header.
//
//	go run ./scripts/archive -o OUT.zip|OUT.tar.gz -dir NAME -mtime UNIX FILE...
//
// Each FILE goes in as NAME/<base name of FILE>.
package main

import (
	"archive/tar"
	"archive/zip"
	"compress/gzip"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"
	"time"
)

func main() {
	out := flag.String("o", "", "the archive to write: .zip or .tar.gz")
	dir := flag.String("dir", "", "the folder the files go in, inside the archive")
	mtime := flag.Int64("mtime", 315532800, "modification time of every entry (Unix seconds; at least 1980 for zip)")
	exe := flag.String("exe", "mfpmail", "base name of the program (mode 0755), with or without .exe")
	flag.Parse()
	if *out == "" || *dir == "" || flag.NArg() == 0 {
		fmt.Fprintln(os.Stderr, "usage: archive -o OUT.zip|OUT.tar.gz -dir NAME [-mtime UNIX] FILE...")
		os.Exit(2)
	}
	files := append([]string(nil), flag.Args()...)
	sort.Slice(files, func(i, j int) bool { return filepath.Base(files[i]) < filepath.Base(files[j]) })
	t := time.Unix(*mtime, 0).UTC()
	var err error
	switch {
	case strings.HasSuffix(*out, ".zip"):
		err = write(*out, func(w io.Writer) error { return writeZip(w, *dir, *exe, files, t) })
	case strings.HasSuffix(*out, ".tar.gz"):
		err = write(*out, func(w io.Writer) error { return writeTarGz(w, *dir, *exe, files, t) })
	default:
		err = errors.New("the archive's name must end in .zip or .tar.gz")
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "archive:", err)
		os.Exit(1)
	}
}

func write(name string, body func(io.Writer) error) error {
	f, err := os.Create(name)
	if err != nil {
		return err
	}
	if err := body(f); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

func mode(exe, file string) int64 {
	if b := filepath.Base(file); b == exe || b == exe+".exe" {
		return 0o755
	}
	return 0o644
}

func writeZip(w io.Writer, dir, exe string, files []string, t time.Time) error {
	z := zip.NewWriter(w)
	for _, f := range files {
		h := &zip.FileHeader{Name: path.Join(dir, filepath.Base(f)), Method: zip.Deflate, Modified: t}
		h.SetMode(os.FileMode(mode(exe, f)))
		e, err := z.CreateHeader(h)
		if err != nil {
			return err
		}
		if err := copyFile(e, f); err != nil {
			return err
		}
	}
	return z.Close()
}

func writeTarGz(w io.Writer, dir, exe string, files []string, t time.Time) error {
	gz, err := gzip.NewWriterLevel(w, gzip.BestCompression)
	if err != nil {
		return err
	}
	tw := tar.NewWriter(gz)
	for _, f := range files {
		st, err := os.Stat(f)
		if err != nil {
			return err
		}
		h := &tar.Header{Typeflag: tar.TypeReg, Name: path.Join(dir, filepath.Base(f)), Size: st.Size(),
			Mode: mode(exe, f), ModTime: t, Format: tar.FormatUSTAR}
		if err := tw.WriteHeader(h); err != nil {
			return err
		}
		if err := copyFile(tw, f); err != nil {
			return err
		}
	}
	if err := tw.Close(); err != nil {
		return err
	}
	return gz.Close()
}

func copyFile(w io.Writer, name string) error {
	f, err := os.Open(name)
	if err != nil {
		return err
	}
	defer f.Close()
	_, err = io.Copy(w, f)
	return err
}
