package io.jgnet.transport.iouring;

import io.jgnet.linux.CallState;
import io.jgnet.linux.Pipes;
import io.jgnet.transport.fd.SocketDescriptors;
import java.io.IOException;

/**
 * A loop's pipes for sending files with IORING_OP_SPLICE (file to pipe, pipe to socket). A
 * connection holds one only while it holds file bytes on their way to the socket, so a loop
 * needs as many as it has connections in the middle of a chunk, and keeps up to
 * {@link #MAX_IDLE} idle ones for the next. A pipe that still holds bytes when its connection
 * goes is closed, never pooled: its bytes belong to nobody.
 *
 * <p>Each pipe is asked for {@link #CAPACITY} (1 MiB, the unprivileged limit by default): one
 * chunk is one pipe's worth, so the bigger the pipe the fewer operations per file. The kernel
 * may give less (a user over its pipe pages gets the 64 KiB default); {@link Pipe#capacity}
 * is what it gave. Loop thread only.
 */
final class SplicePipes {
    static final int CAPACITY = 1 << 20;
    static final int MAX_IDLE = 16;
    /** What a pipe holds when it cannot be resized: 16 pages. */
    private static final int DEFAULT_CAPACITY = 16 * 4096;

    /** One pipe: the read end the socket splices from, the write end the file splices into. */
    record Pipe(int readEnd, int writeEnd, int capacity) {
    }

    private final CallState state;
    private final Pipe[] idle = new Pipe[MAX_IDLE];
    private int idleCount;

    SplicePipes(CallState state) {
        this.state = state;
    }

    /** An empty pipe, idle or new. */
    Pipe take() throws IOException {
        if (idleCount > 0) {
            Pipe pipe = idle[--idleCount];
            idle[idleCount] = null;
            return pipe;
        }
        long pair = Pipes.open(state);
        int readEnd = Pipes.readEnd(pair);
        int writeEnd = Pipes.writeEnd(pair);
        int capacity = Pipes.resize(writeEnd, CAPACITY, state);
        return new Pipe(readEnd, writeEnd, capacity > 0 ? capacity : DEFAULT_CAPACITY);
    }

    /** Takes {@code pipe} back: pooled if {@code empty} and there is room, else closed. */
    void give(Pipe pipe, boolean empty) {
        if (empty && idleCount < MAX_IDLE) {
            idle[idleCount++] = pipe;
        } else {
            close(pipe);
        }
    }

    /** Closes every idle pipe (the loop is closing). */
    void closeAll() {
        while (idleCount > 0) {
            close(idle[--idleCount]);
            idle[idleCount] = null;
        }
    }

    private void close(Pipe pipe) {
        SocketDescriptors.closeQuietly(pipe.readEnd(), state);
        SocketDescriptors.closeQuietly(pipe.writeEnd(), state);
    }
}
