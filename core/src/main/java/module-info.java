/**
 * jgnet: an event-driven networking framework. The whole public API is the package
 * {@code io.jgnet}; the engine, buffers and transports are internal and not exported.
 */
module io.jgnet {
    exports io.jgnet;
    requires jdk.net;
    requires jdk.jfr;
}
