package io.jgnet.conformance;

import io.jgnet.Action;
import io.jgnet.Conn;
import io.jgnet.Engine;
import io.jgnet.EventHandler;
import io.jgnet.Jgnet;
import io.jgnet.Options;
import io.jgnet.TransportKind;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.net.InetSocketAddress;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * An echo server run in its own JVM by {@link DescriptorLimitBehaviours}: it starts, then lowers
 * its own descriptor limit (RLIMIT_NOFILE, through setrlimit) to what it has open plus
 * {@link #HEADROOM}, and prints {@code READY <port> <limit>}. It runs until killed.
 *
 * <p>Before the limit is lowered every jgnet class is loaded. The tests run jgnet from a
 * directory of class files, where loading a class opens a file, so the first class a new
 * connection needs could not be loaded with no descriptor left; in an application jgnet is a
 * jar, opened once, from which classes load without new descriptors.
 *
 * <p>Arguments: the transport name and whether epoll is edge-triggered.
 */
final class DescriptorLimitedServer {
    /** Descriptors left for connections once the limit is lowered. */
    static final int HEADROOM = 24;
    private static final int RLIMIT_NOFILE = 7;

    private DescriptorLimitedServer() {
    }

    public static void main(String[] args) throws Throwable {
        loadEveryClassBeside(Jgnet.class);
        Engine engine = Jgnet.start(new EventHandler() {
            @Override
            public Action onTraffic(Conn conn) {
                conn.write(conn.next(-1));
                return Action.NONE;
            }
        }, "tcp://127.0.0.1:0", Options.builder().transport(TransportKind.valueOf(args[0]))
                .epoll(epoll -> epoll.edgeTriggered(Boolean.parseBoolean(args[1]))).loops(1).build());
        int limit = highestOpenDescriptor() + 1 + HEADROOM;
        setSoftLimit(limit);
        System.out.println("READY " + ((InetSocketAddress) engine.listenAddresses().get(0)).getPort() + " " + limit);
        System.out.flush();
        engine.awaitTermination();
    }

    private static void loadEveryClassBeside(Class<?> anchor) throws Exception {
        Path root = Path.of(anchor.getProtectionDomain().getCodeSource().getLocation().toURI());
        try (var files = Files.walk(root)) {
            for (Path file : (Iterable<Path>) files::iterator) {
                String name = root.relativize(file).toString();
                if (name.endsWith(".class") && !name.equals("module-info.class")) {
                    Class.forName(name.substring(0, name.length() - 6).replace('/', '.'), false,
                            anchor.getClassLoader());
                }
            }
        }
    }

    private static int highestOpenDescriptor() throws IOException {
        int highest = 0;
        try (DirectoryStream<Path> open = Files.newDirectoryStream(Path.of("/proc/self/fd"))) {
            for (Path fd : open) {
                highest = Math.max(highest, Integer.parseInt(fd.getFileName().toString()));
            }
        }
        return highest;
    }

    /** {@code setrlimit(RLIMIT_NOFILE, {limit, hard})}, keeping the hard limit. */
    private static void setSoftLimit(int limit) throws Throwable {
        Linker linker = Linker.nativeLinker();
        FunctionDescriptor call = FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.ADDRESS);
        MethodHandle get = linker.downcallHandle(linker.defaultLookup().find("getrlimit").orElseThrow(), call);
        MethodHandle set = linker.downcallHandle(linker.defaultLookup().find("setrlimit").orElseThrow(), call);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment rlimit = arena.allocate(2 * Long.BYTES, Long.BYTES); // struct rlimit { rlim_t cur, max; }
            if ((int) get.invokeExact(RLIMIT_NOFILE, rlimit) != 0) {
                throw new IOException("getrlimit failed");
            }
            rlimit.set(ValueLayout.JAVA_LONG, 0, limit);
            if ((int) set.invokeExact(RLIMIT_NOFILE, rlimit) != 0) {
                throw new IOException("setrlimit failed");
            }
        }
    }
}
