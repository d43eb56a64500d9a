package smtpcheck

import (
	"encoding/base64"
	"errors"

	"github.com/emersion/go-sasl"
)

// XOAUTH2 is Google's SASL mechanism that Exchange Online also speaks
// (learn.microsoft.com, "Authenticate an IMAP, POP or SMTP connection using
// OAuth"). go-sasl dropped it in 2020 (commit 7bfe0ed), so it lives here.
//
// Initial response: "user=" UPN ^A "auth=Bearer " token ^A ^A.
// On failure a server may first send a 334 whose text is base64 JSON
// ({"status":"401","schemes":"bearer","scope":…}); the client must answer it
// with an empty line, and the server then sends the final 5xx.
const mechXOAUTH2 = "XOAUTH2"

// maxChallenges bounds the 334 round trips: a well-behaved server sends at
// most one (the error JSON) before its final reply.
const maxChallenges = 3

// errTooManyChallenges: the server kept answering 334.
var errTooManyChallenges = errors.New("smtpcheck: the server kept sending 334 challenges and never gave a final reply")

// xoauth2Client is a sasl.Client for XOAUTH2 that records the server's
// challenge for the diagnosis screen.
type xoauth2Client struct {
	user, token string
	// challenges holds the raw text of every 334 challenge the server sent
	// after the initial response.
	challenges [][]byte
}

var _ sasl.Client = (*xoauth2Client)(nil)

func (a *xoauth2Client) Start() (string, []byte, error) {
	return mechXOAUTH2, xoauth2Response(a.user, a.token), nil
}

// Next answers a challenge. It must return a non-nil empty response: with a
// nil one go-smtp's Auth loop stops and reports success while the server is
// still waiting for the empty line that answers its 334 (the way a server
// sends the JSON of a failure before its 535). The final reply decides; a
// 334 never does.
func (a *xoauth2Client) Next(challenge []byte) ([]byte, error) {
	a.challenges = append(a.challenges, append([]byte(nil), challenge...))
	if len(a.challenges) > maxChallenges {
		return nil, errTooManyChallenges
	}
	return []byte{}, nil
}

// challenge is the last non-empty challenge, decoded for display.
func (a *xoauth2Client) challenge() string {
	for i := len(a.challenges) - 1; i >= 0; i-- {
		if len(a.challenges[i]) > 0 {
			s, err := DecodeChallenge(base64.StdEncoding.EncodeToString(a.challenges[i]))
			if err != nil {
				return ""
			}
			return s
		}
	}
	return ""
}

// xoauth2Response is the XOAUTH2 initial response (before base64).
func xoauth2Response(user, token string) []byte {
	return []byte("user=" + user + "\x01auth=Bearer " + token + "\x01\x01")
}
