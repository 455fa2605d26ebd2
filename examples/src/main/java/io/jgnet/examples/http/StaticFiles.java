package io.jgnet.examples.http;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Map;

/**
 * Serves the files under one directory for GET and HEAD, the way a static file server must:
 * Content-Length and Last-Modified, 304 for If-Modified-Since, one byte range with 206 (416 when
 * it cannot be satisfied), 404 and 403, and no way out of the root. The body is sent with
 * {@link io.jgnet.Conn#sendFile}, straight from the file to the socket, so serving a large file
 * costs no Java memory.
 *
 * <p>Confinement: the path is percent-decoded once (so {@code %2e%2e} is {@code ..}), any
 * {@code ..} segment, NUL or backslash is refused with 400, and the file found is resolved with
 * its symbolic links ({@link Path#toRealPath}); a real path outside the root's real path is 403.
 * A directory is served by its {@code index.html}, else 403.
 *
 * <p>Threading: immutable; {@link #answer} runs on a loop thread and opens one file per request
 * (the file system calls are short on a local disk; a server on slow storage would offload them).
 */
final class StaticFiles {
    private static final DateTimeFormatter HTTP_DATE =
            DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.US).withZone(ZoneOffset.UTC);
    private static final Map<String, String> TYPES = Map.ofEntries(
            Map.entry("html", "text/html; charset=utf-8"), Map.entry("htm", "text/html; charset=utf-8"),
            Map.entry("txt", "text/plain; charset=utf-8"), Map.entry("css", "text/css"),
            Map.entry("js", "text/javascript"), Map.entry("json", "application/json"),
            Map.entry("svg", "image/svg+xml"), Map.entry("png", "image/png"), Map.entry("jpg", "image/jpeg"),
            Map.entry("jpeg", "image/jpeg"), Map.entry("gif", "image/gif"), Map.entry("webp", "image/webp"),
            Map.entry("pdf", "application/pdf"), Map.entry("wasm", "application/wasm"));
    private static final String DEFAULT_TYPE = "application/octet-stream";

    private static final EncodedResponse BAD_REQUEST = EncodedResponse.error(400, "");
    private static final EncodedResponse FORBIDDEN = EncodedResponse.error(403, "");
    private static final EncodedResponse NOT_ALLOWED = EncodedResponse.error(405, "Allow: GET, HEAD\r\n");
    private static final EncodedResponse SERVER_ERROR = EncodedResponse.error(500, "");

    /**
     * What to send: a response head (and a small body for errors) and, for a file, the region
     * to send after it with sendFile, whose channel the receiver now owns.
     */
    record Answer(EncodedResponse response, FileChannel file, long position, long length) {
        static Answer of(EncodedResponse response) {
            return new Answer(response, null, 0, 0);
        }
    }

    private final Path root;

    /**
     * Serves {@code root}.
     *
     * @throws IOException if {@code root} is not a readable directory
     */
    StaticFiles(Path root) throws IOException {
        this.root = root.toRealPath();
        if (!Files.isDirectory(this.root)) {
            throw new IOException("not a directory: " + root);
        }
    }

    /** The answer to {@code request}, whose route found nothing else. */
    Answer answer(HttpRequest request) {
        if (!request.method().equals("GET") && !request.method().equals("HEAD")) {
            return Answer.of(NOT_ALLOWED);
        }
        String decoded = percentDecode(request.path());
        if (decoded == null || !decoded.startsWith("/") || decoded.indexOf('\0') >= 0 || decoded.indexOf('\\') >= 0) {
            return Answer.of(BAD_REQUEST);
        }
        for (String segment : decoded.split("/")) {
            if (segment.equals("..")) {
                return Answer.of(BAD_REQUEST);
            }
        }
        Path file;
        BasicFileAttributes attributes; // one stat for the type and the modification time
        try {
            file = root.resolve(decoded.substring(1)).toRealPath();
            attributes = Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            if (attributes.isDirectory()) {
                file = file.resolve("index.html").toRealPath();
                attributes = Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            }
        } catch (NoSuchFileException | InvalidPathException e) {
            return Answer.of(Router.NOT_FOUND);
        } catch (AccessDeniedException e) {
            return Answer.of(FORBIDDEN);
        } catch (IOException e) {
            return Answer.of(SERVER_ERROR);
        }
        if (!file.startsWith(root) || !attributes.isRegularFile()) {
            return Answer.of(FORBIDDEN);
        }
        return open(file, attributes, request);
    }

    private Answer open(Path path, BasicFileAttributes attributes, HttpRequest request) {
        FileChannel channel;
        try {
            channel = FileChannel.open(path, StandardOpenOption.READ);
        } catch (AccessDeniedException e) {
            return Answer.of(FORBIDDEN);
        } catch (IOException e) {
            return Answer.of(SERVER_ERROR);
        }
        try {
            long size = channel.size();
            // HTTP dates have whole seconds: compare and send the modification time at that precision.
            long modified = attributes.lastModifiedTime().toInstant().getEpochSecond();
            String lastModified = "Last-Modified: " + HTTP_DATE.format(Instant.ofEpochSecond(modified)) + "\r\n";
            Instant since = httpDate(request.header("if-modified-since"));
            if (since != null && modified <= since.getEpochSecond() && request.header("range") == null) {
                channel.close();
                return Answer.of(head(304, null, -1, lastModified));
            }
            String type = TYPES.getOrDefault(extension(path), DEFAULT_TYPE);
            String headers = lastModified + "Accept-Ranges: bytes\r\n";
            long[] range = ByteRange.parse(request.header("range"), size);
            if (range == ByteRange.UNSATISFIABLE) {
                channel.close();
                return Answer.of(EncodedResponse.error(416, "Content-Range: bytes */" + size + "\r\n"));
            }
            if (range == null) {
                return new Answer(head(200, type, size, headers), channel, 0, size);
            }
            long length = range[1] - range[0] + 1;
            headers += "Content-Range: bytes " + range[0] + "-" + range[1] + "/" + size + "\r\n";
            return new Answer(head(206, type, length, headers), channel, range[0], length);
        } catch (IOException | RuntimeException e) {
            try {
                channel.close();
            } catch (IOException suppressed) {
                e.addSuppressed(suppressed);
            }
            return Answer.of(SERVER_ERROR);
        }
    }

    /** A head without a body of its own: the file region follows it (none for 304). */
    private static EncodedResponse head(int status, String type, long length, String headers) {
        String head = "HTTP/1.1 " + status + " " + EncodedResponse.reason(status) + "\r\n"
                + "Server: " + EncodedResponse.SERVER + "\r\n"
                + (type != null ? "Content-Type: " + type + "\r\n" : "")
                + (length >= 0 ? "Content-Length: " + length + "\r\n" : "")
                + headers;
        return new EncodedResponse(status, head.getBytes(StandardCharsets.US_ASCII), new byte[0]);
    }

    private static String extension(Path path) {
        String name = path.getFileName().toString();
        int dot = name.lastIndexOf('.');
        return dot < 0 ? "" : name.substring(dot + 1).toLowerCase(Locale.ROOT);
    }

    /** An IMF-fixdate, or null if absent or not one (an unparsable If-Modified-Since is ignored, RFC 9110 13.1.3). */
    static Instant httpDate(String text) {
        if (text == null) {
            return null;
        }
        try {
            return Instant.from(HTTP_DATE.parse(text.strip()));
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    /** The path with its %XX escapes decoded as UTF-8 bytes, or null if an escape is malformed. */
    static String percentDecode(String path) {
        if (path.indexOf('%') < 0) {
            return path;
        }
        byte[] out = new byte[path.length()];
        int n = 0;
        for (int i = 0; i < path.length(); i++) {
            char c = path.charAt(i);
            if (c == '%') {
                if (i + 2 >= path.length()) {
                    return null;
                }
                int hi = Character.digit(path.charAt(i + 1), 16);
                int lo = Character.digit(path.charAt(i + 2), 16);
                if (hi < 0 || lo < 0) {
                    return null;
                }
                out[n++] = (byte) (hi << 4 | lo);
                i += 2;
            } else {
                out[n++] = (byte) c;
            }
        }
        return new String(out, 0, n, StandardCharsets.UTF_8);
    }
}
