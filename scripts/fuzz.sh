#!/usr/bin/env bash
# Fuzzes every parser a peer can reach with Jazzer (coverage-guided, libFuzzer underneath), one
# fuzz test after another, and prints executions, coverage and findings per target. Run through
# the launcher, which finds the JDK 25: ./jgnet fuzz [--minutes N | --seconds N] [--only TEXT]
#
#   --minutes N   the whole run's budget, shared evenly by the targets (default 2)
#   --seconds N   the same in seconds (CI runs a short one)
#   --only TEXT   fuzz only the targets whose Class#method contains TEXT
#
# Targets are the @FuzzTest methods of every *FuzzTest.java under core and examples; `./jgnet
# test` replays their seeds (src/test/resources/<package>/<Class>Inputs/<method>/) as ordinary
# tests. Here each target runs in its own JVM (libFuzzer fuzzes one target per process). What
# the fuzzer learns is kept in target/fuzz-corpus/ for the next run; an input that breaks an
# invariant, throws what the parser must not throw, or runs past 10 s is written to
# target/fuzz-findings/ and the run exits 1: copy it into the target's Inputs directory, where
# it replays as a regression test, and fix the parser.
#
# The classes are built for Java 23 into */target/fuzz (the `fuzz` Maven profile): Jazzer
# 0.24's instrumentation, which gives the fuzzer its coverage feedback, reads no newer class files.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"

usage() {
    sed -n '2,/^set -euo/p' "$0" | sed -e '/^set -euo/d' -e 's/^# \{0,1\}//' >&2
    exit 2
}

budget=120
only=""
while (($# > 0)); do
    case $1 in
        --minutes) budget=$((${2:?--minutes needs a value} * 60)); shift 2 ;;
        --seconds) budget=${2:?--seconds needs a value}; shift 2 ;;
        --only) only=${2:?--only needs a value}; shift 2 ;;
        -h | --help) usage ;;
        *) echo "jgnet fuzz: unknown argument $1" >&2; usage ;;
    esac
done

# ---- Targets: module, class, method of every @FuzzTest ----
targets=()
while IFS= read -r file; do
    module=${file%%/src/*}
    class=${file#*/src/test/java/}
    class=${class%.java}
    class=${class//\//.}
    # The method declared after each @FuzzTest (other annotations may sit between).
    while IFS= read -r method; do
        if [[ -z $only || "$class#$method" == *"$only"* ]]; then
            targets+=("$module $class $method")
        fi
    done < <(awk '/@FuzzTest/ { armed = 1 } armed && match($0, /void [A-Za-z0-9_]+\(/) {
                      print substr($0, RSTART + 5, RLENGTH - 6); armed = 0 }' "$file")
done < <(find core/src/test/java examples/src/test/java -name '*FuzzTest.java' | sort)
if ((${#targets[@]} == 0)); then
    echo "jgnet fuzz: no fuzz test matches '${only}'" >&2
    exit 2
fi
per_target=$((budget / ${#targets[@]}))
((per_target >= 5)) || per_target=5

# ---- Build for Java 23 into */target/fuzz, with each module's test class path ----
echo "jgnet fuzz: building the fuzz tests (./mvnw -P fuzz ... test-compile)" >&2
./mvnw -q -B -P fuzz -pl core,examples test-compile dependency:build-classpath \
    -Dmdep.outputFile=target/fuzz/test.classpath -Dmdep.includeScope=test

mkdir -p target/fuzz-corpus target/fuzz-findings target/fuzz-logs
echo "jgnet fuzz: ${#targets[@]} targets, ${per_target} s each" >&2
printf '%-52s %12s %9s %6s %8s  %s\n' target executions "exec/s" cov corpus result
failed=0
for target in "${targets[@]}"; do
    read -r module class method <<<"$target"
    name="${class##*.}#$method"
    corpus=target/fuzz-corpus/$class/$method
    log=target/fuzz-logs/$class.$method.log
    mkdir -p "$corpus"
    classpath="$module/target/fuzz/test-classes:$module/target/fuzz/classes:$(cat "$module/target/fuzz/test.classpath")"
    # -rss_limit_mb=0: the JVM's own footprint is not a finding; the targets check the parsers'
    # memory bounds themselves. The outer timeout only guards against a fuzzer that never stops.
    status=0
    timeout --kill-after=30 $((per_target + 300)) \
        "$JAVA_HOME/bin/java" -Xmx512m --enable-native-access=ALL-UNNAMED -cp "$classpath" \
        com.code_intelligence.jazzer.Jazzer --target_class="$class" --target_method="$method" \
        --instrumentation_includes='io.jgnet.**' \
        -max_total_time="$per_target" -timeout=10 -rss_limit_mb=0 \
        -artifact_prefix="target/fuzz-findings/$class.$method-" "$corpus" >"$log" 2>&1 || status=$?
    done_line=$(grep -E '^#[0-9]+[[:space:]]+DONE' "$log" | tail -1 || true)
    runs=$(sed -n 's/^Done \([0-9]*\) runs.*/\1/p' "$log" | tail -1)
    exec_rate=$(sed -n 's/.*exec\/s: \([0-9]*\).*/\1/p' <<<"$done_line")
    cov=$(sed -n 's/.*cov: \([0-9]*\).*/\1/p' <<<"$done_line")
    corpus_size=$(find "$corpus" -type f | wc -l)
    if ((status == 0)); then
        result=ok
    else
        failed=1
        result="FINDING (exit $status): $(grep -m1 -E '== Java Exception|ERROR: libFuzzer' "$log" || echo "see $log")"
    fi
    printf '%-52s %12s %9s %6s %8s  %s\n' "$name" "${runs:-?}" "${exec_rate:-?}" "${cov:-?}" "$corpus_size" "$result"
done
if ((failed)); then
    echo "jgnet fuzz: findings in target/fuzz-findings/ (logs in target/fuzz-logs/): copy each into its" \
        "target's Inputs directory as a regression test, then fix the parser" >&2
    exit 1
fi
echo "jgnet fuzz: no findings" >&2
