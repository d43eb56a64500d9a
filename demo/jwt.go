package demo

import (
	"crypto"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"math/big"
	"strings"
)

// signingKey is the RSA key the simulated tenant signs its JWTs with, made
// when the tenant starts. Its kid is published in the JWKS document at
// /{tenant}/discovery/v2.0/keys, like Entra ID's.
//
// Making an RSA-2048 key takes a noticeable fraction of a second, so it is
// made in the background: the tenant (and the wizard's first frame) do not
// wait for it; the first token signed does.
type signingKey struct {
	ready chan struct{}
	priv  *rsa.PrivateKey
	kid   string
	err   error
}

func newSigningKey() (*signingKey, error) {
	k := &signingKey{ready: make(chan struct{})}
	go func() {
		defer close(k.ready)
		priv, err := rsa.GenerateKey(rand.Reader, 2048)
		if err != nil {
			k.err = fmt.Errorf("demo signing key: %w", err)
			return
		}
		sum := sha256.Sum256(priv.N.Bytes())
		// 20 bytes -> 27 characters, the length of Entra ID's kid/x5t values.
		k.priv, k.kid = priv, jwtB64(sum[:20])
	}()
	return k, nil
}

// wait blocks until the key is made.
func (k *signingKey) wait() error {
	<-k.ready
	return k.err
}

func jwtB64(b []byte) string { return base64.RawURLEncoding.EncodeToString(b) }

// sign returns header.payload.signature (RS256).
func (k *signingKey) sign(claims map[string]any) (string, error) {
	if err := k.wait(); err != nil {
		return "", err
	}
	header := map[string]any{"typ": "JWT", "alg": "RS256", "kid": k.kid, "x5t": k.kid}
	h, err := json.Marshal(header)
	if err != nil {
		return "", err
	}
	p, err := json.Marshal(claims)
	if err != nil {
		return "", err
	}
	signed := jwtB64(h) + "." + jwtB64(p)
	sum := sha256.Sum256([]byte(signed))
	sig, err := rsa.SignPKCS1v15(rand.Reader, k.priv, crypto.SHA256, sum[:])
	if err != nil {
		return "", err
	}
	return signed + "." + jwtB64(sig), nil
}

// signPadded signs claims, growing the claim padClaim with random text until
// the token is at least minLen characters long (real Microsoft access
// tokens are 1,200–2,500 characters; clients must not assume short ones).
func (k *signingKey) signPadded(claims map[string]any, padClaim string, minLen int) (string, error) {
	pad := ""
	for {
		if pad != "" {
			claims[padClaim] = pad
		}
		tok, err := k.sign(claims)
		if err != nil || len(tok) >= minLen {
			return tok, err
		}
		// Every 4 characters of JSON become ~5.3 characters of base64url.
		pad += randomTokenText((minLen-len(tok))*3/4 + 8)
	}
}

// jwks is the public key as a JSON Web Key Set.
func (k *signingKey) jwks() map[string]any {
	if k.wait() != nil {
		return map[string]any{"keys": []any{}}
	}
	pub := k.priv.PublicKey
	return map[string]any{"keys": []map[string]any{{
		"kty": "RSA",
		"use": "sig",
		"kid": k.kid,
		"x5t": k.kid,
		"n":   jwtB64(pub.N.Bytes()),
		"e":   jwtB64(big.NewInt(int64(pub.E)).Bytes()),
	}}}
}

const tokenAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"

// randomTokenText returns n random base64url characters.
func randomTokenText(n int) string {
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		panic(err) // crypto/rand does not fail on supported platforms
	}
	var sb strings.Builder
	sb.Grow(n)
	for _, c := range b {
		sb.WriteByte(tokenAlphabet[int(c)%len(tokenAlphabet)])
	}
	return sb.String()
}

// guidV4 returns a random version 4 GUID in lower case.
func guidV4() string {
	b := make([]byte, 16)
	if _, err := rand.Read(b); err != nil {
		panic(err)
	}
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:16])
}

// pairwiseSub is the "sub" claim: stable per user and application.
func pairwiseSub(oid, clientID string) string {
	sum := sha256.Sum256([]byte(oid + "|" + clientID))
	return jwtB64(sum[:])
}

// public is the verification key (waiting for it to be made).
func (k *signingKey) public() *rsa.PublicKey {
	if k.wait() != nil {
		return nil
	}
	return &k.priv.PublicKey
}
