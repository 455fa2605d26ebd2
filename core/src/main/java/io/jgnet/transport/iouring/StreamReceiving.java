package io.jgnet.transport.iouring;

import io.jgnet.linux.Errno;
import io.jgnet.linux.Sqe;
import java.lang.foreign.MemorySegment;

/**
 * How a loop's stream sockets receive into its provided-buffer ring: a multishot receive with a
 * byte budget where the kernel has one (6.17), else one receive at a time. Owned by the loop
 * thread, one per poller.
 *
 * <p>A multishot receive is armed once and completes once per arrival with no new submission,
 * so a busy connection costs no re-arm SQE and no failed receive per message. Unbounded, it would
 * fill buffer after buffer as fast as the peer sends, and a connection whose reading is
 * suspended would keep getting whatever the kernel posted before the cancel took effect (on a
 * socket whose receive window has grown to megabytes, megabytes). So each arming gets a budget
 * of {@link #budget()} bytes ({@code optlen}): the kernel ends it, without
 * {@code IORING_CQE_F_MORE}, once that much has arrived, and the socket re-arms it if it still
 * reads. What can arrive after a suspension is then at most one arming's budget plus one buffer
 * (the kernel checks the budget after each receive): {@link #heldAtMost()}, the same order as
 * one receive at a time, whatever the peer does.
 *
 * <p>A kernel without multishot receive (before 6.0) or without its budget (before 6.17)
 * refuses the SQE with EINVAL; the first such answer, before any multishot receive has delivered
 * a byte here, switches the loop to one receive at a time for good. After one has delivered
 * bytes an EINVAL is a real error of that socket.
 */
final class StreamReceiving {
    /** Buffers' worth of bytes one multishot arming may receive. */
    static final int BUDGET_BUFFERS = 1;

    private final short group;
    private final int bufferSize;
    private final int budget;
    private boolean multishot;
    /** A multishot receive has delivered bytes on this loop: the kernel has it. */
    private boolean confirmed;

    /** {@code multishot} false: one receive at a time from the start, as after a refusal. */
    StreamReceiving(short group, int bufferSize, boolean multishot) {
        this.multishot = multishot;
        this.group = group;
        this.bufferSize = bufferSize;
        this.budget = bufferSize * BUDGET_BUFFERS;
    }

    /**
     * Writes the receive for {@code fd} into the SQE at {@code at}; true if it is multishot (it
     * then stays armed until a completion without {@code F_MORE}).
     */
    boolean prepare(MemorySegment sqes, long at, int fd, long userData) {
        if (multishot) {
            Sqe.prepRecvMultishot(sqes, at, fd, group, budget, userData);
        } else {
            Sqe.prepRecvSelect(sqes, at, fd, group, userData);
        }
        return multishot;
    }

    /** A receive delivered bytes. */
    void delivered(boolean wasMultishot) {
        if (wasMultishot) {
            confirmed = true;
        }
    }

    /**
     * Whether failed receive {@code res} was the kernel refusing a multishot receive (then this
     * loop receives one at a time from now on, and the socket re-arms).
     */
    boolean refused(int res, boolean wasMultishot) {
        if (res != -Errno.EINVAL || !wasMultishot || confirmed) {
            return false;
        }
        multishot = false;
        return true;
    }

    boolean isMultishot() {
        return multishot;
    }

    /** The bytes one multishot arming may receive. */
    int budget() {
        return budget;
    }

    /** The most a socket can receive after its reading is suspended (see the class comment). */
    int heldAtMost() {
        return budget + bufferSize;
    }
}
