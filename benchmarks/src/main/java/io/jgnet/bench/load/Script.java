package io.jgnet.bench.load;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.List;

/**
 * A conversation whose responses are known bytes: a cyclic script of steps, {@code pipeline} per
 * batch, each response compared byte for byte with its step's reply while the stream is framed
 * by those replies' lengths. Echo and framed echo are one-step scripts; RESP is the PING/SET/GET
 * cycle. A wrong response counts as a mismatch (its length may throw the framing off, and then
 * every later one mismatches too: the run fails either way). Not thread-safe.
 */
final class Script implements Conversation {

    private final ByteBuffer[] batches;
    private final ByteBuffer expected;
    /** Where each step's reply ends in {@link #expected}. */
    private final int[] ends;
    private int next;
    private int step;
    private int at;
    private boolean wrong;
    private long mismatches;

    Script(List<Conversation.Step> steps, int pipeline) {
        int length = steps.size();
        // Batch b holds steps bP .. bP+P-1 (mod L); batch L/gcd(P, L) is batch 0 again.
        batches = new ByteBuffer[length / gcd(pipeline, length)];
        for (int b = 0; b < batches.length; b++) {
            ByteArrayOutputStream batch = new ByteArrayOutputStream();
            for (int j = 0; j < pipeline; j++) {
                batch.writeBytes(steps.get((int) (((long) b * pipeline + j) % length)).request());
            }
            batches[b] = ByteBuffer.allocateDirect(batch.size()).put(batch.toByteArray()).flip();
        }
        ends = new int[length];
        int total = 0;
        for (int i = 0; i < length; i++) {
            total += steps.get(i).reply().length;
            ends[i] = total;
        }
        expected = ByteBuffer.allocate(total);
        steps.forEach(s -> expected.put(s.reply()));
    }

    @Override
    public ByteBuffer nextBatch() {
        ByteBuffer batch = batches[next];
        next = next + 1 == batches.length ? 0 : next + 1;
        return batch.rewind();
    }

    @Override
    public int consume(ByteBuffer in) throws IOException {
        int completed = 0;
        int limit = in.limit();
        while (in.hasRemaining()) {
            int chunk = Math.min(in.remaining(), ends[step] - at);
            // Compare in place through bounded views: no slices, no allocation.
            int chunkEnd = in.position() + chunk;
            in.limit(chunkEnd);
            if (in.mismatch(expected.limit(at + chunk).position(at)) >= 0) {
                wrong = true;
            }
            in.limit(limit).position(chunkEnd);
            at += chunk;
            if (at == ends[step]) {
                completed++;
                if (wrong) {
                    mismatches++;
                    wrong = false;
                }
                step = step + 1 == ends.length ? 0 : step + 1;
                at = step == 0 ? 0 : at;
            }
        }
        return completed;
    }

    @Override
    public long mismatches() {
        return mismatches;
    }

    private static int gcd(int a, int b) {
        return b == 0 ? a : gcd(b, a % b);
    }
}
