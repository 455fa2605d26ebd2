package io.jgnet.consumer.modulepath;

import io.jgnet.Action;
import io.jgnet.Conn;
import io.jgnet.Engine;
import io.jgnet.EventHandler;
import io.jgnet.Jgnet;
import io.jgnet.Options;

/**
 * An echo server as a user writes one: {@code java --enable-native-access=io.jgnet -p ... -m
 * io.jgnet.consumer.modulepath/io.jgnet.consumer.modulepath.EchoMain [address]}. Prints one line,
 * {@code listening on ADDRESS with TRANSPORT}, once it serves.
 */
public final class EchoMain implements EventHandler {
    @Override
    public Action onBoot(Engine engine) {
        System.out.println("listening on " + engine.listenAddresses().getFirst() + " with " + engine.transport());
        return Action.NONE;
    }

    @Override
    public Action onTraffic(Conn conn) {
        conn.write(conn.next(-1));
        return Action.NONE;
    }

    public static void main(String[] args) throws Exception {
        Jgnet.run(new EchoMain(), args.length > 0 ? args[0] : "tcp://127.0.0.1:9000", Options.defaults());
    }
}
