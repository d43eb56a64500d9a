package main

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"io"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"

	gossh "golang.org/x/crypto/ssh"

	"mfpmail/ui/sshserve"
)

// A wildcard --listen is printed as it was given, with the port the system
// chose ("0.0.0.0:41234", not Go's "[::]:41234"), and the Connect line
// names this machine's host name with that port, never the wildcard.
func TestServeWildcardListen(t *testing.T) {
	dir := t.TempDir()
	pub, _, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	sp, err := gossh.NewPublicKey(pub)
	if err != nil {
		t.Fatal(err)
	}
	keys := filepath.Join(dir, "authorized_keys")
	if err := os.WriteFile(keys, gossh.MarshalAuthorizedKey(sp), 0o600); err != nil {
		t.Fatal(err)
	}
	host, _ := os.Hostname()
	for _, tc := range []struct{ listen, shownHost string }{
		{"0.0.0.0:0", "0.0.0.0"}, {"[::]:0", "[::]"}, {":0", "*"},
	} {
		t.Run(tc.listen, func(t *testing.T) {
			ctx, cancel := context.WithCancel(context.Background())
			var out bytes.Buffer
			var port string
			err := serveUntil(ctx, []string{"--demo", "--listen", tc.listen, "--authorized-keys", keys,
				"--host-key", filepath.Join(dir, "hk"), "--reports-dir", filepath.Join(dir, "reports")},
				&out, io.Discard, func(srv *sshserve.Server) {
					_, port, _ = net.SplitHostPort(srv.Addr())
					cancel()
				})
			if err != nil {
				t.Fatal(err)
			}
			if port == "" || port == "0" {
				t.Fatalf("no port from the system: %q", port)
			}
			if want := "listening on " + tc.shownHost + ":" + port + " ("; !strings.Contains(out.String(), want) {
				t.Errorf("no %q in:\n%s", want, out.String())
			}
			if want := "Connect with: ssh -t -p " + port + " " + host + " "; !strings.Contains(out.String(), want) {
				t.Errorf("no %q in:\n%s", want, out.String())
			}
			connect := out.String()[strings.Index(out.String(), "Connect with"):]
			connect = connect[:strings.Index(connect, "\n")]
			for _, bad := range []string{"[::]", "0.0.0.0", " * ", "HOST"} {
				if strings.Contains(connect, bad) {
					t.Errorf("the Connect line names %q: %s", bad, connect)
				}
			}
		})
	}
	for asked, want := range map[string]string{
		"0.0.0.0:0": "0.0.0.0:5000", "[::]:0": "[::]:5000", ":0": "*:5000", "127.0.0.1:0": "127.0.0.1:5000",
		"localhost:2222": "localhost:5000", "[2001:db8::1]:22": "[2001:db8::1]:5000",
	} {
		if got := listenShown(asked, "[::]:5000"); got != want {
			t.Errorf("listenShown(%q) = %q, want %q", asked, got, want)
		}
	}
}
