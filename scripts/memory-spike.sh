#!/usr/bin/env bash
# The memory-after-a-spike probe of issue #15: starts `./jgnet echo` on one transport, lets
# CLIENTS clients each send MIB MiB without ever reading (each is cut at the 16 MiB write cap),
# and prints the server's RSS before, at its peak, 3 s after the clients left and SETTLE s after.
# Bounded: the sending phase ends after 60 s at most, the server is stopped at the end.
#
#   scripts/memory-spike.sh [TRANSPORT [CLIENTS [MIB [SETTLE_SECONDS [PORT]]]]]
#   scripts/memory-spike.sh epoll 11 200 60      # the issue's first figure
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
transport=${1:-auto} clients=${2:-11} mib=${3:-200} settle=${4:-60} port=${5:-19102}
"$root/jgnet" echo --port "$port" --transport "$transport" >/dev/null 2>&1 &
server=$!
trap 'kill "$server" 2>/dev/null; wait "$server" 2>/dev/null || true' EXIT
# The launcher execs java, so $server is the server's own PID once it listens.
for _ in $(seq 300); do
    (echo >/dev/tcp/127.0.0.1/"$port") 2>/dev/null && break
    sleep 0.2
done
sleep 1
echo -n "$transport: "
python3 "$root/scripts/memory-spike-probe.py" "$server" "$port" "$clients" "$mib" "$settle"
