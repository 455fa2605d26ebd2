package io.jgnet.conformance;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** A counter that tests can wait on ("at least n events so far"). Thread-safe. */
final class Tally {
    private int count;

    synchronized void increment() {
        count++;
        notifyAll();
    }

    synchronized int get() {
        return count;
    }

    /** Waits until at least {@code n} events happened; fails after {@link Peers#GUARD}. */
    synchronized void awaitAtLeast(int n) throws InterruptedException {
        long deadline = System.nanoTime() + Peers.GUARD.toNanos();
        while (count < n) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new AssertionError("waited for " + n + " events, saw " + count);
            }
            TimeUnit.NANOSECONDS.timedWait(this, left);
        }
    }

    /**
     * Waits until at least {@code n} events happened or {@code unless} completes, whichever is
     * first; returns whether the count was reached. Fails after {@link Peers#GUARD}.
     */
    boolean awaitAtLeast(int n, CompletableFuture<?> unless) throws InterruptedException {
        unless.whenComplete((result, failure) -> {
            synchronized (this) {
                notifyAll();
            }
        });
        synchronized (this) {
            long deadline = System.nanoTime() + Peers.GUARD.toNanos();
            while (count < n && !unless.isDone()) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new AssertionError("waited for " + n + " events, saw " + count);
                }
                TimeUnit.NANOSECONDS.timedWait(this, left);
            }
            return count >= n;
        }
    }

    @Override
    public synchronized String toString() {
        return "Tally[" + count + "]";
    }
}
