package io.jgnet.engine;

import io.jgnet.Offload;
import java.util.ArrayDeque;
import java.util.concurrent.Callable;
import java.util.concurrent.Executor;

/**
 * One connection's offloaded tasks and the output that must wait for them, in order.
 *
 * <p>Each {@link #submit offload} takes a slot at the tail of a queue and runs its task on the
 * offload executor; its completion comes back to the loop, marks the slot done with the reply,
 * and the queue is drained from the head: every done slot at the head is written, in order, and
 * the first one still running stops the drain. While any slot waits, what the handler writes
 * directly (and a close it asks for) is not sent at once but held in a slot of its own at the tail
 * ({@link #hold}), so that it goes out after the replies of the work offloaded before it. That
 * is what keeps pipelined request/reply protocols in order when some replies take a thread.
 *
 * <p>Backpressure: with {@link Offload#maxPending()} task slots outstanding the connection stops
 * reading; once fewer remain it reads again, and the handler hears {@code onTraffic} at once if
 * it left requests buffered. Held output counts towards the write buffer cap.
 *
 * <pre>
 *   offload(A)  offload(B)  write(x)  offload(C)         queue: [A run] [B run] [x] [C run]
 *   B done                                                queue: [A run] [B done] [x] [C run]
 *   A done  -&gt; drain writes A, B, x; stops at C          queue: [C run]
 * </pre>
 *
 * <p>Created on the first offload; loop thread only, except the task itself, which runs on the
 * executor and hands its result back through the loop's task queue.
 */
final class OrderedWork {
    private static final Executor VIRTUAL_THREADS = task -> Thread.ofVirtual().name("jgnet-offload").start(task);

    /** One place in the order: a task's reply, or output held behind earlier tasks. */
    private static final class Slot {
        final boolean task;
        final int bytes;
        Runnable write;
        /** Releases what the slot holds if its turn never comes (a file region's channel), or null. */
        Runnable drop;

        Slot(boolean task, int bytes, Runnable write) {
            this.task = task;
            this.bytes = bytes;
            this.write = write;
        }
    }

    private final SocketConnection conn;
    private final Loop loop;
    private final ArrayDeque<Slot> slots = new ArrayDeque<>();
    private int tasks;
    private long heldBytes;
    private boolean draining;
    /** Reading was stopped here (too many tasks) and is to be resumed here. */
    private boolean paused;
    /** A close waits in the queue: reading stays off. */
    private boolean closing;

    OrderedWork(SocketConnection conn, Loop loop) {
        this.conn = conn;
        this.loop = loop;
    }

    /** Whether output written now must wait behind a slot. */
    boolean holds() {
        return !draining && !slots.isEmpty();
    }

    /** Runs {@code task} off the loop; its reply takes the next place in the order. */
    void submit(Callable<byte[]> task) {
        Offload settings = loop.options().offload();
        Executor executor = settings.executor() != null ? settings.executor() : VIRTUAL_THREADS;
        Slot slot = new Slot(true, 0, null);
        executor.execute(() -> run(task, slot));
        slots.add(slot);
        tasks++;
        if (tasks >= settings.maxPending() && !paused && conn.pauseReadingForWork()) {
            paused = true;
        }
    }

    /** On the executor: runs the task and hands the outcome to the loop. */
    private void run(Callable<byte[]> task, Slot slot) {
        byte[] reply;
        try {
            reply = task.call();
        } catch (Throwable t) {
            loop.offer(() -> conn.workFailed(t));
            return;
        }
        // Offer, not execute: if the engine stopped meanwhile, the connection is gone and the
        // reply has nowhere to go.
        loop.offer(() -> done(slot, reply));
    }

    private void done(Slot slot, byte[] reply) {
        if (!conn.isOpen()) {
            return;
        }
        slot.write = reply == null || reply.length == 0 ? () -> { } : () -> conn.write(reply);
        drain();
    }

    /**
     * Holds output written while a slot waits: {@code write} runs when its turn comes.
     * False if holding {@code bytes} more passes {@code cap} (then nothing is held).
     */
    boolean hold(int bytes, int cap, Runnable write) {
        return hold(bytes, cap, write, null);
    }

    /** As {@link #hold(int, int, Runnable)}; {@code drop} releases what is held if the connection closes first. */
    boolean hold(int bytes, int cap, Runnable write, Runnable drop) {
        if (heldBytes + bytes > cap) {
            return false;
        }
        heldBytes += bytes;
        Slot slot = new Slot(false, bytes, write);
        slot.drop = drop;
        slots.add(slot);
        return true;
    }

    /** The connection closed: what waits will never be written; releases what slots hold. */
    void discard() {
        for (Slot slot : slots) {
            if (slot.drop != null) {
                slot.drop.run();
            }
        }
        slots.clear();
        heldBytes = 0;
    }

    /** Holds a close the handler asked for behind the work before it; reading stops meanwhile. */
    void holdClose(Runnable close) {
        closing = true;
        slots.add(new Slot(false, 0, close));
    }

    /** Writes every finished slot at the head, in order; resumes reading once few enough tasks remain. */
    private void drain() {
        draining = true;
        try {
            while (!slots.isEmpty() && slots.peekFirst().write != null && conn.isOpen()) {
                Slot slot = slots.pollFirst();
                if (slot.task) {
                    tasks--;
                } else {
                    heldBytes -= slot.bytes;
                }
                try {
                    slot.write.run();
                } catch (RuntimeException e) {
                    // Its turn came after the output was shut down: the order cannot be kept.
                    conn.workFailed(e);
                    return;
                }
            }
        } finally {
            draining = false;
        }
        if (paused && !closing && tasks < loop.options().offload().maxPending() && conn.isOpen()) {
            paused = false;
            conn.resumeReadingAfterWork();
        }
    }
}
