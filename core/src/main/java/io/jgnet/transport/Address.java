package io.jgnet.transport;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
import java.net.UnknownHostException;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Locale;

/**
 * A parsed jgnet address string: {@code tcp://host:port}, {@code tcp4://}, {@code tcp6://},
 * {@code udp://}, {@code udp4://}, {@code udp6://}, {@code unix:///path} (a stream) or
 * {@code unixgram:///path} (unix datagrams, as Go names them), the scheme in any case;
 * {@code tls://}, {@code tls4://} and {@code tls6://} are TCP with TLS on top.
 *
 * <p>Immutable; safe to share between threads.
 *
 * @param text     the string as given, for messages
 * @param protocol stream (tcp, unix) or datagram (udp, unixgram)
 * @param family   which address family the socket must use
 * @param socketAddress the resolved address
 */
public record Address(String text, Protocol protocol, Family family, SocketAddress socketAddress) {

    /** Whether bytes arrive as a stream or as datagrams. */
    public enum Protocol { STREAM, DATAGRAM }

    /** The socket's address family. */
    public enum Family { INET, INET6, UNIX }

    /**
     * Parses and resolves an address string.
     *
     * @throws IllegalArgumentException saying what is wrong with it
     */
    public static Address parse(String text) {
        if (text == null) {
            throw new IllegalArgumentException("address must not be null");
        }
        int sep = text.indexOf("://");
        if (sep <= 0) {
            throw bad(text, "expected scheme://..., e.g. tcp://127.0.0.1:9000 or unix:///tmp/app.sock");
        }
        // Schemes are case-insensitive, as in URIs (RFC 3986 section 3.1): TCP:// is tcp://.
        String given = text.substring(0, sep);
        String scheme = given.toLowerCase(Locale.ROOT);
        String rest = text.substring(sep + 3);
        return switch (scheme) {
            case "unix" -> unix(text, Protocol.STREAM, rest);
            case "unixgram" -> unix(text, Protocol.DATAGRAM, rest);
            case "tcp", "tcp4", "tcp6", "tls", "tls4", "tls6" ->
                    inet(text, Protocol.STREAM, scheme.length() == 4 ? scheme.charAt(3) : 0, rest);
            case "udp", "udp4", "udp6" -> inet(text, Protocol.DATAGRAM, scheme.length() == 4 ? scheme.charAt(3) : 0, rest);
            default -> throw bad(text, "unknown scheme '" + given + "' (tcp, tcp4, tcp6, tls, tls4, tls6, udp, udp4, udp6, unix,"
                    + " unixgram)");
        };
    }

    /** Whether this is a TCP address (stream over IP). */
    public boolean isTcp() {
        return protocol == Protocol.STREAM && family != Family.UNIX;
    }

    /** Whether this is a {@code tls://} address: TCP with TLS between the socket and the handler. */
    public boolean isTls() {
        return text.regionMatches(true, 0, "tls", 0, 3);
    }

    /**
     * The host as written in the address (no brackets), for TLS server name indication and
     * host-name verification; empty for a unix address.
     */
    public String host() {
        if (family == Family.UNIX) {
            return "";
        }
        String hostPort = text.substring(text.indexOf("://") + 3);
        String host = hostPort.substring(0, hostPort.lastIndexOf(':'));
        return host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
    }

    /**
     * Removes a unix socket file left by a process that died, which would keep bind from
     * working; but only if it is a socket: never a regular file a user pointed us at by mistake.
     */
    public void removeStaleUnixSocket() throws IOException {
        Path path = ((UnixDomainSocketAddress) socketAddress).getPath();
        if (Files.exists(path, LinkOption.NOFOLLOW_LINKS)) {
            BasicFileAttributes attributes = Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            if (!attributes.isOther()) {
                throw new IOException(path + " exists and is not a socket");
            }
            Files.delete(path);
        }
    }

    /** After a unix listener closes: removes its socket file, if it is still there. */
    public void deleteUnixSocketFile() {
        if (socketAddress instanceof UnixDomainSocketAddress unix) {
            try {
                Files.deleteIfExists(unix.getPath());
            } catch (IOException e) {
                // A leftover socket file is removed by the next bind.
            }
        }
    }

    private static Address unix(String text, Protocol protocol, String path) {
        if (path.isEmpty()) {
            throw bad(text, "unix address needs a path, e.g. unix:///tmp/app.sock");
        }
        try {
            return new Address(text, protocol, Family.UNIX, UnixDomainSocketAddress.of(Path.of(path)));
        } catch (RuntimeException e) {
            throw bad(text, e.getMessage());
        }
    }

    private static Address inet(String text, Protocol protocol, char version, String hostPort) {
        int colon = hostPort.lastIndexOf(':');
        // In "[::1]" the last colon is inside the brackets: the port is still missing.
        if (colon < 0 || colon < hostPort.lastIndexOf(']')) {
            throw bad(text, "missing :port");
        }
        String host = hostPort.substring(0, colon);
        String portText = hostPort.substring(colon + 1);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        } else if (host.indexOf(':') >= 0) {
            throw bad(text, "an IPv6 host must be in brackets, e.g. tcp6://[::1]:9000");
        }
        int port;
        try {
            port = Integer.parseInt(portText);
        } catch (NumberFormatException e) {
            throw bad(text, "port '" + portText + "' is not a number");
        }
        if (port < 0 || port > 65535) {
            throw bad(text, "port " + port + " is outside 0-65535");
        }
        InetAddress ip;
        try {
            ip = resolve(host, version);
        } catch (UnknownHostException e) {
            throw bad(text, "cannot resolve host '" + host + "'");
        }
        Family family = ip instanceof Inet6Address ? Family.INET6 : Family.INET;
        if (version == '4' && family != Family.INET) {
            throw bad(text, "'" + host + "' is not an IPv4 address");
        }
        if (version == '6' && family != Family.INET6) {
            throw bad(text, "'" + host + "' is not an IPv6 address");
        }
        return new Address(text, protocol, family, new InetSocketAddress(ip, port));
    }

    private static InetAddress resolve(String host, char version) throws UnknownHostException {
        if (host.isEmpty()) {
            // An empty host means every interface, as in gnet and Go's net package.
            return InetAddress.getByName(version == '6' ? "::" : "0.0.0.0");
        }
        if (version == 0) {
            return InetAddress.getByName(host);
        }
        for (InetAddress candidate : InetAddress.getAllByName(host)) {
            if ((version == '4') == (candidate instanceof Inet4Address)) {
                return candidate;
            }
        }
        return InetAddress.getByName(host);
    }

    private static IllegalArgumentException bad(String text, String why) {
        return new IllegalArgumentException("bad address '" + text + "': " + why);
    }

    @Override
    public String toString() {
        return text;
    }
}
