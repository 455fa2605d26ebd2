package io.jgnet.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.ArrayList;
import java.util.List;

/**
 * A load of an exact number of echo round trips, for counting what a server does per message
 * (system calls with strace, say): {@code connections} blocking sockets, each on a virtual
 * thread, each sending {@code perConnection} messages of {@code size} bytes and waiting for
 * each echo. Usage: {@code FixedEchoLoad PORT CONNECTIONS PER_CONNECTION [SIZE]}.
 */
public final class FixedEchoLoad {
    private FixedEchoLoad() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 3) {
            System.err.println("usage: FixedEchoLoad PORT CONNECTIONS PER_CONNECTION [SIZE]");
            System.exit(2);
        }
        int port = Integer.parseInt(args[0]);
        int connections = Integer.parseInt(args[1]);
        int perConnection = Integer.parseInt(args[2]);
        int size = args.length > 3 ? Integer.parseInt(args[3]) : 64;
        List<Future<Void>> clients = new ArrayList<>();
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int c = 0; c < connections; c++) {
                clients.add(threads.submit(() -> {
                    roundTrips(port, perConnection, size);
                    return null;
                }));
            }
            for (Future<Void> client : clients) {
                client.get();
            }
        }
        System.out.println((long) connections * perConnection + " round trips of " + size + " bytes");
    }

    private static void roundTrips(int port, int count, int size) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setTcpNoDelay(true);
            OutputStream out = socket.getOutputStream();
            InputStream in = socket.getInputStream();
            byte[] message = new byte[size];
            byte[] echo = new byte[size];
            for (int i = 0; i < count; i++) {
                out.write(message);
                if (in.readNBytes(echo, 0, size) != size) {
                    throw new IOException("the server closed the connection");
                }
            }
        }
    }
}
