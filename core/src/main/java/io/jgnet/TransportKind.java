package io.jgnet;

import java.util.Locale;

/**
 * Which kernel interface the event loops use. Immutable; safe from any thread.
 */
public enum TransportKind {
    /** The best available: io_uring, then epoll, then nio. One log line says what was chosen and why. */
    AUTO,
    /** java.nio Selector: portable, always available. */
    NIO,
    /** Linux epoll through the Foreign Function and Memory API. */
    EPOLL,
    /**
     * Linux io_uring through the Foreign Function and Memory API: one system call per loop
     * iteration submits and waits for all of it. Starting an engine with it fails, saying why,
     * where the kernel or a sandbox denies io_uring (containers often do).
     */
    IO_URING;

    /**
     * Parses {@code auto}, {@code nio}, {@code epoll} or {@code io_uring} (case-insensitive,
     * {@code -} accepted for {@code _}).
     *
     * @param name the transport's name, as a user types it
     * @return the transport kind
     * @throws IllegalArgumentException naming the accepted values
     */
    public static TransportKind parse(String name) {
        String key = name.trim().toUpperCase(Locale.ROOT).replace('-', '_');
        for (TransportKind kind : values()) {
            if (kind.name().equals(key)) {
                return kind;
            }
        }
        throw new IllegalArgumentException(
                "unknown transport '" + name + "': expected one of auto, nio, epoll, io_uring");
    }
}
