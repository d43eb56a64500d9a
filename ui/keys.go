package ui

import (
	"github.com/charmbracelet/bubbles/key"

	"mfpmail/assets"
)

// KeyMap is every key binding of the wizard. Each screen's help picks the
// ones that apply to it.
type KeyMap struct {
	Next, Back, Help, Quit, Up, Down key.Binding
	Choose, Start, Copy, NewCode     key.Binding
	Approve, Grant, Retry, ToggleQR  key.Binding
	Report                           key.Binding
}

// NewKeyMap builds the bindings with help texts in lang.
func NewKeyMap(lang assets.Lang) KeyMap {
	t := func(k string) string { return assets.T(lang, "ui.key."+k) }
	return KeyMap{
		Next:     key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", t("next"))),
		Back:     key.NewBinding(key.WithKeys("esc", "backspace", "b"), key.WithHelp("esc", t("back"))),
		Help:     key.NewBinding(key.WithKeys("?"), key.WithHelp("?", t("help"))),
		Quit:     key.NewBinding(key.WithKeys("q", "ctrl+c"), key.WithHelp("q", t("quit"))),
		Up:       key.NewBinding(key.WithKeys("up", "k", "pgup"), key.WithHelp("up/down", t("scroll"))),
		Down:     key.NewBinding(key.WithKeys("down", "j", "pgdown")),
		Choose:   key.NewBinding(key.WithKeys("left", "right", "tab", "1", "2"), key.WithHelp("left/right", t("choose"))),
		Start:    key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", t("start"))),
		Copy:     key.NewBinding(key.WithKeys("c"), key.WithHelp("c", t("copy"))),
		NewCode:  key.NewBinding(key.WithKeys("n"), key.WithHelp("n", t("newcode"))),
		Approve:  key.NewBinding(key.WithKeys("a"), key.WithHelp("a", t("approve"))),
		Grant:    key.NewBinding(key.WithKeys("g"), key.WithHelp("g", t("grant"))),
		Retry:    key.NewBinding(key.WithKeys("r"), key.WithHelp("r", t("retry"))),
		ToggleQR: key.NewBinding(key.WithKeys("v"), key.WithHelp("v", t("qr"))),
		Report:   key.NewBinding(key.WithKeys("r"), key.WithHelp("r", t("report"))),
	}
}
