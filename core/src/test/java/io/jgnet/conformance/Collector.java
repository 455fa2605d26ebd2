package io.jgnet.conformance;

import io.jgnet.Action;
import io.jgnet.Conn;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A {@link Recorder} that keeps a copy of what each onTraffic call brought (one datagram, or
 * what a stream had buffered) instead of echoing it. Thread-safe.
 */
class Collector extends Recorder {
    private final BlockingQueue<byte[]> received = new LinkedBlockingQueue<>();

    @Override
    public Action onTraffic(Conn conn) {
        byte[] copy = new byte[conn.inboundBuffered()];
        conn.next(-1).get(copy);
        received.add(copy);
        return Action.NONE;
    }

    /** The next bytes received, waiting up to {@link Peers#GUARD}; null if none came. */
    byte[] next() throws InterruptedException {
        return received.poll(Peers.GUARD.toMillis(), TimeUnit.MILLISECONDS);
    }
}
