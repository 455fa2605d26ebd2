package io.jgnet.bench.matrix;

import io.jgnet.bench.servers.BenchServers.Unavailable;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

/**
 * What the {@code file} workload serves and how nginx, its reference, is started: a directory
 * {@code benchmarks/target/file-root} holding {@link #NAME} of {@link #SIZE} bytes and
 * {@link #WARM_NAME} of {@link #WARM_SIZE} (made once, fixed content), served by jgnet's HTTP
 * example ({@code --root}) and by nginx 1.22 with sendfile on, one worker and no master process,
 * so that its one process holds all of its CPU as a jgnet server's one loop does. nginx's
 * configuration is written to a temporary directory; it listens on 127.0.0.1 only. Stateless.
 */
public final class FileWorkload {
    /** The file wrk fetches. */
    public static final String NAME = "big.bin";
    /** 64 MiB: large enough that the per-request work is noise next to moving the bytes. */
    public static final int SIZE = 64 << 20;
    /**
     * The small file the warm-up fetches before the large one. The large file is asked for a few
     * times a second, so a JVM server would still be compiling its request path (and running it
     * in the interpreter) minutes into the run, where a long-running server has long finished;
     * thousands of small requests a second compile the same path in seconds.
     */
    public static final String WARM_NAME = "warm.bin";
    /** 4 KiB: a request's work, not the bytes, is what the warm-up is for. */
    public static final int WARM_SIZE = 4096;

    private FileWorkload() {
    }

    /** The served directory under {@code root}'s benchmarks/target, with the file made if missing. */
    static Path root(Path repository) throws Unavailable {
        Path dir = repository.resolve(Path.of("benchmarks", "target", "file-root"));
        try {
            make(dir.resolve(NAME), SIZE);
            make(dir.resolve(WARM_NAME), WARM_SIZE);
            return dir;
        } catch (IOException e) {
            throw new Unavailable("cannot make the files to serve under " + dir + ": " + e.getMessage());
        }
    }

    /** Writes {@code size} bytes of fixed pseudo-random content to {@code file}, unless it has that size already. */
    private static void make(Path file, int size) throws IOException {
        if (Files.isRegularFile(file) && Files.size(file) == size) {
            return;
        }
        Files.createDirectories(file.getParent());
        Path partial = file.resolveSibling(file.getFileName() + ".partial");
        byte[] content = new byte[size];
        new Random(64).nextBytes(content);
        Files.write(partial, content);
        Files.move(partial, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /** The command that starts nginx serving {@code root} on {@code port}, its configuration written to a temporary directory. */
    static ServerKind.Command nginx(Path root, int port) throws Unavailable {
        Path nginx = ServerKind.onPath("nginx")
                .or(() -> Stream.of(Path.of("/usr/sbin/nginx")).filter(Files::isExecutable).findFirst())
                .orElseThrow(() -> new Unavailable("nginx is not installed (apt-get install nginx)"));
        try {
            Path prefix = Files.createTempDirectory("jgnet-nginx");
            prefix.toFile().deleteOnExit();
            String config = """
                    daemon off;
                    master_process off;
                    worker_processes 1;
                    pid %1$s/nginx.pid;
                    error_log stderr notice;
                    events { worker_connections 1024; }
                    http {
                        access_log off;
                        sendfile on;
                        tcp_nopush on;
                        keepalive_requests 1000000;
                        client_body_temp_path %1$s/body;
                        proxy_temp_path %1$s/proxy;
                        fastcgi_temp_path %1$s/fastcgi;
                        uwsgi_temp_path %1$s/uwsgi;
                        scgi_temp_path %1$s/scgi;
                        server {
                            listen 127.0.0.1:%2$d;
                            root %3$s;
                        }
                    }
                    """.formatted(prefix, port, root.toAbsolutePath());
            Path file = Files.writeString(prefix.resolve("nginx.conf"), config);
            file.toFile().deleteOnExit();
            // It has bound its port by the time it names its version (the listeners open first).
            return new ServerKind.Command(List.of(nginx.toString(), "-p", prefix.toString(), "-c", file.toString(),
                    "-e", "stderr"), port, "nginx/");
        } catch (IOException e) {
            throw new Unavailable("cannot write nginx's configuration: " + e.getMessage());
        }
    }
}
