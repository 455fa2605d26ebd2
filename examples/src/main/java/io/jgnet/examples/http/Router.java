package io.jgnet.examples.http;

import java.lang.System.Logger.Level;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Exact method + path routing. A route either answers a fixed response, encoded once when it is
 * added, or calls a {@link HttpHandler} with the request copied out of the buffer. A GET route
 * also answers HEAD (without the body); a known path with another method gets 405 and an Allow
 * header; an unknown path gets 404.
 *
 * <p>Paths are matched against the request's bytes, not a String, with a linear scan: an
 * example server has a handful of routes, and the scan allocates nothing.
 *
 * <p>Add every route before the engine starts; after that the router is only read, from any
 * loop, and must not be changed.
 */
final class Router {
    private static final System.Logger LOG = System.getLogger(Router.class.getName());
    static final EncodedResponse NOT_FOUND = EncodedResponse.error(404, "");
    private static final EncodedResponse SERVER_ERROR = EncodedResponse.error(500, "");

    /** One method of a path: a fixed answer or a handler. */
    private record Route(String methodName, byte[] method, EncodedResponse fixed, HttpHandler handler) {
    }

    /** One path and its methods; {@code notAllowed} is re-encoded whenever a method is added. */
    private static final class Resource {
        final byte[] path;
        final List<Route> routes = new ArrayList<>();
        EncodedResponse notAllowed;

        Resource(byte[] path) {
            this.path = path;
        }
    }

    private final List<Resource> resources = new ArrayList<>();

    /** Answers {@code method path} with {@code response}, encoded now. */
    Router fixed(String method, String path, HttpResponse response) {
        return add(method, path, EncodedResponse.of(response), null);
    }

    /** Answers {@code method path} with what {@code handler} returns. */
    Router route(String method, String path, HttpHandler handler) {
        return add(method, path, null, handler);
    }

    private Router add(String method, String path, EncodedResponse fixed, HttpHandler handler) {
        if (!path.startsWith("/") || path.contains("?") || !method.chars().allMatch(Character::isLetter)) {
            throw new IllegalArgumentException("a route needs a method of letters and a path starting with / and without ?: "
                    + method + " " + path);
        }
        Resource resource = resources.stream().filter(r -> new String(r.path, StandardCharsets.US_ASCII).equals(path))
                .findFirst().orElseGet(() -> {
                    Resource created = new Resource(ascii(path));
                    resources.add(created);
                    return created;
                });
        if (resource.routes.stream().anyMatch(r -> r.methodName.equals(method))) {
            throw new IllegalArgumentException("route " + method + " " + path + " is already taken");
        }
        resource.routes.add(new Route(method, ascii(method), fixed, handler));
        resource.notAllowed = EncodedResponse.error(405, "Allow: " + allowed(resource) + "\r\n");
        return this;
    }

    /** The methods of a resource for Allow, HEAD included where GET implies it. */
    private static String allowed(Resource resource) {
        List<String> methods = resource.routes.stream().map(Route::methodName).collect(Collectors.toList());
        if (methods.contains("GET") && !methods.contains("HEAD")) {
            methods.add(methods.indexOf("GET") + 1, "HEAD");
        }
        return String.join(", ", methods);
    }

    /**
     * The response to the request {@code parser} just completed over {@code in}. Loop thread;
     * allocates only for handler routes.
     */
    EncodedResponse dispatch(ByteBuffer in, RequestParser parser) {
        Resource resource = find(in, parser);
        if (resource == null) {
            return NOT_FOUND;
        }
        Route route = method(resource, in, parser);
        if (route == null) {
            return resource.notAllowed;
        }
        if (route.fixed != null) {
            return route.fixed;
        }
        try {
            return EncodedResponse.of(route.handler.handle(parser.toRequest(in)));
        } catch (RuntimeException e) {
            // A handler bug answers one request with 500; the connection and the server go on.
            LOG.log(Level.WARNING, "handler for " + route.methodName + " "
                    + new String(resource.path, StandardCharsets.US_ASCII) + " threw", e);
            return SERVER_ERROR;
        }
    }

    private Resource find(ByteBuffer in, RequestParser parser) {
        for (int i = 0; i < resources.size(); i++) {
            Resource resource = resources.get(i);
            if (parser.pathIs(in, resource.path)) {
                return resource;
            }
        }
        return null;
    }

    private static Route method(Resource resource, ByteBuffer in, RequestParser parser) {
        Route get = null;
        for (int i = 0; i < resource.routes.size(); i++) {
            Route route = resource.routes.get(i);
            if (parser.methodIs(in, route.method)) {
                return route;
            }
            if (route.methodName.equals("GET")) {
                get = route;
            }
        }
        return parser.isHead() ? get : null;
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}
