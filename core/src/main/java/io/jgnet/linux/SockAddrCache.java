package io.jgnet.linux;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;

import java.lang.foreign.MemorySegment;
import java.net.SocketAddress;

/**
 * Decodes the senders of received datagrams, giving back the same {@link SocketAddress} object
 * for the same raw sockaddr bytes: a server answering the same peers over and over then makes
 * no address object (nor its byte array and {@code InetAddress}) per datagram. A direct-mapped
 * table of {@value #ENTRIES} entries keyed by the bytes' hash; a miss decodes
 * ({@link SockAddr#decode}) and takes the entry, so the memory it holds is bounded whatever
 * the peers. Owned by one loop thread.
 */
public final class SockAddrCache {
    private static final int ENTRIES = 256;

    private final byte[][] keys = new byte[ENTRIES][];
    private final SocketAddress[] addresses = new SocketAddress[ENTRIES];

    /**
     * The address of the {@code length} sockaddr bytes at {@code offset} of {@code src}.
     *
     * @throws IllegalArgumentException as {@link SockAddr#decode} does, for a bad length or family
     */
    public SocketAddress decode(MemorySegment src, long offset, int length) {
        int hash = 1;
        for (int i = 0; i < length; i++) {
            hash = 31 * hash + src.get(JAVA_BYTE, offset + i);
        }
        int slot = (hash ^ hash >>> 16) & (ENTRIES - 1);
        byte[] key = keys[slot];
        if (key != null && same(key, src, offset, length)) {
            return addresses[slot];
        }
        SocketAddress address = SockAddr.decode(src.asSlice(offset, length), length);
        if (key == null || key.length != length) {
            key = new byte[length];
            keys[slot] = key;
        }
        MemorySegment.copy(src, JAVA_BYTE, offset, key, 0, length);
        addresses[slot] = address;
        return address;
    }

    private static boolean same(byte[] key, MemorySegment src, long offset, int length) {
        if (key.length != length) {
            return false;
        }
        for (int i = 0; i < length; i++) {
            if (key[i] != src.get(JAVA_BYTE, offset + i)) {
                return false;
            }
        }
        return true;
    }
}
