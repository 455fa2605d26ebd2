package io.jgnet.examples.redis;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * The keyspace: string keys to string values with optional expiry, shared by every event loop.
 *
 * <h2>Consistency</h2>
 * Any connection may touch any key, and connections live on different loops, so one map is
 * shared rather than sharded per loop. It is a {@link ConcurrentHashMap} of immutable
 * {@link Entry} values. Every single-key command is atomic: a read-modify-write (INCR, SET NX/XX,
 * EXPIRE) reads the entry, computes its successor and installs it with {@code putIfAbsent} or
 * {@code replace(key, old, new)}, retrying if another loop changed the key in between. Nothing
 * locks, and a reader never blocks. Multi-key commands (MSET, DEL of several keys, MGET) are
 * atomic per key only: a concurrent reader may see part of an MSET. Redis, single-threaded,
 * makes them atomic as a whole; we document the difference instead of adding a global lock.
 *
 * <h2>Expiry</h2>
 * An entry carries the clock time it expires at. An expired entry is invisible at once (every
 * read checks the clock) and is removed lazily when touched, or by {@link #sweep}, which the
 * server's ticker calls with a bounded budget. Removal is always conditional on the exact entry
 * seen, so a sweep never deletes a value set again after it expired.
 *
 * <p>Thread-safe, except {@link #sweep}, which one thread (the ticker's loop) calls at a time.
 */
final class Store {
    /** The expiry of an entry that never expires. */
    static final long NEVER = Long.MAX_VALUE;

    /**
     * A value and its expiry, in milliseconds of the store's clock. Immutable; compared by
     * identity of {@code value} in {@code replace}, which is what the compare-and-set needs.
     */
    record Entry(byte[] value, long expiresAt) {
    }

    /** When SET writes. */
    enum Condition { ALWAYS, IF_ABSENT, IF_PRESENT }

    private final ConcurrentHashMap<Key, Entry> map = new ConcurrentHashMap<>();
    private final LongSupplier clock;
    /** Where the sweep stopped; weakly consistent, so it survives concurrent changes. Ticker thread only. */
    private Iterator<Map.Entry<Key, Entry>> sweepCursor;

    /** A store whose expiry times are read from {@code clock}, in milliseconds. */
    Store(LongSupplier clock) {
        this.clock = clock;
    }

    long now() {
        return clock.getAsLong();
    }

    /** The value of {@code key}, or {@code null} if it is absent or expired. */
    byte[] get(Key key) {
        Entry entry = live(key);
        return entry == null ? null : entry.value();
    }

    /** Whether {@code key} holds a value that has not expired. */
    boolean exists(Key key) {
        return live(key) != null;
    }

    /**
     * Sets {@code key} to {@code value}, expiring at {@code expiresAt} ({@link #NEVER} for no
     * expiry), if {@code condition} holds. Returns whether it was set.
     */
    boolean set(Key key, byte[] value, long expiresAt, Condition condition) {
        Entry next = new Entry(value, expiresAt);
        if (condition == Condition.ALWAYS) {
            map.put(key.stored(), next);
            return true;
        }
        while (true) {
            Entry current = map.get(key);
            boolean exists = current != null && isLive(current);
            if (exists != (condition == Condition.IF_PRESENT)) {
                return false;
            }
            if (install(key, current, next)) {
                return true;
            }
        }
    }

    /** Removes {@code key}; returns whether it held a live value. */
    boolean delete(Key key) {
        Entry removed = map.remove(key);
        return removed != null && isLive(removed);
    }

    /**
     * Adds {@code delta} to the integer in {@code key} (0 if absent), keeping its expiry, and
     * returns the result.
     *
     * @throws RedisError if the value is not an integer or the result would overflow
     */
    long incrementBy(Key key, long delta) {
        while (true) {
            Entry current = map.get(key);
            boolean exists = current != null && isLive(current);
            long value = exists ? Ints.parse(current.value()) : 0;
            long result;
            try {
                result = Math.addExact(value, delta);
            } catch (ArithmeticException e) {
                throw RedisError.OVERFLOW;
            }
            byte[] text = Long.toString(result).getBytes(StandardCharsets.US_ASCII);
            if (install(key, current, new Entry(text, exists ? current.expiresAt() : NEVER))) {
                return result;
            }
        }
    }

    /**
     * Makes {@code key} expire at {@code expiresAt}; a time not after now deletes it at once.
     * Returns whether the key existed.
     */
    boolean expireAt(Key key, long expiresAt) {
        while (true) {
            Entry current = live(key);
            if (current == null) {
                return false;
            }
            boolean done = expiresAt <= now()
                    ? map.remove(key, current)
                    : map.replace(key, current, new Entry(current.value(), expiresAt));
            if (done) {
                return true;
            }
        }
    }

    /** Milliseconds until {@code key} expires: -1 if it never does, -2 if it does not exist. */
    long millisToLive(Key key) {
        Entry entry = live(key);
        if (entry == null) {
            return -2;
        }
        return entry.expiresAt() == NEVER ? -1 : entry.expiresAt() - now();
    }

    /** The live keys matching a {@link Glob} pattern, in no particular order. */
    List<byte[]> keys(byte[] pattern) {
        List<byte[]> keys = new ArrayList<>();
        long now = now();
        map.forEach((key, entry) -> {
            if (entry.expiresAt() > now && Glob.matches(pattern, key.bytes())) {
                keys.add(key.bytes());
            }
        });
        return keys;
    }

    /** The number of keys, counting expired ones not yet removed (as Redis's DBSIZE does). */
    long size() {
        return map.mappingCount();
    }

    void clear() {
        map.clear();
    }

    /**
     * Examines up to {@code budget} entries, continuing where the last sweep stopped, and
     * removes the expired ones; returns how many it removed. A full pass over the keyspace takes
     * size / budget calls, so memory held by keys nobody reads again is bounded in time while
     * each call stays bounded in work. One thread at a time.
     */
    int sweep(int budget) {
        long now = now();
        int removed = 0;
        for (int examined = 0; examined < budget; examined++) {
            if (sweepCursor == null) {
                sweepCursor = map.entrySet().iterator();
            }
            if (!sweepCursor.hasNext()) {
                sweepCursor = null; // the pass is over; the next call starts another
                break;
            }
            Map.Entry<Key, Entry> e = sweepCursor.next();
            if (e.getValue().expiresAt() <= now && map.remove(e.getKey(), e.getValue())) {
                removed++;
            }
        }
        return removed;
    }

    /** The entry of {@code key} if it is live; an expired one is removed on the way. */
    private Entry live(Key key) {
        Entry entry = map.get(key);
        if (entry != null && !isLive(entry)) {
            map.remove(key, entry);
            return null;
        }
        return entry;
    }

    private boolean isLive(Entry entry) {
        return entry.expiresAt() > now();
    }

    /** Replaces exactly {@code current} (or absence, when null) by {@code next}. */
    private boolean install(Key key, Entry current, Entry next) {
        return current == null ? map.putIfAbsent(key.stored(), next) == null : map.replace(key, current, next);
    }
}
