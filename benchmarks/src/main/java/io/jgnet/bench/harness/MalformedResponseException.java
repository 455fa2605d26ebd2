package io.jgnet.bench.harness;

import java.io.IOException;

/**
 * A response stream that can no longer be framed (no length, a garbage length, an unknown reply
 * type): the load generator cannot tell where the next response starts, so it counts an error
 * and drops the connection. A response that is framed but wrong is a mismatch, not this.
 */
final class MalformedResponseException extends IOException {

    MalformedResponseException(String message) {
        super(message);
    }
}
