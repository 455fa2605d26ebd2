package io.jgnet.bench.harness;

import java.util.ArrayList;
import java.util.List;

/**
 * The echo load generator {@link EchoBench} starts: now {@link BenchLoad} with
 * {@code --protocol echo}, kept under this name so the orchestrator's command line still works.
 * Usage:
 *
 * <pre>
 * EchoLoad --port P [--host 127.0.0.1] [--connections 100] [--size 64] [--pipeline 1]
 *          [--warmup-seconds 5] [--seconds 10]
 * </pre>
 *
 * <p>It prints what {@link BenchLoad} prints, RESULT with the echo aliases {@code messages=} and
 * {@code msgs_per_sec=} that {@link EchoBench} reads. Runs on the calling thread.
 */
public final class EchoLoad {

    private EchoLoad() {
    }

    /** Entry point; see the class comment for the flags. */
    public static void main(String[] args) {
        List<String> withProtocol = new ArrayList<>(List.of("--protocol", "echo"));
        withProtocol.addAll(List.of(args));
        BenchLoad.main(withProtocol.toArray(String[]::new));
    }
}
