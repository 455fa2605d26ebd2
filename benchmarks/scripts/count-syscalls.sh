#!/usr/bin/env bash
# Counts the system calls a jgnet echo server makes per 64-byte echo round trip: starts
# ./jgnet echo, warms it up, then traces every thread of the server with strace -c during one
# measured window of the matrix's load generator (BenchLoad), and divides by the round trips it
# reports. Connecting and the last batches in flight fall outside the count but inside the trace:
# at most one round trip per connection, well under 1% of a window.
#
#   benchmarks/scripts/count-syscalls.sh [epoll|nio] [connections] [seconds]
#
# Needs strace (apt-get install strace) and ptrace permission on the server (root here).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
transport=${1:-epoll}
connections=${2:-100}
seconds=${3:-3}
port=9176
command -v strace >/dev/null || { echo "count-syscalls: strace is not installed (apt-get install strace)" >&2; exit 1; }

# shellcheck source=scripts/find-jdk.sh
source scripts/find-jdk.sh
jgnet_find_jdk --quiet
java="$JGNET_JDK/bin/java"
# The Maven wrapper builds with JAVA_HOME: the JDK 25 found, not whatever java is on the PATH.
export JAVA_HOME=$JGNET_JDK
./mvnw -q -B -pl benchmarks -am package -DskipTests
jar=benchmarks/target/benchmarks.jar

./jgnet echo --port "$port" --transport "$transport" > /tmp/jgnet-count-syscalls.log 2>&1 &
launcher=$!
trap 'kill -TERM "$launcher" 2>/dev/null || true' EXIT
for _ in $(seq 1 100); do
    grep -q "listening" /tmp/jgnet-count-syscalls.log && break
    sleep 0.2
done
server=$(pgrep -f "io.jgnet.cli.Main echo --port $port" | head -1)
[ -n "$server" ] || { echo "count-syscalls: the echo server did not start" >&2; cat /tmp/jgnet-count-syscalls.log >&2; exit 1; }

load=("$java" -cp "$jar" io.jgnet.bench.load.BenchLoad echo "$port" "$connections" 1 64)
echo "RUN 2" | "${load[@]}" > /dev/null   # warm-up
threads=$(ls "/proc/$server/task" | paste -sd, -)
out=$(mktemp)
strace -c -f -p "$threads" -o "$out" 2>/dev/null &
tracer=$!
sleep 1
result=$(echo "MEASURE $seconds" | "${load[@]}" | grep '^RESULT ')
kill -INT "$tracer"
wait "$tracer" || true
echo "$result"
messages=$(sed -n 's/.* requests=\([0-9]*\).*/\1/p' <<<"$result")
[ -n "$messages" ] && [ "$messages" -gt 0 ] || { echo "count-syscalls: the load measured nothing" >&2; exit 1; }
awk -v m="$messages" '
    $NF ~ /^(read|write|readv|writev|epoll_wait|epoll_ctl|recvfrom|sendto)$/ { n[$NF] = $(NF-1) + 0; if ($(NF-1) !~ /^[0-9]+$/) n[$NF] = $(NF-2) + 0 }
    END {
        total = 0
        for (k in n) { printf "  %-11s %10d  %.4f per round trip\n", k, n[k], n[k] / m; total += n[k] }
        printf "  %-11s %10d  %.4f per round trip (%d round trips)\n", "I/O total", total, total / m, m
    }' "$out"
rm -f "$out"
