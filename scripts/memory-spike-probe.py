#!/usr/bin/env python3
"""Spike probe (run by scripts/memory-spike.sh): CLIENTS clients each send MIB MiB to an echo
server and never read; prints the server's RSS before, at its peak and after. Bounded: 60 s of sending.
usage: memory-spike-probe.py SERVER_PID PORT CLIENTS MIB SETTLE_SECONDS"""
import os, socket, sys, time, selectors, errno
pid, port, clients, mib, settle = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), float(sys.argv[5])
def rss():
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) // 1024
before = rss()
sel = selectors.DefaultSelector()
chunk = b"x" * 65536
socks = []
sent = {}
for _ in range(clients):
    s = socket.create_connection(("127.0.0.1", port))
    s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 65536)
    s.setblocking(False)
    sel.register(s, selectors.EVENT_WRITE)
    socks.append(s); sent[s] = 0
total = mib * 1024 * 1024
peak = before
deadline = time.time() + 60
active = set(socks)
cut = 0
while active and time.time() < deadline:
    for key, _ in sel.select(timeout=0.1):
        s = key.fileobj
        try:
            n = s.send(chunk[: min(len(chunk), total - sent[s])])
            sent[s] += n
            if sent[s] >= total:
                sel.unregister(s); active.discard(s)
        except OSError as e:
            cut += 1
            sel.unregister(s); active.discard(s)
    peak = max(peak, rss())
stalled = len(active)
for s in socks:
    s.close()
t0 = time.time()
while time.time() - t0 < 3:
    peak = max(peak, rss()); time.sleep(0.1)
after_close = rss()
time.sleep(max(0, settle - 3))
after = rss()
print(f"clients={clients} MiB={mib} sentMiB={sum(sent.values())//(1<<20)} cut={cut} stalled={stalled} "
      f"rss_before={before} peak={peak} after3s={after_close} after{int(settle)}s={after} MiB")
