package io.jgnet.micrometer;

import io.jgnet.Engine;
import io.jgnet.LoopStats;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.BaseUnits;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.List;
import java.util.Objects;
import java.util.function.ToDoubleFunction;

/**
 * Binds an engine's {@link Engine#stats()} to Micrometer: one meter per statistic and loop, tagged
 * {@code loop} (the loop's index) and {@code transport}, plus any tags given here.
 *
 * <pre>{@code
 * Engine engine = Jgnet.start(handler, "tcp://0.0.0.0:9000");
 * new JgnetMetrics(engine).bindTo(registry);
 * }</pre>
 *
 * <p>Counters ({@code jgnet.bytes.in}, {@code jgnet.bytes.out}, {@code jgnet.messages.in},
 * {@code jgnet.messages.out}, {@code jgnet.reads}, {@code jgnet.writes}, {@code jgnet.system.calls}
 * where the transport counts them, {@code jgnet.loop.iterations}) are function counters over the
 * loops' own counts; gauges ({@code jgnet.connections}, {@code jgnet.pending.output},
 * {@code jgnet.pooled}, {@code jgnet.tasks.queued}, {@code jgnet.loop.busy}, {@code jgnet.timers}) read the value at each
 * scrape. Nothing is counted twice and no loop is slowed: each read is one {@link Engine#stats()}.
 *
 * <h2>Threading and ownership</h2>
 * {@link #bindTo} may be called from any thread, once per registry; the meters are read on
 * whatever thread the registry publishes from. The gauges hold the engine strongly; after the
 * engine stops every meter shows the last counts.
 */
public final class JgnetMetrics implements MeterBinder {
    private final Engine engine;
    private final Tags tags;

    /**
     * Binds {@code engine}'s stats with no extra tags.
     *
     * @param engine the engine to observe; not null
     */
    public JgnetMetrics(Engine engine) {
        this(engine, Tags.empty());
    }

    /**
     * Binds {@code engine}'s stats, adding {@code tags} to every meter (to tell engines apart).
     *
     * @param engine the engine to observe; not null
     * @param tags   tags added to every meter; not null
     */
    public JgnetMetrics(Engine engine, Iterable<Tag> tags) {
        this.engine = Objects.requireNonNull(engine, "engine");
        this.tags = Tags.of(Objects.requireNonNull(tags, "tags"));
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        boolean countsSystemCalls = engine.stats().stream().allMatch(s -> s.systemCalls() >= 0);
        for (int i = 0; i < engine.eventLoops().size(); i++) {
            int loop = i;
            Tags loopTags = tags.and("loop", Integer.toString(loop), "transport", engine.transport());
            counter(registry, "jgnet.bytes.in", "bytes read from sockets", BaseUnits.BYTES, loopTags, loop, LoopStats::bytesIn);
            counter(registry, "jgnet.bytes.out", "bytes the kernel took for sending", BaseUnits.BYTES, loopTags, loop,
                    LoopStats::bytesOut);
            counter(registry, "jgnet.messages.in", "onTraffic calls", "messages", loopTags, loop, LoopStats::messagesIn);
            counter(registry, "jgnet.messages.out", "buffers handlers wrote", "messages", loopTags, loop,
                    LoopStats::messagesOut);
            counter(registry, "jgnet.reads", "deliveries of bytes from the kernel", BaseUnits.OPERATIONS, loopTags, loop,
                    LoopStats::reads);
            counter(registry, "jgnet.writes", "sends the kernel took bytes from", BaseUnits.OPERATIONS, loopTags, loop,
                    LoopStats::writes);
            if (countsSystemCalls) {
                counter(registry, "jgnet.system.calls", "calls into the kernel", BaseUnits.OPERATIONS, loopTags, loop,
                        LoopStats::systemCalls);
            }
            counter(registry, "jgnet.loop.iterations", "turns of the loop's duty cycle", BaseUnits.OPERATIONS, loopTags,
                    loop, LoopStats::iterations);
            gauge(registry, "jgnet.connections", "connections open", "connections", loopTags, loop, LoopStats::connections);
            gauge(registry, "jgnet.pending.output", "bytes written and not yet sent", BaseUnits.BYTES, loopTags, loop,
                    LoopStats::pendingOutput);
            gauge(registry, "jgnet.pooled", "idle buffer memory kept for reuse", BaseUnits.BYTES, loopTags, loop,
                    LoopStats::pooledBytes);
            gauge(registry, "jgnet.tasks.queued", "tasks waiting in the loop's queue", BaseUnits.TASKS, loopTags, loop,
                    LoopStats::tasksQueued);
            gauge(registry, "jgnet.loop.busy", "share of the last second the loop worked", null, loopTags, loop,
                    LoopStats::busyFraction);
            gauge(registry, "jgnet.timers", "timers scheduled on the loop", "timers", loopTags, loop, LoopStats::timers);
        }
    }

    private ToDoubleFunction<Engine> of(int loop, ToDoubleFunction<LoopStats> value) {
        return engine -> {
            List<LoopStats> stats = engine.stats();
            return loop < stats.size() ? value.applyAsDouble(stats.get(loop)) : Double.NaN;
        };
    }

    private void counter(MeterRegistry registry, String name, String description, String unit, Tags loopTags, int loop,
            ToDoubleFunction<LoopStats> value) {
        FunctionCounter.builder(name, engine, of(loop, value)).description(description).baseUnit(unit).tags(loopTags)
                .register(registry);
    }

    private void gauge(MeterRegistry registry, String name, String description, String unit, Tags loopTags, int loop,
            ToDoubleFunction<LoopStats> value) {
        Gauge.builder(name, engine, of(loop, value)).description(description).baseUnit(unit).tags(loopTags)
                .strongReference(true).register(registry);
    }
}
