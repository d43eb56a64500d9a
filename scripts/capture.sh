#!/usr/bin/env bash
# Capture the wizard's main screens as text, from the real program running
# in a real terminal (tmux), for the README and docs/screens/.
#
#   scripts/capture.sh [WIDTHxHEIGHT]      default 80x24
#   IMAGES=1 scripts/capture.sh            also PNG images (needs freeze)
#   scripts/capture.sh report              only docs/screens/report.png: the
#                                          HTML report of check --demo, as
#                                          headless Chromium prints it on screen
#
# Environment passes through, e.g. LANG=C NO_COLOR=1 scripts/capture.sh.
set -euo pipefail
cd "$(dirname "$0")/.."
out=docs/screens
mkdir -p "$out"

# report renders the HTML report of a demo run to docs/screens/report.png
# with headless Chromium (Debian package chromium), offline: no network
# service of the browser's own runs, and the page fetches nothing.
report() {
  local chromium tmp
  chromium=${CHROMIUM:-$(command -v chromium || command -v chromium-browser || true)}
  [ -n "$chromium" ] || { echo "capture: the report image needs chromium (apt-get install chromium)" >&2; return 1; }
  tmp=$(mktemp -d)
  go run . check --demo --scenario upn-mismatch --report "$tmp/report.html" \
    --device-model "Apeos C3060" --device-serial 341234 --device-host 192.0.2.44 \
    --site "Contoso Ltd., head office, 3F" --technician "Hanako Sato" >/dev/null 2>&1 || true
  [ -s "$tmp/report.html" ] || { echo "capture: check --demo wrote no report" >&2; return 1; }
  "$chromium" --headless --no-sandbox --disable-gpu --disable-background-networking --disable-component-update \
    --disable-sync --no-first-run --hide-scrollbars --user-data-dir="$tmp/profile" \
    --window-size=900,2150 --screenshot="$tmp/report.png" "file://$tmp/report.html" >/dev/null 2>&1
  cp "$tmp/report.png" "$out/report.png"
  rm -rf "$tmp"
  echo "report image written to $out/report.png"
}
if [ "${1:-}" = report ]; then
  report
  exit
fi

size=${1:-80x24}
w=${size%x*}
h=${size#*x}
command -v tmux >/dev/null || { apt-get install -y tmux >/dev/null 2>&1 || { echo "tmux is needed" >&2; exit 1; }; }
bin=$(mktemp -d)/mfpmail
go build -o "$bin" .
sock="mfpmail-capture-$$"
t() { tmux -L "$sock" "$@"; }
trap 't kill-server 2>/dev/null || true' EXIT
suffix=""
[ "${LANG:-}" = "C" ] && suffix="$suffix-ascii"
[ -n "${NO_COLOR:-}" ] && suffix="$suffix-nocolor"
[ "$size" != "80x24" ] && suffix="$suffix-$size"
extra=${MFPMAIL_ARGS:-}

t new-session -d -x "$w" -y "$h" -e "LANG=${LANG:-C.UTF-8}" -e "NO_COLOR=${NO_COLOR:-}" -e "TERM=xterm-256color" \
  "$bin --demo --approve-after 0 $extra; sleep 5"
# Images too, where charmbracelet/freeze is installed
# (go install github.com/charmbracelet/freeze@v0.2.2): FREEZE=path or on PATH.
freeze=${FREEZE:-$(command -v freeze || true)}
snap() { # name, text to wait for
  for _ in $(seq 1 100); do
    if t capture-pane -p | grep -qF -- "$2"; then
      t capture-pane -p > "$out/$1$suffix.txt"
      if [ -n "$freeze" ] && [ -n "${IMAGES:-}" ]; then
        t capture-pane -p -e | "$freeze" --language ansi --window --padding 20 -o "$out/$1$suffix.png" >/dev/null
      fi
      return 0
    fi
    sleep 0.1
  done
  echo "capture: '$2' never appeared for $1" >&2
  t capture-pane -p >&2
  exit 1
}
key() { t send-keys "$@"; sleep 0.3; }

snap welcome "mfpmail"
key Enter
snap consent "adminconsent"
key Enter; key Enter
snap network "127.0.0.1"
key Enter; key Enter
snap service-provider "587"
key Enter; key Enter
snap sign-in "devicelogin"
if t capture-pane -p | grep -q "Press v"; then
  # The QR code on its own (block drawing). Reverse video does not show in
  # a text capture, so its cells are written as '#'.
  key v
  sleep 0.3
  t capture-pane -p -e | perl -pe 's/\e\[7m( +)/"#" x length($1)/ge; s/\e\[[0-9;]*m//g' > "$out/sign-in-qr$suffix.txt"
  key v
fi
key a
snap signed-in "scanner@contoso.com"
key Enter
snap device-sign-in "Open Authentication Page"
key Enter
snap identity "UPN"
key Enter
snap sender-policy "Login Credentials"
key Enter
key Enter
snap test-send "250"
key Enter
snap summary "8"
key q
echo "screens written to $out/*$suffix.txt"
