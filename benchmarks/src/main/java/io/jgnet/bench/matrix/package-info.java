/**
 * The benchmark matrix, {@code ./jgnet bench} ({@link io.jgnet.bench.matrix.Matrix}): every
 * {@link io.jgnet.bench.matrix.Workload} against every {@link io.jgnet.bench.matrix.ServerKind},
 * measured in rounds ({@code Measurer}) and reduced to medians, ratios and their spread
 * ({@link io.jgnet.bench.matrix.MatrixResults}). The method is described in docs/BENCHMARKS.md.
 */
package io.jgnet.bench.matrix;
