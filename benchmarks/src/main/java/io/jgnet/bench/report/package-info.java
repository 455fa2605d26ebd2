/**
 * The matrix's outputs, all read from one {@link io.jgnet.bench.matrix.MatrixResults} so they
 * agree: text tables ({@link io.jgnet.bench.report.Tables}), results.json/.csv, report.html and
 * chart.svg ({@link io.jgnet.bench.report.ResultFiles}).
 */
package io.jgnet.bench.report;
