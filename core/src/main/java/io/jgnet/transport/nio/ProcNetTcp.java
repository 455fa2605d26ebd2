package io.jgnet.transport.nio;

import java.io.BufferedReader;
import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetSocketAddress;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;

/**
 * The send queue of a TCP socket whose descriptor the JDK keeps to itself, for a closing
 * connection on the nio transport. Linux lists every TCP socket of the network namespace in
 * {@code /proc/net/tcp} and {@code /proc/net/tcp6}, one line each, with its send queue
 * ({@code tx_queue}: the bytes written that the peer has not acknowledged, the count
 * {@code ioctl(SIOCOUTQ)} gives the other transports). A connected socket is the only one with
 * its pair of addresses, so the line is found by them. Addresses are printed as the kernel holds
 * them: each 32-bit word in the machine's byte order, in hex; the port in plain hex. An IPv4
 * connection on a dual-stack socket appears in {@code tcp6} as {@code ::ffff:a.b.c.d}.
 *
 * <p>Reads the whole table per look, so it costs in proportion to the sockets of the namespace;
 * used only while a closing connection lingers. Elsewhere than Linux (no such file) the answer
 * is "cannot tell". Static and thread-safe.
 */
final class ProcNetTcp {
    private static final Path TCP = Path.of("/proc/net/tcp");
    private static final Path TCP6 = Path.of("/proc/net/tcp6");
    private static final HexFormat HEX = HexFormat.of().withUpperCase();

    private ProcNetTcp() {
    }

    /** The bytes of output the peer has not acknowledged, or -1 if the kernel's table does not say. */
    static long sendQueue(InetSocketAddress local, InetSocketAddress remote) {
        byte[] localIp = local.getAddress().getAddress();
        byte[] remoteIp = remote.getAddress().getAddress();
        long found = -1;
        if (local.getAddress() instanceof Inet4Address && remote.getAddress() instanceof Inet4Address) {
            found = find(TCP, entry(localIp, local.getPort()), entry(remoteIp, remote.getPort()));
            localIp = mapped(localIp);
            remoteIp = mapped(remoteIp);
        }
        return found >= 0 ? found : find(TCP6, entry(localIp, local.getPort()), entry(remoteIp, remote.getPort()));
    }

    private static long find(Path table, String local, String remote) {
        if (!Files.isReadable(table)) {
            return -1;
        }
        try (BufferedReader lines = Files.newBufferedReader(table)) {
            String line;
            while ((line = lines.readLine()) != null) {
                // "  sl  local_address rem_address   st tx_queue:rx_queue ..."
                String[] fields = line.trim().split("\\s+", 6);
                if (fields.length >= 5 && fields[1].equals(local) && fields[2].equals(remote)) {
                    int colon = fields[4].indexOf(':');
                    return colon < 0 ? -1 : Long.parseLong(fields[4].substring(0, colon), 16);
                }
            }
        } catch (IOException | RuntimeException e) {
            return -1; // the table moved under us, or is not what we expect: cannot tell
        }
        return -1;
    }

    /** "ADDR:PORT" as the kernel prints it: each 32-bit word of the address in native byte order. */
    static String entry(byte[] ip, int port) {
        byte[] printed = ip.clone();
        if (ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN) {
            for (int word = 0; word < printed.length; word += 4) {
                for (int i = 0; i < 2; i++) {
                    byte b = printed[word + i];
                    printed[word + i] = printed[word + 3 - i];
                    printed[word + 3 - i] = b;
                }
            }
        }
        return HEX.formatHex(printed) + ":" + String.format("%04X", port);
    }

    /** {@code ::ffff:a.b.c.d}. */
    private static byte[] mapped(byte[] ipv4) {
        byte[] ipv6 = new byte[16];
        ipv6[10] = (byte) 0xff;
        ipv6[11] = (byte) 0xff;
        System.arraycopy(ipv4, 0, ipv6, 12, 4);
        return ipv6;
    }
}
