package io.jgnet.transport.fd;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
import java.net.UnknownHostException;

/**
 * An accepted connection's IPv4 peer address packed into a long, for the Linux transports: so
 * that a connection nobody asks the address of keeps 8 bytes instead of an
 * {@link InetSocketAddress} (88 bytes with its holders and {@link InetAddress}), and one that is
 * asked makes the object once. Only for an address the kernel reported (no host name to keep);
 * IPv6 and unix peers are kept as objects. Stateless; any thread.
 */
public final class PeerAddress {
    /** Not packed: the socket keeps its address as an object. */
    public static final long NONE = 0;
    /** A unix peer's address as accept reports it (unnamed): one shared value rather than one per connection. */
    public static final UnixDomainSocketAddress UNNAMED_UNIX = UnixDomainSocketAddress.of("");
    /** Set in every packed form, so that 0.0.0.0:0 is not {@link #NONE}. */
    private static final long PACKED = 1L << 48;

    private PeerAddress() {
    }

    /** {@code address} packed, or {@link #NONE} if it is not an IPv4 socket address. */
    public static long pack(SocketAddress address) {
        if (address instanceof InetSocketAddress inet && inet.getAddress() instanceof Inet4Address v4) {
            byte[] b = v4.getAddress();
            long ip = (b[0] & 0xffL) << 24 | (b[1] & 0xffL) << 16 | (b[2] & 0xffL) << 8 | (b[3] & 0xffL);
            return PACKED | ip << 16 | inet.getPort();
        }
        return NONE;
    }

    /** The address {@link #pack} packed. */
    public static InetSocketAddress unpack(long packed) {
        byte[] ip = {(byte) (packed >>> 40), (byte) (packed >>> 32), (byte) (packed >>> 24), (byte) (packed >>> 16)};
        try {
            return new InetSocketAddress(InetAddress.getByAddress(ip), (int) (packed & 0xffff));
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e); // only for a wrong array length
        }
    }
}
