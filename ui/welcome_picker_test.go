package ui

import (
	"strings"
	"testing"
)

// The scenario list scrolls with the choice: whichever scenario is chosen,
// it and its note are on a screen of the given height, and no line is lost.
func TestPickerWindow(t *testing.T) {
	rows := make([]string, 18)
	for i := range rows {
		rows[i] = "row" + strings.Repeat("x", i%3)
	}
	rows[5] = "two\nlines"
	for _, h := range []int{1, 4, 10, 17, 30} {
		for pick := range rows {
			got := pickerWindow(rows, pick, h)
			n := lipglossHeight(strings.Join(got, "\n"))
			if n > max(h, lipglossHeight(rows[pick])) {
				t.Errorf("h %d pick %d: %d lines", h, pick, n)
			}
			if !containsRow(got, rows[pick]) {
				t.Errorf("h %d pick %d: the chosen row is not shown", h, pick)
			}
			if h >= 19 && len(got) != len(rows) {
				t.Errorf("h %d: %d of %d rows shown though all fit", h, len(got), len(rows))
			}
		}
	}
}

func containsRow(rows []string, r string) bool {
	for _, x := range rows {
		if x == r {
			return true
		}
	}
	return false
}
