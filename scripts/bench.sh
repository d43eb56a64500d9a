#!/usr/bin/env bash
# Measure mfpmail's speed and size and print the figures as Markdown
# (docs/performance.md records a run and explains them).
#
#   scripts/bench.sh                  sit 60 s on the sign-in screen
#   BENCH_WAIT=20 scripts/bench.sh    a shorter wait (per-minute figures are scaled)
#
# Environment: BENCH_WAIT seconds on the sign-in screen (60), BENCH_RUNS
# starts per first-frame figure (5), BENCH_TIME go test -benchtime (1s).
#
# 1. Builds the binary (as `go build`, and stripped with -ldflags "-s -w")
#    and reports both sizes; later also as scripts/release.sh builds it,
#    for the start-up figures of the binary technicians run.
# 2. Runs the REAL binary in a real pseudo-terminal (80×24,
#    TERM=xterm-256color) with scripts/benchterm, a small Go program that
#    owns the pty master, timestamps every byte the program writes and
#    reads /proc/PID/stat (utime+stime) and /proc/PID/status (VmHWM). It
#    measures the time to the first frame, the time from "start sign-in" to
#    the code on screen, the bytes and CPU time per minute while waiting on
#    the sign-in screen (`--demo --approve-after 0`, Enter ×7), peak RSS,
#    the delay from approval to "Signed in" against the poll interval, and
#    the test send. (Why not tmux: see scripts/benchterm/main.go.)
# 3. Runs the Go benchmarks of flow, smtpcheck and ui (-benchmem).
#
# Nothing here asserts a time: a missed target shows as "missed" in the
# table, and the script still succeeds. It fails only if a build, a
# benchmark or the program itself fails.
set -euo pipefail
cd "$(dirname "$0")/.."

[ "$(uname -s)" = Linux ] || { echo "bench.sh needs Linux (/proc, /dev/ptmx)" >&2; exit 1; }
wait_s=${BENCH_WAIT:-60}
runs=${BENCH_RUNS:-5}
benchtime=${BENCH_TIME:-1s}
case $wait_s in '' | *[!0-9]*) echo "BENCH_WAIT must be whole seconds, e.g. 20" >&2; exit 2 ;; esac

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
bin=$work/mfpmail
go build -o "$bin" .
go build -ldflags "-s -w" -o "$work/mfpmail-stripped" .
go build -o "$work/benchterm" ./scripts/benchterm

mib() { awk -v b="$1" 'BEGIN { printf "%.1f MiB", b / 1048576 }'; }

commit=$(git rev-parse --short HEAD 2>/dev/null || echo unknown)
if [ -n "$(git status --porcelain 2>/dev/null | head -1)" ]; then commit="$commit + uncommitted changes"; fi
echo "# mfpmail performance run"
echo
echo "| | |"
echo "|---|---|"
echo "| date | $(date -u +%Y-%m-%dT%H:%M:%SZ) |"
echo "| machine | $(nproc) CPUs, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//'), $(awk '/MemTotal/ { printf "%.1f GiB RAM", $2 / 1048576 }' /proc/meminfo) |"
echo "| kernel | $(uname -sr) |"
echo "| Go | $(go version | cut -d' ' -f3-) |"
echo "| source | $commit |"
echo "| command | \`BENCH_WAIT=$wait_s BENCH_RUNS=$runs BENCH_TIME=$benchtime scripts/bench.sh\` |"
echo

echo "## Binary size"
echo
full=$(stat -c %s "$bin")
stripped=$(stat -c %s "$work/mfpmail-stripped")
echo "| build | bytes | |"
echo "|---|---:|---|"
echo "| \`go build\` | $full | $(mib "$full") |"
echo "| \`go build -ldflags \"-s -w\"\` | $stripped | $(mib "$stripped") |"
echo

echo "## The real binary in a pseudo-terminal"
echo
"$work/benchterm" -bin "$bin" -wait "${wait_s}s" -runs "$runs" -clk-tck "$(getconf CLK_TCK)"
echo

echo "## Start-up as released"
echo
echo "Built as scripts/release.sh builds it (CGO_ENABLED=0, -trimpath, -ldflags \"-s -w\"): the binary technicians run."
echo
CGO_ENABLED=0 go build -trimpath -ldflags "-s -w" -o "$work/mfpmail-release" .
"$work/benchterm" -bin "$work/mfpmail-release" -start-only -runs "$runs" -silent-runs "$runs"
echo

echo "## Go benchmarks"
echo
raw=$work/bench.txt
if ! go test -run '^$' -bench . -benchmem -benchtime "$benchtime" ./flow ./smtpcheck ./ui >"$raw" 2>&1; then
	cat "$raw" >&2
	echo "bench.sh: go test -bench failed" >&2
	exit 1
fi
echo "\`go test -run '^\$' -bench . -benchmem -benchtime $benchtime ./flow ./smtpcheck ./ui\`"
echo
echo "| package | benchmark | runs | time/op | B/op | allocs/op | other metrics |"
echo "|---|---|---:|---:|---:|---:|---|"
awk '
	function human(ns) {
		if (ns >= 1e6) return sprintf("%.2f ms", ns / 1e6)
		if (ns >= 1e3) return sprintf("%.1f µs", ns / 1e3)
		return sprintf("%.0f ns", ns)
	}
	/^pkg: / { pkg = $2; sub(/^mfpmail\//, "", pkg) }
	/^Benchmark/ {
		name = $1; sub(/^Benchmark/, "", name); sub(/-[0-9]+$/, "", name)
		t = "—"; bop = "—"; aop = "—"; other = ""
		for (i = 3; i < NF; i += 2) {
			v = $i; u = $(i + 1)
			if (u == "ns/op") t = human(v)
			else if (u == "B/op") bop = v
			else if (u == "allocs/op") aop = v
			else other = other (other == "" ? "" : ", ") v " " u
		}
		printf "| %s | %s | %s | %s | %s | %s | %s |\n", pkg, name, $2, t, bop, aop, other
	}
' "$raw"
