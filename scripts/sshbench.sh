#!/usr/bin/env bash
# Measure what idle sessions cost mfpmail serve and print the figures as
# Markdown (docs/performance.md records a run).
#
#   scripts/sshbench.sh               50 sessions, 60 s window
#   SSH_N=10 SSH_WINDOW=20s scripts/sshbench.sh
#
# Two runs of scripts/sshload against the real binary, each on its own
# loopback port with a throwaway host key:
#   1. mfpmail serve --demo: each session starts its own simulated tenant.
#   2. mfpmail serve in real mode against ONE simulated tenant
#      (mfpmail demo-tenant), as a jump host's sessions all talk to
#      Microsoft: what a session costs the server without a tenant of its
#      own.
# Each run opens N sessions one after another (pty 80×24, LANG=C.UTF-8),
# walks each to the sign-in screen and leaves it waiting there, then reads
# the server's /proc/PID (VmRSS, utime+stime) over the window.
# Nothing is asserted; the script fails only if a build or a session fails.
set -euo pipefail
cd "$(dirname "$0")/.."
[ "$(uname -s)" = Linux ] || { echo "sshbench.sh needs Linux (/proc)" >&2; exit 1; }
N=${SSH_N:-50}
WINDOW=${SSH_WINDOW:-60s}
tmp=$(mktemp -d)
pids=()
cleanup() {
	for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
	rm -rf "$tmp"
}
trap cleanup EXIT
go build -o "$tmp/mfpmail" .
go build -o "$tmp/sshload" ./scripts/sshload
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

echo "## mfpmail serve --demo ($N sessions, each its own simulated tenant)"
port=$(free_port)
"$tmp/mfpmail" serve --demo --listen "127.0.0.1:$port" --host-key "$tmp/hk" --reports-dir "$tmp/rep" >"$tmp/out1" 2>"$tmp/err1" &
srv=$!; pids+=("$srv")
sleep 1
"$tmp/sshload" -addr "127.0.0.1:$port" -pid "$srv" -n "$N" -window "$WINDOW" -settle 10s -probes 10
kill -TERM "$srv"; wait "$srv"

echo
echo "## mfpmail serve, real mode against one simulated tenant ($N sessions)"
"$tmp/mfpmail" demo-tenant --listen 127.0.0.1:0 --ca-out "$tmp/ca.pem" >"$tmp/tenant.out" 2>&1 &
pids+=("$!")
for _ in $(seq 50); do grep -q "listening on" "$tmp/tenant.out" 2>/dev/null && break; sleep 0.1; done
url=$(sed -n 's/^Simulated tenant .* listening on \([^ ]*\).*/\1/p' "$tmp/tenant.out")
port=$(free_port)
"$tmp/mfpmail" serve --listen "127.0.0.1:$port" --host-key "$tmp/hk" --reports-dir "$tmp/rep" \
	--authority "$url" --graph-url "$url" --ca-file "$tmp/ca.pem" >"$tmp/out2" 2>"$tmp/err2" &
srv=$!; pids+=("$srv")
sleep 1
"$tmp/sshload" -addr "127.0.0.1:$port" -pid "$srv" -n "$N" -window "$WINDOW" -settle 10s -probes 10 -args ""
kill -TERM "$srv"; wait "$srv"
echo
echo "machine: $(nproc) CPUs; $(uptime | sed 's/.*load average/load average/')"
