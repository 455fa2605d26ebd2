package io.jgnet.engine;

import java.util.Arrays;

/**
 * The connections a loop owns. Adding and removing allocate nothing once the array has grown:
 * each connection remembers its slot, and a removal moves the last one into it.
 *
 * <p>Owned by the loop thread.
 */
final class ConnectionList {
    private SocketConnection[] items = new SocketConnection[64];
    private int size;

    void add(SocketConnection conn) {
        if (size == items.length) {
            items = Arrays.copyOf(items, size * 2);
        }
        conn.slot(size);
        items[size++] = conn;
    }

    /** Removes {@code conn}; false if it was not listed. */
    boolean remove(SocketConnection conn) {
        int slot = conn.slot();
        if (slot < 0 || slot >= size || items[slot] != conn) {
            return false;
        }
        SocketConnection last = items[--size];
        items[slot] = last;
        last.slot(slot);
        items[size] = null;
        conn.slot(-1);
        return true;
    }

    int size() {
        return size;
    }

    boolean isEmpty() {
        return size == 0;
    }

    /** A copy, for walks that close connections (and so change the list) as they go. */
    SocketConnection[] snapshot() {
        return Arrays.copyOf(items, size);
    }
}
