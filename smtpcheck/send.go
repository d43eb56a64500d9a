// Package smtpcheck is the live test send: it signs in to the SMTP
// submission server (Exchange Online: smtp.office365.com:587) with XOAUTH2,
// sends one short test message, and explains the outcome.
//
// It has no terminal code and prints nothing. Send returns a Result with a
// timestamped transcript (the access token never appears in it) and a
// Diagnosis in the technician's language; the UI shows them.
//
// Protocol references: SMTP RFC 5321, STARTTLS RFC 3207, SMTP AUTH RFC 4954,
// enhanced status codes RFC 3463 / RFC 2034, XOAUTH2 as documented by
// Microsoft ("Authenticate an IMAP, POP or SMTP connection using OAuth").
package smtpcheck

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"mime"
	"mime/quotedprintable"
	"net"
	"strconv"
	"strings"
	"time"

	"github.com/emersion/go-smtp"

	"mfpmail/assets"
	"mfpmail/internal/untrusted"
)

// Defaults for zero Options fields.
const (
	DefaultDialTimeout    = 15 * time.Second
	DefaultCommandTimeout = 30 * time.Second
	// DefaultHelloName is the EHLO name after STARTTLS. (go-smtp sends the
	// first, plain-text EHLO as "localhost"; it cannot be changed.)
	DefaultHelloName = "mfpmail.localhost"
)

// Options for one test send.
type Options struct {
	Host string // e.g. smtp.office365.com
	Port int    // e.g. 587
	// ServerName is the name the certificate must carry; "" = Host.
	ServerName string
	// RootCAs verifies the server certificate; nil = the system roots.
	RootCAs *x509.CertPool
	// User is the XOAUTH2 user= value: the UPN of the signed-in account.
	User string
	// Token is the bearer access token. It is a secret: it never appears in
	// the transcript, in errors or in the Result.
	Token string
	// From is the envelope and header sender; "" = User.
	From string
	To   []string
	// DeviceEmail and WizardVersion are named in the test message body.
	DeviceEmail, WizardVersion string
	// HelloName is the EHLO name after STARTTLS; "" = DefaultHelloName.
	HelloName string
	// 0 = DefaultDialTimeout / DefaultCommandTimeout. CommandTimeout bounds
	// the wait for every reply, the greeting included.
	DialTimeout, CommandTimeout time.Duration
	Lang                        assets.Lang
	// Now is the clock for transcript times and the message Date; nil = time.Now.
	Now func() time.Time
	// OnLine, if set, is called with each transcript line as it happens,
	// from the goroutine running Send.
	OnLine func(Line)
}

// Stage is a step of the SMTP session.
type Stage string

const (
	StageDial     Stage = "dial"
	StageGreeting Stage = "greeting"
	StageEHLO     Stage = "ehlo"
	StageSTARTTLS Stage = "starttls"
	StageTLS      Stage = "tls"
	StageAuth     Stage = "auth"
	StageMail     Stage = "mail"
	StageRcpt     Stage = "rcpt"
	StageData     Stage = "data"
	StageQuit     Stage = "quit"
)

// Stages lists the stages in session order.
var Stages = []Stage{
	StageDial, StageGreeting, StageEHLO, StageSTARTTLS, StageTLS,
	StageAuth, StageMail, StageRcpt, StageData, StageQuit,
}

// Result of a test send.
type Result struct {
	// Delivered is true only after the server answered 250 to the end of DATA.
	Delivered bool
	// Stage is where the session stopped; StageQuit on success.
	Stage Stage
	// Reply is the deciding server reply: the failure reply, the EHLO reply
	// when STARTTLS or XOAUTH2 was missing, or the 250 that accepted the
	// message. nil when the server gave none (connection failures).
	Reply *Reply
	// Challenge is the decoded text of the server's XOAUTH2 334 challenge
	// (indented JSON such as {"status":"401",…}), if it sent one.
	Challenge string
	// TLSVersion is the negotiated version, e.g. "TLS 1.3"; "" without TLS.
	TLSVersion string
	Transcript []Line
	Diagnosis  Diagnosis
	// Err is the error that stopped the session (nil on success). It never
	// holds the token.
	Err     error
	Elapsed time.Duration

	diag Setup
}

// DiagnosisIn explains the result again in another language.
func (r Result) DiagnosisIn(lang assets.Lang) Diagnosis {
	d := DiagnoseWith(lang, r.Stage, r.Reply, r.Err, r.diag)
	if r.Challenge != "" && !d.OK {
		d.Detail += "\n\n" + assets.T(lang, "smtp.info.challenge-note")
	}
	return d
}

// Send runs one test send: connect, STARTTLS (required), EHLO, AUTH
// XOAUTH2, MAIL, RCPT, DATA, QUIT. It never panics. Cancelling ctx closes
// the connection at once; the Result then has diagnosis "cancelled" (or
// "timeout" for a ctx deadline).
func Send(ctx context.Context, o Options) (res Result) {
	defer func() {
		if p := recover(); p != nil {
			// Only a caller's Now could get here; the session has its own guard.
			err := &internalError{p}
			lang := o.Lang
			if lang == "" {
				lang = assets.EN
			}
			res = Result{Stage: StageDial, Err: err, Diagnosis: Diagnose(lang, StageDial, nil, err)}
		}
	}()
	return send(ctx, o)
}

func send(ctx context.Context, o Options) Result {
	o = o.withDefaults()
	started := time.Now()

	var secrets []string
	if o.Token != "" {
		ir := xoauth2Response(o.User, o.Token)
		secrets = []string{o.Token, base64.StdEncoding.EncodeToString(ir), base64.RawStdEncoding.EncodeToString(ir)}
	}
	s := &session{o: o, tr: newTranscript(o.Now, o.OnLine, o.Lang, secrets...), stage: StageDial}
	err := s.runSafe(ctx)
	if err != nil && ctx.Err() != nil {
		err = ctx.Err()
	}
	s.tr.flush()
	res := s.result(err)
	res.Elapsed = time.Since(started)
	return res
}

// withDefaults fills the zero fields.
func (o Options) withDefaults() Options {
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.DialTimeout <= 0 {
		o.DialTimeout = DefaultDialTimeout
	}
	if o.CommandTimeout <= 0 {
		o.CommandTimeout = DefaultCommandTimeout
	}
	if o.HelloName == "" {
		o.HelloName = DefaultHelloName
	}
	if o.From == "" {
		o.From = o.User
	}
	if o.Lang == "" {
		o.Lang = assets.EN
	}
	return o
}

// result sums up the session that ended with err.
func (s *session) result(err error) Result {
	o := s.o
	res := Result{
		Delivered:  s.delivered,
		Stage:      s.stage,
		TLSVersion: s.tlsVersion,
		diag:       Setup{User: o.User, From: o.From, Host: o.Host, Port: o.Port, Wait: o.CommandTimeout},
	}
	if s.auth != nil {
		res.Challenge = s.tr.scrub(s.auth.challenge())
	}
	res.Err = s.scrubErr(err)
	switch {
	case s.delivered:
		res.Reply = s.final
	case errors.Is(err, ErrNoSTARTTLS), errors.Is(err, ErrNoXOAUTH2):
		if r, ok := s.tr.lastReply(); ok {
			res.Reply = &r
		}
	default:
		var se *smtp.SMTPError
		if errors.As(res.Err, &se) {
			res.Reply = replyOf(se)
		}
	}
	if res.Reply != nil {
		res.Reply.Text = s.tr.scrub(res.Reply.Text)
	}
	res.Diagnosis = res.DiagnosisIn(o.Lang)
	res.Diagnosis.Detail = s.tr.scrub(res.Diagnosis.Detail)
	res.Diagnosis.Fix = s.tr.scrub(res.Diagnosis.Fix)
	if !res.Delivered {
		s.tr.info(assets.T(o.Lang, "smtp.info.stopped", "stage", stageName(o.Lang, res.Stage), "id", res.Diagnosis.ID))
	}
	res.Transcript = s.tr.snapshot()
	return res
}

// session is the state of one Send.
type session struct {
	o          Options
	tr         *transcript
	stage      Stage
	auth       *xoauth2Client
	tlsVersion string
	delivered  bool
	final      *Reply
}

func (s *session) runSafe(ctx context.Context) (err error) {
	defer func() {
		if p := recover(); p != nil {
			err = &internalError{p}
		}
	}()
	return s.run(ctx)
}

func (s *session) run(ctx context.Context) error {
	if err := validate(s.o); err != nil {
		return err
	}
	raw, err := s.dial(ctx)
	if err != nil {
		return err
	}
	defer raw.Close()
	// Cancel closes the connection; every blocked read or write returns.
	stop := context.AfterFunc(ctx, func() { raw.Close() })
	defer stop()

	conn := newLogConn(raw, s.tr, s.o.CommandTimeout)
	c, err := s.startTLS(conn)
	if err != nil {
		return err
	}
	defer c.Close()
	if err := s.hello(c); err != nil {
		return err
	}
	if err := s.submit(c); err != nil {
		return err
	}
	s.stage = StageQuit
	if err := c.Quit(); err != nil && ctx.Err() == nil {
		// The message is already accepted; a failed QUIT changes nothing.
		s.tr.info(s.t("smtp.info.quit-failed", "err", err.Error()))
	}
	return nil
}

func (s *session) t(key string, kv ...string) string { return assets.T(s.o.Lang, key, kv...) }

// dial opens the TCP connection.
func (s *session) dial(ctx context.Context) (net.Conn, error) {
	addr := net.JoinHostPort(s.o.Host, strconv.Itoa(s.o.Port))
	s.tr.info(s.t("smtp.info.dial", "addr", addr))
	d := net.Dialer{Timeout: s.o.DialTimeout}
	raw, err := d.DialContext(ctx, "tcp", addr)
	if err != nil {
		return nil, err
	}
	s.tr.info(s.t("smtp.info.connected", "addr", raw.RemoteAddr().String()))
	return raw, nil
}

// tlsConfig verifies the server's certificate for the host name and notes
// the handshake in the transcript.
func (s *session) tlsConfig() *tls.Config {
	serverName := s.o.ServerName
	if serverName == "" {
		serverName = s.o.Host
	}
	return &tls.Config{
		ServerName: serverName,
		RootCAs:    s.o.RootCAs,
		MinVersion: tls.VersionTLS12,
		// Runs inside the handshake, after the certificate was verified,
		// so the note lands before the first encrypted EHLO.
		VerifyConnection: func(cs tls.ConnectionState) error {
			issuer := ""
			if len(cs.PeerCertificates) > 0 {
				issuer = cs.PeerCertificates[0].Issuer.CommonName
			}
			s.tr.info(s.t("smtp.info.tls", "version", tls.VersionName(cs.Version),
				"suite", tls.CipherSuiteName(cs.CipherSuite), "name", serverName, "issuer", issuer))
			return nil
		},
	}
}

// startTLS reads the greeting, says EHLO and STARTTLS in plain text (logged
// and capped by conn), and hands the transcript over to go-smtp's
// DebugWriter for the encrypted part.
func (s *session) startTLS(conn *logConn) (*smtp.Client, error) {
	s.stage = StageGreeting
	c, err := smtp.NewClientStartTLS(conn, s.tlsConfig())
	if err != nil {
		s.stage = s.plainStage()
		if strings.Contains(err.Error(), "doesn't support STARTTLS") {
			s.stage = StageSTARTTLS
			s.tr.info(s.t("smtp.info.no-starttls"))
			return nil, ErrNoSTARTTLS
		}
		return nil, err
	}
	conn.logging.Store(false)
	c.DebugWriter = &tlsSink{conn: conn, seen: conn.writes.Load()}
	c.CommandTimeout = s.o.CommandTimeout
	c.SubmissionTimeout = s.o.CommandTimeout
	return c, nil
}

// hello runs the TLS handshake (at the first write) and the second EHLO.
func (s *session) hello(c *smtp.Client) error {
	s.stage = StageTLS
	err := c.Hello(s.o.HelloName)
	state, _ := c.TLSConnectionState()
	if err != nil {
		var se *smtp.SMTPError
		if state.HandshakeComplete && tlsVariant(err) == "" || errors.As(err, &se) {
			s.stage = StageEHLO
		}
		return err
	}
	s.tlsVersion = tls.VersionName(state.Version)
	return nil
}

// submit signs in with XOAUTH2 and sends the test message.
func (s *session) submit(c *smtp.Client) error {
	o := s.o
	s.stage = StageAuth
	if !c.SupportsAuth(mechXOAUTH2) {
		s.tr.info(s.t("smtp.info.no-xoauth2"))
		return ErrNoXOAUTH2
	}
	s.auth = &xoauth2Client{user: o.User, token: o.Token}
	if err := c.Auth(s.auth); err != nil {
		return err
	}
	s.stage = StageMail
	if err := c.Mail(o.From, nil); err != nil {
		return err
	}
	s.stage = StageRcpt
	for _, to := range o.To {
		if err := c.Rcpt(to, nil); err != nil {
			return err
		}
	}
	s.stage = StageData
	w, err := c.Data()
	if err != nil {
		return err
	}
	if _, err := w.Write(s.message()); err != nil {
		return err
	}
	if _, err := w.CloseWithResponse(); err != nil {
		return err
	}
	s.delivered = true
	if r, ok := s.tr.lastReply(); ok {
		s.final = &r
	}
	s.tr.info(s.t("smtp.info.delivered"))
	return nil
}

// plainStage tells where NewClientStartTLS stopped from what was said.
func (s *session) plainStage() Stage {
	if len(s.tr.replies) == 0 {
		return StageGreeting
	}
	switch s.tr.lastCmd {
	case "EHLO", "HELO":
		return StageEHLO
	case "STARTTLS":
		return StageSTARTTLS
	}
	return StageGreeting
}

// scrubErr keeps the token out of an error that a server could have
// filled with it (a reply echoing the AUTH line), and cleans the server's
// text in it (go-smtp quotes the lines it could not parse).
func (s *session) scrubErr(err error) error {
	var se *smtp.SMTPError
	if errors.As(err, &se) {
		cp := *se
		cp.Message = untrusted.Text(s.tr.scrub(se.Message), untrusted.MaxText)
		return &cp
	}
	if err == nil {
		return nil
	}
	msg := err.Error()
	if s.tr.scrub(msg) != msg {
		return errors.New(untrusted.Line(s.tr.scrub(msg)))
	}
	if untrusted.Line(msg) != msg {
		return &cleanError{msg: untrusted.Line(msg), err: err}
	}
	return err
}

// cleanError shows an error's text cleaned and keeps the error itself for
// errors.Is and errors.As.
type cleanError struct {
	msg string
	err error
}

func (e *cleanError) Error() string { return e.msg }
func (e *cleanError) Unwrap() error { return e.err }

func validate(o Options) error {
	switch {
	case strings.TrimSpace(o.Host) == "":
		return &OptionError{Field: "Host", Msg: "empty"}
	case o.Port <= 0 || o.Port > 65535:
		return &OptionError{Field: "Port", Msg: "out of range"}
	case o.User == "":
		return &OptionError{Field: "User", Msg: "empty"}
	case o.Token == "":
		return &OptionError{Field: "Token", Msg: "empty"}
	case len(o.To) == 0:
		return &OptionError{Field: "To", Msg: "no recipient"}
	}
	bad := func(s string) bool { return s == "" || strings.ContainsAny(s, "\r\n\x00<> \t") }
	switch {
	case bad(o.User) || strings.Contains(o.User, "\x01"):
		return &OptionError{Field: "User", Msg: "not an address"}
	case bad(o.From):
		return &OptionError{Field: "From", Msg: "not an address"}
	case strings.ContainsAny(o.Token, "\r\n\x01 "):
		return &OptionError{Field: "Token", Msg: "holds spaces or control characters"}
	case bad(o.HelloName):
		return &OptionError{Field: "HelloName", Msg: "not a host name"}
	}
	for _, to := range o.To {
		if bad(to) {
			return &OptionError{Field: "To", Msg: "not an address"}
		}
	}
	return nil
}

// message is the test message, CRLF line endings, UTF-8 body in
// quoted-printable when it is not plain ASCII. In a language other than
// English the English text follows, for whoever reads the mailbox.
func (s *session) message() []byte {
	o := s.o
	now := o.Now()
	kv := []string{
		"date", now.Format("2006-01-02 15:04:05 -0700"),
		"device", assets.OrDash(o.DeviceEmail),
		"host", o.Host,
		"port", strconv.Itoa(o.Port),
		"version", assets.OrDash(o.WizardVersion),
		"from", o.From,
	}
	body := assets.T(o.Lang, "smtp.message.body", kv...)
	if o.Lang != assets.EN {
		body += "\n\n----\n\n" + assets.T(assets.EN, "smtp.message.body", kv...)
	}
	subject := assets.T(o.Lang, "smtp.message.subject")

	var b bytes.Buffer
	h := func(k, v string) { b.WriteString(k + ": " + v + "\r\n") }
	h("From", o.From)
	h("To", strings.Join(o.To, ", "))
	h("Subject", mime.QEncoding.Encode("UTF-8", subject))
	h("Date", now.Format(time.RFC1123Z))
	h("Message-ID", messageID(o.From, now))
	h("MIME-Version", "1.0")
	h("Content-Type", "text/plain; charset=UTF-8")
	if v := strings.TrimSpace(o.WizardVersion); v != "" {
		h("X-Mailer", "mfpmail "+v)
	} else {
		h("X-Mailer", "mfpmail")
	}
	if isASCII(body) {
		h("Content-Transfer-Encoding", "7bit")
		b.WriteString("\r\n")
		b.WriteString(strings.ReplaceAll(strings.TrimRight(body, "\n"), "\n", "\r\n"))
		b.WriteString("\r\n")
	} else {
		h("Content-Transfer-Encoding", "quoted-printable")
		b.WriteString("\r\n")
		qp := quotedprintable.NewWriter(&b)
		qp.Write([]byte(strings.TrimRight(body, "\n") + "\n"))
		qp.Close()
	}
	return b.Bytes()
}

func messageID(from string, now time.Time) string {
	var rnd [8]byte
	rand.Read(rnd[:])
	domain := "mfpmail.localhost"
	if _, d, ok := strings.Cut(from, "@"); ok && d != "" {
		domain = d
	}
	return "<mfpmail." + strconv.FormatInt(now.Unix(), 10) + "." + hex.EncodeToString(rnd[:]) + "@" + domain + ">"
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return false
		}
	}
	return true
}

// internalError is a recovered panic: a bug, never the network's fault.
type internalError struct{ p any }

func (e *internalError) Error() string { return fmt.Sprintf("smtpcheck: internal error: %v", e.p) }
