package demo

import (
	"errors"
	"net"
)

// ValidateLoopback accepts only a loopback host:port: the simulated tenant
// never listens on a network another machine could reach.
func ValidateLoopback(addr string) error {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return errors.New("give host:port on loopback, e.g. 127.0.0.1:8443")
	}
	if host == "localhost" {
		return nil
	}
	if ip := net.ParseIP(host); ip != nil && ip.IsLoopback() {
		return nil
	}
	return errors.New("the simulated tenant listens on loopback only (127.0.0.1, ::1 or localhost)")
}
