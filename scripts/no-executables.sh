#!/usr/bin/env bash
# Fails when git tracks an executable program: a file of mode 100755 that
# is not a script (no "#!" first line), or any file that is a compiled
# program (ELF, Mach-O, PE/COFF), whatever its mode. Build outputs are
# made by `go build` and the release script, never committed.
# Usage: scripts/no-executables.sh [REPOSITORY] (default: the current one)
set -euo pipefail
export LC_ALL=C # read counts bytes
cd "${1:-.}"
bad=0
while IFS= read -r -d '' entry; do
  mode=${entry%% *}
  path=${entry#*$'\t'}
  [ -f "$path" ] || continue
  magic=""
  IFS= read -r -d '' -n 4 magic <"$path" || true # builtins only: quick on every file
  kind=""
  case "$magic" in
    $'\x7fELF'*) kind="an ELF program" ;;
    $'\xfe\xed\xfa\xce'* | $'\xfe\xed\xfa\xcf'* | $'\xce\xfa\xed\xfe'* | $'\xcf\xfa\xed\xfe'* | $'\xca\xfe\xba\xbe'*) kind="a Mach-O program" ;;
    MZ*) kind="a Windows (PE) program" ;;
  esac
  if [ -z "$kind" ] && [ "$mode" = 100755 ] && [ "${magic:0:2}" != '#!' ]; then
    kind="executable (mode 100755) but not a script"
  fi
  if [ -n "$kind" ]; then
    echo "tracked executable: $path is $kind; remove it (git rm --cached) and ignore it in .gitignore" >&2
    bad=1
  fi
done < <(git ls-files -s -z)
exit "$bad"
