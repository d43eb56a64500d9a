#!/usr/bin/env bash
# Prove the wizard's QR codes scan, in every drawing style, by decoding
# them with zbarimg (installed from Debian's packages if missing).
#   scripts/qrscan.sh [TEXT]
set -euo pipefail
cd "$(dirname "$0")/.."
command -v zbarimg >/dev/null || apt-get install -y -qq zbar-tools >/dev/null
text=${1:-https://microsoft.com/devicelogin}
dir=$(mktemp -d)
fail=0
for png in $(go run ./scripts/qrscan -out "$dir" "$text"); do
  got=$(zbarimg -q --raw "$png" 2>/dev/null || true)
  if [ "$got" = "$text" ]; then echo "ok    $(basename "$png")"; else echo "FAIL  $(basename "$png"): got '$got'"; fail=1; fi
done
exit $fail
