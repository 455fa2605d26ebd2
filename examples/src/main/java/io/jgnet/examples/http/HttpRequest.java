package io.jgnet.examples.http;

import java.util.Locale;
import java.util.Map;

/**
 * One request as a routed handler sees it: copies of the connection's bytes, so it may be kept
 * and handed to other threads. Built only for routes with a {@link HttpHandler}; fixed routes
 * are answered without one.
 *
 * @param method  the method, as sent ({@code GET}, {@code POST}, ...)
 * @param path    the request target up to {@code ?}, not percent-decoded
 * @param query   what follows {@code ?}, not decoded; empty when there is none
 * @param headers header names in lower case to values; a repeated header's values are joined
 *                with {@code ", "}, as RFC 9110 section 5.3 allows for list-valued fields
 * @param body    the body after chunked decoding; empty when there is none
 */
record HttpRequest(String method, String path, String query, Map<String, String> headers, byte[] body) {

    /** The value of header {@code name} (any case), or {@code null}. */
    String header(String name) {
        return headers.get(name.toLowerCase(Locale.ROOT));
    }
}
