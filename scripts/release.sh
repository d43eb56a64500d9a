#!/usr/bin/env bash
# Build the release archives: one per platform, each with the program, the
# README and the licence notices of everything compiled into it, plus
# SHA256SUMS. Two runs on the same commit give byte-identical files.
#
#   scripts/release.sh VERSION              e.g. scripts/release.sh 0.2.0
#   OUT=dir scripts/release.sh VERSION      default: dist/
#   TARGETS="linux/amd64 windows/amd64" scripts/release.sh VERSION   only these
#
# What makes it reproducible: -trimpath (no local paths), -buildvcs=false
# and the commit passed in with -ldflags (no VCS state that differs
# between checkouts), CGO_ENABLED=0, every archive entry with the commit's
# time, owner 0, fixed modes, sorted names (scripts/archive).
set -euo pipefail
cd "$(dirname "$0")/.."
version=${1:?usage: scripts/release.sh VERSION}
case "$version" in
  *[!0-9A-Za-z.+-]*|"") echo "release: VERSION \"$version\": use digits, letters, . + - (e.g. 0.2.0)" >&2; exit 2 ;;
esac
out=${OUT:-dist}
targets=${TARGETS:-"windows/amd64 windows/arm64 darwin/arm64 darwin/amd64 linux/amd64 linux/arm64"}
commit=$(git rev-parse --short=12 HEAD 2>/dev/null || echo unknown)
epoch=$(git log -1 --format=%ct 2>/dev/null || echo 315532800)
[ "$epoch" -ge 315532800 ] || epoch=315532800 # zip cannot hold times before 1980

mkdir -p "$out"
out=$(cd "$out" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
archiver="$work/archive"
go build -o "$archiver" ./scripts/archive

# notices writes the licence texts of every module compiled into the
# program for one platform, and Go's own, in module order.
notices() { # GOOS GOARCH FILE
  {
    echo "mfpmail $version is built from these modules. Their licence texts follow."
    echo
    echo "==== Go (the standard library and runtime) $(go env GOVERSION)"
    cat "$(go env GOROOT)/LICENSE"
    GOOS=$1 GOARCH=$2 go list -deps -f '{{with .Module}}{{if not .Main}}{{.Path}} {{.Version}} {{.Dir}}{{end}}{{end}}' . |
      sort -u | while read -r path ver dir; do
        echo
        echo "==== $path $ver"
        found=""
        for f in $(cd "$dir" && ls | grep -iE '^(licen[cs]e|copying|notice|patents)' | sort); do
          echo "-- $f"
          cat "$dir/$f"
          found=1
        done
        if [ -z "$found" ]; then
          # No licence file (e.g. github.com/mattn/go-localereader): the
          # README's licence section is what the authors published.
          section=$(sed -n '/^#* *[Ll]icen[cs]e/,$p' "$dir"/README* 2>/dev/null || true)
          [ -n "$section" ] || { echo "release: no licence in $path $ver" >&2; exit 1; }
          echo "-- no licence file; the module's README says:"
          echo "$section"
        fi
      done
  } > "$3"
}

archives=()
for t in $targets; do
  goos=${t%/*}; goarch=${t#*/}
  name="mfpmail-$version-$goos-$goarch"
  stage="$work/$name"
  mkdir -p "$stage"
  exe=mfpmail; [ "$goos" = windows ] && exe=mfpmail.exe
  CGO_ENABLED=0 GOOS=$goos GOARCH=$goarch go build -trimpath -buildvcs=false \
    -ldflags "-s -w -X main.version=$version -X main.commit=$commit" -o "$stage/$exe" .
  cp README.md "$stage/README.md"
  notices "$goos" "$goarch" "$stage/THIRD_PARTY_LICENSES.txt"
  ext=tar.gz; [ "$goos" = windows ] && ext=zip
  "$archiver" -o "$out/$name.$ext" -dir "$name" -mtime "$epoch" \
    "$stage/$exe" "$stage/README.md" "$stage/THIRD_PARTY_LICENSES.txt"
  archives+=("$name.$ext")
  echo "$out/$name.$ext"
done
(cd "$out" && printf '%s\n' "${archives[@]}" | LC_ALL=C sort | xargs sha256sum > SHA256SUMS)
echo "$out/SHA256SUMS"
