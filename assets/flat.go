package assets

import (
	"bytes"
	"encoding/json"
	"errors"
	"unicode/utf8"
)

// errNotFlat: the scanner met something it does not read itself; the
// caller then decodes the file with encoding/json, which gives the same
// map or the precise error.
var errNotFlat = errors.New("not a flat object of strings")

// decodeFlat decodes a JSON object whose values are all strings
// ({"key": "text", …}) into m, as json.Unmarshal would: a later duplicate
// key wins. It reads the texts without reflection, which is several times
// faster than encoding/json on the embedded files and brings the first
// frame forward; a string with an escape (\n, \") is handed to
// encoding/json on its own. Anything else (a number, a nested object,
// invalid UTF-8, a control character in a string) makes it return
// errNotFlat before touching m's meaning: the caller decodes the whole
// file with encoding/json instead.
func decodeFlat(b []byte, m map[string]string) error {
	if !utf8.Valid(b) {
		return errNotFlat
	}
	i := skipSpace(b, 0)
	if i >= len(b) || b[i] != '{' {
		return errNotFlat
	}
	i = skipSpace(b, i+1)
	if i < len(b) && b[i] == '}' {
		return trailing(b, i+1)
	}
	for {
		k, next, err := flatString(b, i)
		if err != nil {
			return err
		}
		i = skipSpace(b, next)
		if i >= len(b) || b[i] != ':' {
			return errNotFlat
		}
		v, next, err := flatString(b, skipSpace(b, i+1))
		if err != nil {
			return err
		}
		m[k] = v
		i = skipSpace(b, next)
		if i >= len(b) {
			return errNotFlat
		}
		switch b[i] {
		case ',':
			i = skipSpace(b, i+1)
		case '}':
			return trailing(b, i+1)
		default:
			return errNotFlat
		}
	}
}

// flatString reads the JSON string that starts at b[i] and returns it and
// the index after its closing quote.
func flatString(b []byte, i int) (string, int, error) {
	if i >= len(b) || b[i] != '"' {
		return "", 0, errNotFlat
	}
	escaped := false
	for j := i + 1; j < len(b); j++ {
		switch c := b[j]; {
		case c == '\\':
			escaped = true
			j++ // the escaped character cannot end the string
		case c < 0x20:
			return "", 0, errNotFlat
		case c == '"':
			if !escaped {
				return string(b[i+1 : j]), j + 1, nil
			}
			var s string
			if err := json.Unmarshal(b[i:j+1], &s); err != nil {
				return "", 0, errNotFlat
			}
			return s, j + 1, nil
		}
	}
	return "", 0, errNotFlat
}

func skipSpace(b []byte, i int) int {
	for i < len(b) && (b[i] == ' ' || b[i] == '\n' || b[i] == '\r' || b[i] == '\t') {
		i++
	}
	return i
}

func trailing(b []byte, i int) error {
	if len(bytes.TrimLeft(b[i:], " \n\r\t")) != 0 {
		return errNotFlat
	}
	return nil
}
