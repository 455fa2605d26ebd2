#!/usr/bin/env bash
# The benchmarks module's main code in lines (issue #11's count: every .java under
# benchmarks/src/main, `cat | wc -l`), by package and by the measurements it serves.
#
#   benchmarks/scripts/size.sh    from anywhere in the repository
#
# A line counts under the measurements that existed when #11 was filed (the module at d0a84b3:
# 8,199 lines in 60 files) unless the whole file, class or method holding it exists only for a
# measurement added afterwards: framed workloads (#11), io_uring kinds (#12), TLS workloads and
# floors (#13), the file workload (#14). Shared code (a switch case, a flag, a field, a branch
# inside a method) stays under the old measurements: the split is conservative on purpose.
# A unit's lines are its declaration to its closing brace plus the Javadoc, comments and
# annotations right above it. The script fails if a unit below is no longer found exactly once.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/../.."
main=benchmarks/src/main/java
bench=$main/io/jgnet/bench
filed=d0a84b3

# measurement|file|declaration (an extended regex matching one line; empty: the whole file)
units=(
    "frames (#11)|$bench/servers/JgnetServers.java|class FrameEcho "
    "frames (#11)|$bench/servers/NettyServers.java|class LineAppender "
    "TLS (#13)|$bench/servers/BenchTls.java|"
    "TLS (#13)|$bench/load/TlsLink.java|"
    "TLS (#13)|$bench/load/RequestLoad.java|void disconnect\\(\\)"
    "TLS (#13)|$bench/matrix/Measurer.java|long openDescriptors\\("
    "TLS (#13)|$bench/matrix/Workload.java|boolean tls\\(\\)"
    "TLS (#13)|$bench/matrix/Workload.java|boolean newConnections\\(\\)"
    "TLS (#13)|$bench/matrix/Workload.java|int warmupSeconds\\(int configured\\)"
    "floors (#13)|$bench/TlsEngineFloor.java|"
    "floors (#13)|$bench/TlsRecordFloor.java|"
    "files (#14)|$bench/matrix/FileWorkload.java|"
)
# Measurements with no file, class or method of their own (their lines are all shared).
shared_only=("io_uring kinds (#12): jgnet-io_uring, netty-io_uring, c-io_uring (switch cases, a C file)"
    "timeouts (#14): jgnet-epoll-timeouts (a kind, a property, one branch)")

# Prints the first and last line of the unit declared by the line matching $2 in file $1.
unit_range() {
    awk -v pattern="$2" -v file="$1" '
        { line[NR] = $0 }
        $0 ~ pattern { hits++; at = NR }
        END {
            if (hits != 1) { printf "size.sh: %s: /%s/ matched %d lines, not 1\n", file, pattern, hits > "/dev/stderr"; exit 1 }
            first = at
            while (first > 1 && line[first - 1] ~ /^[ \t]*(\/\*\*|\*|\*\/|@|\/\/)/) first--
            depth = 0; opened = 0
            for (i = at; i <= NR; i++) {
                n = split(line[i], c, "")
                for (j = 1; j <= n; j++) {
                    if (c[j] == "{") { depth++; opened = 1 }
                    if (c[j] == "}") depth--
                }
                if (opened && depth == 0) { print first, i; exit 0 }
            }
            printf "size.sh: %s: no closing brace after line %d\n", file, at > "/dev/stderr"; exit 1
        }' "$1"
}

total=$(find benchmarks/src/main -name '*.java' -print0 | xargs -0 cat | wc -l)
files=$(find benchmarks/src/main -name '*.java' | wc -l)

declare -A new_by_package=() new_by_measure=()
unit_lines=""
for u in "${units[@]}"; do
    IFS='|' read -r measure file decl <<<"$u"
    [[ -f $file ]] || { echo "size.sh: $file is gone: update the unit list" >&2; exit 1; }
    if [[ -z $decl ]]; then
        n=$(wc -l <"$file")
        what=$(basename "$file")
    else
        read -r from to < <(unit_range "$file" "$decl")
        n=$((to - from + 1))
        what="$(basename "$file" .java): ${decl//\\/} (lines $from-$to)"
    fi
    package=$(dirname "${file#"$main"/}" | tr / .)
    new_by_package[$package]=$((${new_by_package[$package]:-0} + n))
    new_by_measure[$measure]=$((${new_by_measure[$measure]:-0} + n))
    unit_lines+=$(printf '  %-14s %5d  %s' "$measure" "$n" "$what")$'\n'
done

echo "benchmarks main code: $total lines in $files files (issue #11's target: at most 4,099)"
if git rev-parse -q --verify "$filed^{commit}" >/dev/null 2>&1; then
    then_files=$(git ls-tree -r --name-only "$filed" -- benchmarks/src/main | grep -c '\.java$')
    then_lines=$(git ls-tree -r --name-only "$filed" -- benchmarks/src/main | grep '\.java$' \
        | while read -r f; do git show "$filed:$f"; done | wc -l)
    echo "when #11 was filed ($filed): $then_lines lines in $then_files files"
fi
echo
printf '%-26s %6s %6s %6s\n' package lines old new
new_total=0
while read -r dir; do
    package=$(tr / . <<<"${dir#"$main"/}")
    n=$(find "$dir" -maxdepth 1 -name '*.java' -print0 | xargs -0 cat | wc -l)
    fresh=${new_by_package[$package]:-0}
    new_total=$((new_total + fresh))
    printf '%-26s %6d %6d %6d\n' "$package" "$n" $((n - fresh)) "$fresh"
done < <(find "$bench" -type d | sort)
printf '%-26s %6d %6d %6d\n' total "$total" $((total - new_total)) "$new_total"
echo
echo "by measurement:"
printf '  %-52s %6d\n' "existing when #11 was filed, and everything shared" $((total - new_total))
for measure in "frames (#11)" "TLS (#13)" "floors (#13)" "files (#14)"; do
    printf '  %-52s %6d\n' "$measure, own files/classes/methods" "${new_by_measure[$measure]:-0}"
done
for s in "${shared_only[@]}"; do
    printf '  %-52s %6d\n' "${s%%:*}, own files/classes/methods" 0
done
echo
echo "units counted as new (measurement, lines, unit):"
printf '%s' "$unit_lines"
echo "with no unit of their own (counted as old):"
printf '  %s\n' "${shared_only[@]}"
