//go:build windows

package termfacts

import (
	"unsafe"

	"golang.org/x/sys/windows"
)

var procGetUserDefaultLocaleName = windows.NewLazySystemDLL("kernel32.dll").NewProc("GetUserDefaultLocaleName")

// Local reads the user's display languages, default locale and the
// console's output code page. Facts Windows cannot give stay zero.
func Local() Console {
	var c Console
	if langs, err := windows.GetUserPreferredUILanguages(windows.MUI_LANGUAGE_NAME); err == nil {
		c.UILanguages = langs
	}
	c.Locale = userDefaultLocaleName()
	if cp, err := windows.GetConsoleOutputCP(); err == nil {
		c.OutputCP = cp
	}
	return c
}

// userDefaultLocaleName calls GetUserDefaultLocaleName ("ja-JP"); "" when
// it fails.
func userDefaultLocaleName() string {
	if procGetUserDefaultLocaleName.Find() != nil {
		return ""
	}
	const localeNameMaxLength = 85 // LOCALE_NAME_MAX_LENGTH, terminating NUL included
	buf := make([]uint16, localeNameMaxLength)
	n, _, _ := procGetUserDefaultLocaleName.Call(uintptr(unsafe.Pointer(&buf[0])), uintptr(len(buf)))
	if n == 0 {
		return ""
	}
	return windows.UTF16ToString(buf)
}
