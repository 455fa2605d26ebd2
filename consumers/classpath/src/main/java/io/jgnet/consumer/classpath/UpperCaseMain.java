package io.jgnet.consumer.classpath;

import io.jgnet.Action;
import io.jgnet.Codec;
import io.jgnet.Conn;
import io.jgnet.Engine;
import io.jgnet.FrameHandler;
import io.jgnet.Jgnet;
import io.jgnet.Options;
import java.nio.ByteBuffer;

/**
 * A line server as a user writes one on the class path: each line comes back upper-cased (ASCII).
 * Run it with {@code java --enable-native-access=ALL-UNNAMED -cp ...
 * io.jgnet.consumer.classpath.UpperCaseMain [address]}; jgnet's log goes through SLF4J to
 * Logback (logback.xml: stderr). Prints one line, {@code listening on ADDRESS with TRANSPORT},
 * once it serves.
 */
public final class UpperCaseMain extends FrameHandler {
    UpperCaseMain() {
        super(Codec.line(1024, true));
    }

    @Override
    public Action onBoot(Engine engine) {
        System.out.println("listening on " + engine.listenAddresses().getFirst() + " with " + engine.transport());
        return Action.NONE;
    }

    @Override
    public Action onFrame(Conn conn, ByteBuffer line) {
        ByteBuffer upper = ByteBuffer.allocate(line.remaining());
        while (line.hasRemaining()) {
            byte b = line.get();
            upper.put(b >= 'a' && b <= 'z' ? (byte) (b - 'a' + 'A') : b);
        }
        send(conn, upper.flip());
        return Action.NONE;
    }

    public static void main(String[] args) throws Exception {
        Jgnet.run(new UpperCaseMain(), args.length > 0 ? args[0] : "tcp://127.0.0.1:9000", Options.defaults());
    }
}
