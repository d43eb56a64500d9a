//go:build !linux

package main

import (
	"errors"
	"os"
	"syscall"
)

// benchterm reads /proc and opens /dev/ptmx: Linux only.
func openPTY(rows, cols int) (master, slave *os.File, err error) {
	return nil, nil, errors.New("benchterm runs on Linux only (it reads /proc/PID/stat and /proc/PID/status)")
}

func sysProcAttr() *syscall.SysProcAttr { return nil }
