/**
 * The matrix's load generator, one process ({@link io.jgnet.bench.load.BenchLoad}): request/response
 * load over echo, framed, HTTP or RESP traffic with a batch of requests in flight per connection,
 * every response checked, latencies in an HdrHistogram; or thousands of idle connections held.
 */
package io.jgnet.bench.load;
