#!/usr/bin/env bash
# Counts what one benchmark server makes the kernel do per request, with perf tracepoints, over
# one measured window of the matrix's load: the figures that explain its system time without
# depending on how busy the machine is (CPU time per request swings 10-50% on a shared machine;
# these counts move by a few percent).
#
#   benchmarks/scripts/server-counts.sh PROTOCOL KIND [CONNECTIONS [SIZE [SECONDS]]]
#     PROTOCOL  echo | http | tls-echo | tls-http (BenchLoad's protocols)
#     KIND      a BenchServers kind: jgnet-io_uring, jgnet-epoll, netty-io_uring, ...
#   env: JAR (default benchmarks/target/benchmarks.jar: copy it elsewhere first if you rebuild
#        while measuring), WARM (unmeasured seconds before the first window, default 8),
#        WINDOWS (how many windows, one after another, default 1: several show the JIT settling,
#        whose compiler threads count in the server's CPU), LOAD (the load's protocol when it
#        differs from the server's: tls-handshake against a tls-echo server, one new connection
#        per request)
#
# Prints one line per run, every count per request of the window:
#   enter    io_uring_enter calls              sys      system calls of every kind
#   sqe/cqe  io_uring submissions, completions csw      the server's context switches
#   futex    futex calls (JVM parking)         pf       page faults
#   ipi_in   function-call IPIs taken          ipi_out  IPIs the server sent
#   softirq  softirqs run in its context       xmit     packets it sent (loopback: one per segment)
#   timers   timer (re)arms (TCP's RTO and delayed-ACK timers, per jiffy: more per request at lower rates)
#   wakes    tasks it woke (the load, when it was waiting)
# then user and system CPU us per request and the same per thread (tick-sampled at CONFIG_HZ and
# rescaled by the kernel per process and per thread, so the two do not add up exactly: noisy).
# Needs perf and permission for tracepoints (root, or perf_event_paranoid <= -1). Pins like the
# matrix: the server on CPU 1, the load on CPU 0. Servers listen on 127.0.0.1 only.
set -euo pipefail

usage="usage: server-counts.sh echo|http|tls-echo|tls-http KIND [CONNECTIONS [SIZE [SECONDS]]]"
proto=${1:?$usage}
kind=${2:?$usage}
conns=${3:-100}
size=${4:-64}
secs=${5:-3}
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
jar=${JAR:-$root/benchmarks/target/benchmarks.jar}
# shellcheck source=scripts/find-jdk.sh
source "$root/scripts/find-jdk.sh"
jgnet_find_jdk --quiet || { echo "server-counts: no JDK 25 found (see scripts/find-jdk.sh)" >&2; exit 1; }
java=$JGNET_JDK/bin/java
command -v perf >/dev/null || { echo "perf is not installed" >&2; exit 1; }
[[ -f $jar ]] || { echo "no $jar: build it with ./mvnw -B -q -pl benchmarks -am package -DskipTests" >&2; exit 1; }

work=$(mktemp -d)
server=; load=
cleanup() {
    exec 7>&- 8>&- 2>/dev/null || true
    [[ -n $load ]] && kill "$load" 2>/dev/null
    [[ -n $server ]] && kill "$server" 2>/dev/null
    wait 2>/dev/null
    rm -rf "$work"
}
trap cleanup EXIT

# Waits (bounded) until file $1 holds $3 lines starting with $2.
await_count() {
    for _ in $(seq 600); do
        (( $(grep -c "^$2" "$1" 2>/dev/null || true) >= $3 )) && return 0
        sleep 0.1
    done
    echo "no $2 number $3 in $1:" >&2; tail -5 "$1" >&2; exit 1
}

# Waits (bounded) for a line starting with $2 in file $1.
await() {
    for _ in $(seq 600); do
        grep -q "^$2" "$1" 2>/dev/null && return 0
        sleep 0.1
    done
    echo "no $2 in $1:" >&2; tail -5 "$1" >&2; exit 1
}

keystore=$work/bench.p12
if [[ $proto == tls-* ]]; then
    "$JGNET_JDK/bin/keytool" -genkeypair -alias bench -keyalg EC -groupname secp256r1 -validity 2 \
        -dname CN=localhost -storetype PKCS12 -keystore "$keystore" -storepass bench-only -keypass bench-only \
        >/dev/null 2>&1
fi
port=$((20000 + RANDOM % 20000))
mkfifo "$work/server.in" "$work/load.in"
taskset -c 1 "$java" --enable-native-access=ALL-UNNAMED --sun-misc-unsafe-memory-access=allow -Xms256m -Xmx256m \
    -XX:+UseParallelGC -XX:+AlwaysPreTouch -Dio.netty.leakDetection.level=disabled \
    -Djgnet.bench.tlsKeyStore="$keystore" -cp "$jar" io.jgnet.bench.servers.BenchServers "$proto" "$kind" "$port" \
    <"$work/server.in" >"$work/server.out" 2>&1 &
server=$!
exec 7>"$work/server.in"
await "$work/server.out" READY
taskset -c 0 "$java" -Xms256m -Xmx256m -XX:+UseParallelGC -cp "$jar" io.jgnet.bench.load.BenchLoad \
    "${LOAD:-$proto}" "$port" "$conns" 1 "$size" <"$work/load.in" >"$work/load.out" 2>&1 &
load=$!
exec 8>"$work/load.in"
await "$work/load.out" CONNECTED
echo "RUN ${WARM:-8}" >&8
await "$work/load.out" DONE
for window in $(seq "${WINDOWS:-1}"); do
    echo "MEASURE $secs" >&8
    await_count "$work/load.out" MEASURE_START "$window"
    cat /proc/$server/task/*/stat >"$work/threads.0" 2>/dev/null || true
    read -r u0 s0 < <(awk '{print $14, $15}' /proc/$server/stat)
    events=(syscalls:sys_enter_io_uring_enter raw_syscalls:sys_enter io_uring:io_uring_submit_req io_uring:io_uring_complete
        sched:sched_switch syscalls:sys_enter_futex page-faults irq_vectors:call_function_single_entry ipi:ipi_send_cpu
        irq:softirq_entry net:net_dev_xmit timer:timer_start sched:sched_waking)
    args=()
    for event in "${events[@]}"; do args+=(-e "$event"); done
    perf stat -x, "${args[@]}" -p "$server" -- sleep "$secs" 2>"$work/perf"
    read -r u1 s1 < <(awk '{print $14, $15}' /proc/$server/stat)
    cat /proc/$server/task/*/stat >"$work/threads.1" 2>/dev/null || true
    await_count "$work/load.out" RESULT "$window"
    rps=$(sed -n 's/^RESULT.* rps=\([0-9.]*\).*/\1/p' "$work/load.out" | sed -n "${window}p")
    requests=$(awk -v r="$rps" -v s="$secs" 'BEGIN {print r * s}')
    tick_us=$((1000000 / $(getconf CLK_TCK)))

    count() { grep ",$1," "$work/perf" | cut -d, -f1; }
    line="$proto/$kind rps=${rps%.*}"
    for pair in enter:syscalls:sys_enter_io_uring_enter sys:raw_syscalls:sys_enter sqe:io_uring:io_uring_submit_req \
        cqe:io_uring:io_uring_complete csw:sched:sched_switch futex:syscalls:sys_enter_futex pf:page-faults \
        ipi_in:irq_vectors:call_function_single_entry ipi_out:ipi:ipi_send_cpu softirq:irq:softirq_entry \
        xmit:net:net_dev_xmit timers:timer:timer_start wakes:sched:sched_waking; do
        line+=$(awk -v name="${pair%%:*}" -v c="$(count "${pair#*:}")" -v n="$requests" \
            'BEGIN {printf " %s=%.3f", name, (c == "" || c ~ /not/ ? 0 : c) / n}')
    done
    awk -v l="$line" -v u=$((u1 - u0)) -v y=$((s1 - s0)) -v t="$tick_us" -v n="$requests" \
        'BEGIN {printf "%s user_us=%.2f sys_us=%.2f\n", l, u * t / n, y * t / n}'
    # Per thread: the comm is between the first "(" and the last ") " (it may hold spaces).
    awk -v n="$requests" -v t="$tick_us" '
        function parse(line,   from, to, fields) {
            from = index(line, "("); to = match(line, /\) [A-Z] /)
            name = substr(line, from + 1, to - from - 1); gsub(/ /, "_", name)
            split(substr(line, to + 2), fields, " "); utime = fields[12]; stime = fields[13]
        }
        FNR == NR { parse($0); u[$1] = utime; s[$1] = stime; next }
        { parse($0); du = utime - u[$1]; ds = stime - s[$1]
          if (du + ds > 0) printf "  thread %-18s user_us=%.2f sys_us=%.2f\n", name, du * t / n, ds * t / n }
    ' "$work/threads.0" "$work/threads.1"
done
grep -h "^ERROR\|Exception" "$work/load.out" "$work/server.out" | head -3 >&2 || true
