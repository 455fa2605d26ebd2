/**
 * Process control for the benchmark matrix: children whose output is read line by line with
 * deadlines ({@link io.jgnet.bench.process.Child}), CPU time from {@code /proc}
 * ({@link io.jgnet.bench.process.ProcStat}) and the machine's facts ({@link io.jgnet.bench.process.Machine}).
 */
package io.jgnet.bench.process;
