#!/usr/bin/env bash
# Where a benchmark server's CPU goes, thread by thread, window after window, on one kind of the
# matrix: the event loop, the acceptor, io_uring's io-wq workers, the JIT compilers, the GC.
# Shows how the CPU per request of a window splits between the server's own work and the JIT
# still compiling after a warm-up (the matrix's figure holds both), and how that changes as the
# run goes on.
#
#   scripts/server-threads.sh JAR KIND [PROTOCOL] [LOAD] [WINDOWS] [SECONDS]
#   e.g. scripts/server-threads.sh benchmarks/target/benchmarks.jar jgnet-io_uring tls-echo tls-handshake 10 10
#
# Starts the BenchServers process (the matrix's JVM flags, pinned to CPU 0) and a BenchLoad
# (pinned to CPU 1), as the matrix does, then runs WINDOWS measured windows of SECONDS each
# and prints for each one: the requests (connections for tls-handshake) it made, the total so
# far, the server's CPU per request (user/sys), the load's, the serving threads' context
# switches per request (loop, acceptor, io-wq), and each thread group's CPU per request.
# Extra server JVM flags go in SERVER_JVM_EXTRA (e.g. -XX:+PrintCompilation). Both processes
# are stopped at the end, by PID. Run from the repository root (the certificate is made there).
set -euo pipefail

jar=${1:?usage: server-threads.sh JAR KIND [PROTOCOL] [LOAD] [WINDOWS] [SECONDS]}
kind=${2:?usage: server-threads.sh JAR KIND [PROTOCOL] [LOAD] [WINDOWS] [SECONDS]}
protocol=${3:-tls-echo}
load=${4:-tls-handshake}
windows=${5:-6}
seconds=${6:-10}
java=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}/bin/java
work=$(mktemp -d)
store=benchmarks/target/tls/bench.p12
if [[ ! -f $store ]]; then
    mkdir -p "$(dirname "$store")"
    "$(dirname "$java")/keytool" -genkeypair -alias bench -keyalg EC -groupname secp256r1 -validity 3650 \
        -dname CN=localhost -storetype PKCS12 -keystore "$store" -storepass bench-only -keypass bench-only >/dev/null
fi
pin() { if taskset -c "$1" true 2>/dev/null; then echo "taskset -c $1"; fi; }

mkfifo "$work/server-in" "$work/load-in"
sleep 100000 >"$work/server-in" & holder=$!   # the server exits at the end of its input
# shellcheck disable=SC2046,SC2086
$(pin 0) "$java" --enable-native-access=ALL-UNNAMED --sun-misc-unsafe-memory-access=allow -Xms256m -Xmx256m \
    -XX:+UseParallelGC -XX:+AlwaysPreTouch -Dio.netty.leakDetection.level=disabled ${SERVER_JVM_EXTRA:-} \
    -Djgnet.bench.tlsKeyStore="$store" -cp "$jar" io.jgnet.bench.servers.BenchServers "$protocol" "$kind" 0 \
    <"$work/server-in" >"$work/server.out" 2>"$work/server.err" &
server=$!
cleanup() { kill "$holder" "$server" "${client:-}" 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT
for _ in $(seq 200); do grep -q READY "$work/server.out" && break; sleep 0.3; done
port=$(awk '/READY/ {print $2}' "$work/server.out")
[[ -n $port ]] || { echo "the server did not start: $(cat "$work/server.err")" >&2; exit 1; }
# shellcheck disable=SC2046
$(pin 1) "$java" -Xms256m -Xmx256m -XX:+UseParallelGC -cp "$jar" io.jgnet.bench.load.BenchLoad "$load" "$port" 16 1 64 \
    <"$work/load-in" >"$work/load.out" 2>"$work/load.err" &
client=$!
exec 7>"$work/load-in"

# Per thread: id, name, user and system ticks, voluntary and involuntary context switches.
threads() {
    for t in /proc/"$server"/task/*; do
        echo "${t##*/} $(tr ' ' _ <"$t/comm") $(sed 's/.*) //' "$t/stat" | awk '{print $12, $13}')" \
            "$(awk '/voluntary_ctxt_switches/ {printf "%s ", $2}' "$t/status")"
    done 2>/dev/null | sort
}
ticks() { sed 's/.*) //' /proc/"$1"/stat | awk '{print $12 + $13}'; }
hz=$(getconf CLK_TCK)
total=0
for w in $(seq "$windows"); do
    threads >"$work/before"; load0=$(ticks "$client")
    echo "MEASURE $seconds" >&7
    for _ in $(seq $(( (seconds + 60) * 4 ))); do
        (( $(grep -c RESULT "$work/load.out") >= w )) && break; sleep 0.25
    done
    threads >"$work/after"; load1=$(ticks "$client")
    requests=$(grep RESULT "$work/load.out" | tail -1 | sed 's/.*requests=\([0-9]*\).*/\1/')
    total=$((total + requests))
    join "$work/before" "$work/after" | awk -v r="$requests" -v w="$w" -v total="$total" -v s="$seconds" \
        -v load=$((load1 - load0)) -v us=$((1000000 / hz)) '
        { u = $8 - $3; k = $9 - $4; n = $2
          if (n ~ /^C2/) n = "C2"; else if (n ~ /^C1/) n = "C1"; else if (n ~ /^GC/) n = "GC"
          else if (n ~ /acceptor/) n = "acceptor"; else if (n ~ /^iou-wrk/) n = "io-wq"
          else if (n ~ /^jgnet-loop|^multiThreadIo|EventLoop/) n = "loop"; else n = "other"
          if (n == "loop" || n == "acceptor" || n == "io-wq") switches += ($10 - $5) + ($11 - $6)
          U[n] += u; K[n] += k; tu += u; tk += k }
        END { if (r == 0) { print "window " w ": no requests"; exit }
              printf "window %d: %d requests (%d so far, %.0f/s); server us/req %.0f (user %.0f sys %.0f); load %.0f; switches/req %.2f |",
                  w, r, total, r / s, (tu + tk) * us / r, tu * us / r, tk * us / r, load * us / r, switches / r
              for (n in U) printf " %s %.0f (%.0f/%.0f)", n, (U[n] + K[n]) * us / r, U[n] * us / r, K[n] * us / r
              printf "\n" }'
done
