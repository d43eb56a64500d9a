package sshserve

import (
	"crypto/ed25519"
	"crypto/rand"
	"encoding/pem"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	gossh "golang.org/x/crypto/ssh"
)

// LoadHostKey reads the server's ed25519 host key from path, or creates it
// (mode 0600, its directory 0700) when the file does not exist, so the
// fingerprint trainees check stays the same from one start to the next. A
// key file others may read is refused: whoever reads it can pose as this
// server.
func LoadHostKey(path string) (pemBytes []byte, signer gossh.Signer, created bool, err error) {
	data, err := os.ReadFile(path)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		data, err = newHostKey(path)
		if err != nil {
			return nil, nil, false, err
		}
		created = true
	case err != nil:
		return nil, nil, false, err
	default:
		st, err := os.Stat(path)
		if err != nil {
			return nil, nil, false, err
		}
		if st.Mode().Perm()&0o077 != 0 {
			return nil, nil, false, fmt.Errorf("mode %04o lets others read the private key; run chmod 600 %s", st.Mode().Perm(), path)
		}
	}
	signer, err = gossh.ParsePrivateKey(data)
	if err != nil {
		return nil, nil, false, fmt.Errorf("not an SSH private key: %v", err)
	}
	return data, signer, created, nil
}

func newHostKey(path string) ([]byte, error) {
	_, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		return nil, err
	}
	block, err := gossh.MarshalPrivateKey(priv, "mfpmail serve host key")
	if err != nil {
		return nil, err
	}
	data := pem.EncodeToMemory(block)
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return nil, err
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return nil, err
	}
	if _, err := f.Write(data); err != nil {
		f.Close()
		os.Remove(path)
		return nil, err
	}
	return data, f.Close()
}

// Fingerprint is the key's SHA256 fingerprint as OpenSSH prints it
// (SHA256:…), for trainees to compare with what their client shows.
func Fingerprint(k gossh.PublicKey) string { return gossh.FingerprintSHA256(k) }

// LoadAuthorizedKeys reads an OpenSSH authorized_keys file: the public
// keys allowed to connect. A file with no key in it is an error, since it
// would lock everyone out without saying so.
func LoadAuthorizedKeys(path string) ([]gossh.PublicKey, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var keys []gossh.PublicKey
	for n := 1; len(data) > 0; n++ {
		k, _, _, rest, err := gossh.ParseAuthorizedKey(data)
		if err != nil {
			if len(keys) == 0 {
				return nil, errors.New("no public key in it (one key a line, as in ~/.ssh/authorized_keys)")
			}
			break // the rest holds only comments and blank lines
		}
		keys = append(keys, k)
		data = rest
	}
	if len(keys) == 0 {
		return nil, errors.New("no public key in it (one key a line, as in ~/.ssh/authorized_keys)")
	}
	return keys, nil
}
