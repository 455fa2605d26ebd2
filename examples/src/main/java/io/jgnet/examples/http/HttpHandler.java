package io.jgnet.examples.http;

/**
 * Computes the response to one routed request.
 *
 * <p>Called on the connection's event loop thread, so it must not block; it may keep the
 * request (its strings and body are copies, not views of the connection's buffer). A handler
 * that throws gets a 500 response, and the connection stays open.
 */
@FunctionalInterface
interface HttpHandler {
    HttpResponse handle(HttpRequest request);
}
