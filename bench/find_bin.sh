# Sourced by the bench scripts: find_bin SCRIPT TOOL... prints the first of build-release/bin and
# build/bin that has every TOOL (or the --bin given, when $bin is already set), or exits 2.
find_bin() {
  local script=$1; shift
  local root; root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
  local dirs=("$root/build-release/bin" "$root/build/bin")
  [ -z "$bin" ] || dirs=("$bin")
  local b t ok
  for b in "${dirs[@]}"; do
    ok=1
    for t in "$@"; do [ -x "$b/$t" ] || ok=0; done
    if [ $ok = 1 ]; then echo "$b"; return 0; fi
  done
  echo "$script: no $* in ${dirs[*]}; build first (bench/run builds build-release/ with the bench targets)" >&2
  exit 2
}
