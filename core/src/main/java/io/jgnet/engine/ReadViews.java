package io.jgnet.engine;

import java.nio.ByteBuffer;
import java.util.IdentityHashMap;

/**
 * Reusable views of the buffers a transport reads into (the loop's read buffer, io_uring's
 * provided buffers) for {@link io.jgnet.Conn#peek} and {@link io.jgnet.Conn#next}, so that
 * reading what just arrived allocates nothing.
 *
 * <p>A view is a duplicate of the read buffer positioned on the bytes it shows, so its position
 * is where those bytes sit in the read buffer, not necessarily 0. After every callback all views
 * handed out are emptied: a view kept past its callback reads nothing instead of whatever the
 * next read put there. A callback that asks for more than {@link #COUNT} views gets slices.
 *
 * <p>Owned by one loop thread.
 */
final class ReadViews {
    /** Views one callback may hold at once before falling back to slices. */
    static final int COUNT = 4;

    /**
     * Buffer objects whose views are kept: a transport reads into a few long-lived buffers (the
     * loop's read buffer; io_uring's provided buffers), and views made once for each serve every
     * read. Past this many, views of a new buffer are made per callback instead of kept.
     */
    static final int MAX_SOURCES = 256;

    private final IdentityHashMap<ByteBuffer, ByteBuffer[]> bound = new IdentityHashMap<>();
    private ByteBuffer[] views;
    private ByteBuffer source;
    private int used;

    /** A view of {@code data[start, start + length)}. */
    ByteBuffer view(ByteBuffer data, int start, int length) {
        if (data != source) {
            if (used > 0) {
                return data.slice(start, length);
            }
            bind(data);
        }
        if (used == COUNT) {
            return data.slice(start, length);
        }
        ByteBuffer view = views[used++];
        view.limit(view.capacity()).position(start);
        view.limit(start + length);
        return view;
    }

    /** Empties every view handed out since the last call. */
    void recycle() {
        for (int i = 0; i < used; i++) {
            views[i].limit(0);
        }
        used = 0;
    }

    private void bind(ByteBuffer data) {
        source = data;
        views = bound.get(data);
        if (views == null) {
            views = new ByteBuffer[COUNT];
            for (int i = 0; i < COUNT; i++) {
                views[i] = data.duplicate().order(data.order()).limit(0);
            }
            if (bound.size() < MAX_SOURCES) {
                bound.put(data, views);
            }
        }
    }
}
