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
    --site "Contoso Ltd., head office, 3F" --technician "Hanako Sato" \
    --device-signed-in yes --device-scan no >/dev/null 2>&1 || true
  [ -s "$tmp/report.html" ] || { echo "capture: check --demo wrote no report" >&2; return 1; }
  "$chromium" --headless --no-sandbox --disable-gpu --disable-background-networking --disable-component-update \
    --disable-sync --no-first-run --hide-scrollbars --user-data-dir="$tmp/profile" \
    --window-size=900,4200 --screenshot="$tmp/report.png" "file://$tmp/report.html" >/dev/null 2>&1
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
case "${LANG:-}" in
  C|POSIX) suffix="$suffix-ascii" ;;
  ja*) suffix="$suffix-ja" ;;
esac
[ -n "${NO_COLOR:-}" ] && suffix="$suffix-nocolor"
[ "$size" != "80x24" ] && suffix="$suffix-$size"
extra=${MFPMAIL_ARGS:-}
# SUFFIX names a variant the arguments make, e.g. SUFFIX=-is MFPMAIL_ARGS="--ui is".
suffix="$suffix${SUFFIX:-}"

# start [ARGS...]: the wizard in a fresh window of the private tmux server.
# The new window opens before the old one closes, so that the server never
# runs out of sessions (it would exit under the next command).
n=0
cur=""
start() {
  n=$((n + 1))
  t new-session -d -s "cap$n" -x "$w" -y "$h" -e "LANG=${LANG:-C.UTF-8}" -e "NO_COLOR=${NO_COLOR:-}" -e "TERM=xterm-256color" \
    "$bin --demo --approve-after 0 $extra $*; sleep 600"
  if [ -n "$cur" ]; then t kill-session -t "$cur"; fi
  cur="cap$n"
}
start
# Images too, where charmbracelet/freeze is installed
# (go install github.com/charmbracelet/freeze@v0.2.2): FREEZE=path or on PATH.
freeze=${FREEZE:-$(command -v freeze || true)}
# await TEXT: wait until the screen shows it (lines joined, spaces squeezed).
await() {
  for _ in $(seq 1 100); do
    t capture-pane -p -t "$cur" | tr '\n' ' ' | tr -s ' ' | grep -qF -- "$1" && return 0
    sleep 0.1
  done
  echo "capture: '$1' never appeared" >&2
  exit 1
}
snap() { # name, text to wait for
  for _ in $(seq 1 100); do
    # The text may wrap: lines are joined, runs of spaces squeezed.
    if t capture-pane -p -t "$cur" | tr '\n' ' ' | tr -s ' ' | grep -qF -- "$2"; then
      t capture-pane -p -t "$cur" > "$out/$1$suffix.txt"
      if [ -n "$freeze" ] && [ -n "${IMAGES:-}" ]; then
        t capture-pane -p -e -t "$cur" | "$freeze" --language ansi --window --padding 20 -o "$out/$1$suffix.png" >/dev/null
      fi
      return 0
    fi
    sleep 0.1
  done
  echo "capture: '$2' never appeared for $1" >&2
  t capture-pane -p -t "$cur" >&2
  exit 1
}
key() { t send-keys -t "$cur" "$@"; sleep 0.3; }

# The step counter is the same in every language: the walk waits for it.
snap welcome "1/13"
key PgDn; key PgDn
snap welcome-device "1/13"
key Enter
snap consent "2/13"
key Enter; key Enter
snap network "4/13"
key Enter; key Enter
snap service-provider "6/13"
key Enter; key Enter
snap sign-in "devicelogin"
if t capture-pane -p -t "$cur" | grep -q "Press v"; then
  # The QR code on its own (block drawing). Reverse video does not show in
  # a text capture, so its cells are written as '#'.
  key v
  sleep 0.3
  t capture-pane -p -e -t "$cur" | perl -pe 's/\e\[7m( +)/"#" x length($1)/ge; s/\e\[[0-9;]*m//g' > "$out/sign-in-qr$suffix.txt"
  key v
fi
key a
snap signed-in "@contoso.com"
key Enter
snap device-sign-in "9/13"
key y
snap device-sign-in-answered "9/13"
key Enter
# The device has signed in: the wizard asks for the address it now holds.
snap identity "10/13"
key -l "scanner@contoso.com"
key Enter
snap identity-device-email "10/13"
key Enter
# Nothing is preselected: the three answers are given one by one.
snap sender-policy-unanswered "11/13"
key Right; key Down; key Right; key Down; key Right
snap sender-policy "11/13"
key Enter
key Enter
snap test-send "250"
key Enter
snap summary-not-confirmed "13/13"
key y
snap summary "13/13"
key PgDn; key PgDn; key PgDn; key PgDn
snap summary-end "13/13"
key PgUp; key PgUp; key PgUp; key PgUp
key "?"
snap summary-help "13/13"
key "?"
# Back to the sender check, the sender changed to an alias, not sent
# again: the summary says which checks have not run with these settings.
key Escape; key Escape
key Down; key C-u; key -l "scan@contoso.com"
key Enter
key Enter
snap summary-after-sender-change "13/13"
key q

# Japanese asked for where the terminal cannot show it: English, and the
# notice why, with its fix, whole above the key line.
case "${LANG:-}" in
  C|POSIX)
    start --lang ja
    snap welcome-lang-ja-not-utf8 "ja_JP.UTF-8"
    ;;
esac

# scenario NAME: a training scenario, from its first screen to the sign-in.
scenario() {
  start --scenario "$1" ${2:-}
  snap "scenario-$1-welcome" "1/13"
  for _ in 1 2 3 4 5 6 7; do key Enter; done
  snap "scenario-$1-sign-in" "devicelogin"
}
# The sign-in after slow_down: the interval in use.
scenario slow-down
slowed="asked to slow"; [ "${LANG:-}" = "${LANG#ja}" ] || slowed="10 秒"
snap sign-in-slow-down "$slowed"
# Failures that the trainer resolves (or cannot, on site).
scenario consent-required
key a
snap sign-in-consent-required "AADSTS65001"
scenario device-flow-blocked
key a
snap sign-in-device-flow-blocked "AADSTS53003"
scenario declined "--approve-after 1s"
snap sign-in-declined "authorization_declined"
# Refusals by the tenant's policies, at the sign-in.
scenario mfa-required
key a
snap sign-in-mfa-required "AADSTS50076"
scenario not-assigned
key a
snap sign-in-not-assigned "AADSTS50105"
scenario ca-exchange
key a
snap sign-in-ca-exchange "AADSTS53003"
# The test send when the server offers no STARTTLS, and the refusals at
# AUTH and after DATA, with their fixes.
for sc in no-starttls send-as-denied smtp-auth-disabled smtp-auth-disabled-tenant security-defaults sender-throttled; do
  scenario "$sc"
  key a
  snap "scenario-$sc-signed-in" "@contoso.com"
  for _ in 1 2 3 4; do key Enter; done
  key Enter
  sleep 1
  snap "test-send-$sc" "12/13"
  key PgDn; key PgDn
  snap "test-send-$sc-end" "12/13"
done
# A personal account (2 on the first screen; no consent step) refused SMTP.
start --scenario personal-smtp-refused
snap scenario-personal-smtp-refused-welcome "1/"
key 2
for _ in 1 2 3 4 5 6; do key Enter; done
snap scenario-personal-smtp-refused-sign-in "devicelogin"
key a
snap scenario-personal-smtp-refused-signed-in "@outlook.com"
for _ in 1 2 3 4 5; do key Enter; done
sleep 1
snap test-send-personal-smtp-refused "5.7.139"
# The help of a screen whose labels no procedure gives in this language.
start --ui "$( [ "${LANG:-}" = "${LANG#ja}" ] && echo is || echo cwis )"
# Keys only once the first screen is up (a key sent earlier may be lost).
await "1/13"
for _ in 1 2 3 4 5; do key Enter; done
key "?"
snap service-provider-help-other-ui "6/13"
# Scenario walks leave intermediate screens only as a means: keep the ones named above.
rm -f "$out"/scenario-*
echo "screens written to $out/*$suffix.txt"
