package io.jgnet.examples.http;

import io.jgnet.Engine;
import io.jgnet.LoopStats;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.function.ToDoubleFunction;

/**
 * {@code GET /metrics}: the engine's {@link Engine#stats()} in the Prometheus text exposition
 * format (version 0.0.4), one sample per loop labelled {@code loop="N"}. Written straight from
 * the stats, so the example needs no metrics library; {@code jgnet-micrometer} binds the same
 * stats to Micrometer for applications that have one.
 *
 * <p>The engine is known only once it boots ({@link #engine(Engine)}, from onBoot); until then
 * the page is empty. Safe from any loop: it reads a volatile field and the stats snapshot.
 */
final class MetricsPage {
    static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    /** One metric family: its name, Prometheus type, help text, and how to read it from a loop's stats. */
    private record Family(String name, String type, String help, ToDoubleFunction<LoopStats> value) {
    }

    private static final List<Family> FAMILIES = List.of(
            new Family("jgnet_connections", "gauge", "Connections open on the loop.", LoopStats::connections),
            new Family("jgnet_bytes_in_total", "counter", "Bytes read from sockets.", LoopStats::bytesIn),
            new Family("jgnet_bytes_out_total", "counter", "Bytes the kernel took for sending.", LoopStats::bytesOut),
            new Family("jgnet_messages_in_total", "counter", "onTraffic calls.", LoopStats::messagesIn),
            new Family("jgnet_messages_out_total", "counter", "Buffers handlers wrote.", LoopStats::messagesOut),
            new Family("jgnet_reads_total", "counter", "Deliveries of bytes from the kernel.", LoopStats::reads),
            new Family("jgnet_writes_total", "counter", "Sends the kernel took bytes from.", LoopStats::writes),
            new Family("jgnet_system_calls_total", "counter", "Calls into the kernel (-1: not counted by this transport).",
                    LoopStats::systemCalls),
            new Family("jgnet_pending_output_bytes", "gauge", "Bytes written and not yet sent.", LoopStats::pendingOutput),
            new Family("jgnet_pooled_bytes", "gauge", "Idle buffer memory kept for reuse.", LoopStats::pooledBytes),
            new Family("jgnet_tasks_queued", "gauge", "Tasks waiting in the loop's queue.", LoopStats::tasksQueued),
            new Family("jgnet_loop_busy_ratio", "gauge", "Share of the last second the loop worked.", LoopStats::busyFraction),
            new Family("jgnet_timers", "gauge", "Timers scheduled on the loop.", LoopStats::timers),
            new Family("jgnet_loop_iterations_total", "counter", "Turns of the loop's duty cycle.", LoopStats::iterations));

    private volatile Engine engine;

    /** The engine whose stats the page shows; called from onBoot. */
    void engine(Engine engine) {
        this.engine = engine;
    }

    /** The page now. */
    HttpResponse scrape(HttpRequest request) {
        Engine current = engine;
        String text = current == null ? "" : format(current.stats());
        return new HttpResponse(200, CONTENT_TYPE, text.getBytes(StandardCharsets.UTF_8));
    }

    /** The exposition text for {@code stats}: HELP and TYPE once per family, then a sample per loop. */
    static String format(List<LoopStats> stats) {
        StringBuilder out = new StringBuilder(4096);
        for (Family family : FAMILIES) {
            out.append("# HELP ").append(family.name).append(' ').append(family.help).append('\n');
            out.append("# TYPE ").append(family.name).append(' ').append(family.type).append('\n');
            for (LoopStats loop : stats) {
                double value = family.value.applyAsDouble(loop);
                out.append(family.name).append("{loop=\"").append(loop.loop()).append("\"} ");
                if (value == Math.rint(value) && Math.abs(value) < 1e15) {
                    out.append((long) value);
                } else {
                    out.append(String.format(Locale.ROOT, "%.6f", value));
                }
                out.append('\n');
            }
        }
        return out.toString();
    }
}
