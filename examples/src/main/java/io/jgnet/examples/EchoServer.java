package io.jgnet.examples;

import io.jgnet.Action;
import io.jgnet.Conn;
import io.jgnet.EventHandler;
import io.jgnet.Jgnet;
import io.jgnet.Options;

/**
 * The smallest jgnet server: every byte that arrives goes straight back.
 *
 * <p>Stateless, so one instance may serve any number of engines and loops at once.
 */
public final class EchoServer implements EventHandler {

    @Override
    public Action onTraffic(Conn conn) {
        // next(-1) hands over every buffered byte; write copies them before the view goes stale.
        conn.write(conn.next(-1));
        return Action.NONE;
    }

    /** Serves {@code args[0]} (default {@code tcp://127.0.0.1:9000}) until the process is killed. */
    public static void main(String[] args) throws Exception {
        String address = args.length > 0 ? args[0] : "tcp://127.0.0.1:9000";
        Jgnet.run(new EchoServer(), address, Options.defaults());
    }
}
