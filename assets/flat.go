package assets

import (
	"encoding/json"
	"errors"
	"strings"
	"unicode/utf8"
)

// errNotFlat: the scanner met something it does not read itself; the
// caller then decodes the file with encoding/json, which gives the same
// map or the precise error.
var errNotFlat = errors.New("not a flat object of strings")

// decodeFlat reads a JSON object whose values are all strings
// ({"key": "text", …}) and appends its keys and texts to kv, in turn
// (key, text, key, text, …), in the file's order. It reads them without
// reflection, and a key or text without an escape is a part of b, not a
// copy: several times faster than encoding/json on the embedded files,
// with a tenth of the allocations, which brings the first frame forward.
// A string with an escape (\n, \") is handed to encoding/json on its own.
// Anything else (a number, a nested object, invalid UTF-8, a control
// character in a string) makes it return errNotFlat: the caller then
// decodes the file with encoding/json instead.
func decodeFlat(b string, kv []string) ([]string, error) {
	if !utf8.ValidString(b) {
		return kv, errNotFlat
	}
	i := skipSpace(b, 0)
	if i >= len(b) || b[i] != '{' {
		return kv, errNotFlat
	}
	i = skipSpace(b, i+1)
	if i < len(b) && b[i] == '}' {
		return kv, trailing(b, i+1)
	}
	for {
		k, next, err := flatString(b, i)
		if err != nil {
			return kv, err
		}
		i = skipSpace(b, next)
		if i >= len(b) || b[i] != ':' {
			return kv, errNotFlat
		}
		v, next, err := flatString(b, skipSpace(b, i+1))
		if err != nil {
			return kv, err
		}
		kv = append(kv, k, v)
		i = skipSpace(b, next)
		if i >= len(b) {
			return kv, errNotFlat
		}
		switch b[i] {
		case ',':
			i = skipSpace(b, i+1)
		case '}':
			return kv, trailing(b, i+1)
		default:
			return kv, errNotFlat
		}
	}
}

// flatString reads the JSON string that starts at b[i] and returns it and
// the index after its closing quote.
func flatString(b string, i int) (string, int, error) {
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
				return b[i+1 : j], j + 1, nil
			}
			var s string
			if err := json.Unmarshal([]byte(b[i:j+1]), &s); err != nil {
				return "", 0, errNotFlat
			}
			return s, j + 1, nil
		}
	}
	return "", 0, errNotFlat
}

func skipSpace(b string, i int) int {
	for i < len(b) && (b[i] == ' ' || b[i] == '\n' || b[i] == '\r' || b[i] == '\t') {
		i++
	}
	return i
}

func trailing(b string, i int) error {
	if len(strings.TrimLeft(b[i:], " \n\r\t")) != 0 {
		return errNotFlat
	}
	return nil
}
