package io.jgnet.bench.load;

import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * HTTP plaintext, TechEmpower's shape: {@code pipeline} requests {@code GET /plaintext} per batch
 * on a kept-alive connection; each response must be 200 with the body {@code Hello, World!}.
 * Responses are framed by Content-Length (the only framing the servers use; chunked coding, or
 * none, ends the connection). Only the first bytes of each head line are kept: enough for the
 * status and Content-Length, so checking allocates nothing. Not thread-safe.
 */
final class HttpConversation implements Conversation {

    static final byte[] BODY = Conversation.ascii("Hello, World!");
    private static final int KEPT = 64;
    private static final int MAX_HEAD = 64 * 1024;
    private static final byte[] CONTENT_LENGTH = Conversation.ascii("content-length:");

    private final ByteBuffer batch;
    private final byte[] line = new byte[KEPT];
    private int lineLength;
    private boolean statusLine = true;
    private int headBytes;
    private long contentLength = -1;
    /** Body bytes still to come, or -1 while in the head. */
    private long body = -1;
    private boolean wrong;
    private long mismatches;

    HttpConversation(int pipeline, String host) {
        byte[] requests = Conversation.ascii(("GET /plaintext HTTP/1.1\r\nHost: " + host + "\r\n\r\n").repeat(pipeline));
        batch = ByteBuffer.allocateDirect(requests.length).put(requests).flip();
    }

    @Override
    public ByteBuffer nextBatch() {
        return batch.rewind();
    }

    @Override
    public int consume(ByteBuffer in) throws IOException {
        int completed = 0;
        while (in.hasRemaining()) {
            byte b = in.get();
            if (body >= 0) {
                int offset = (int) (contentLength - body);
                wrong |= offset >= BODY.length || b != BODY[offset];
                if (--body == 0) {
                    completed += finish();
                }
                continue;
            }
            if (++headBytes > MAX_HEAD) {
                throw new IOException("response head longer than " + MAX_HEAD + " bytes");
            }
            if (b != '\n') {
                if (lineLength < KEPT) {
                    line[lineLength] = b;
                }
                lineLength++;
                continue;
            }
            int length = Math.min(KEPT, lineLength > 0 && line[Math.min(lineLength, KEPT) - 1] == '\r' ? lineLength - 1 : lineLength);
            lineLength = 0;
            if (statusLine) {
                // "HTTP/1.x 200 ..."
                wrong |= length < 12 || line[0] != 'H' || line[9] != '2' || line[10] != '0' || line[11] != '0';
                statusLine = false;
            } else if (length > 0) {
                if (length > CONTENT_LENGTH.length && startsWithIgnoringCase(line, CONTENT_LENGTH)) {
                    contentLength = 0;
                    for (int i = CONTENT_LENGTH.length; i < length; i++) {
                        if (line[i] >= '0' && line[i] <= '9' && contentLength < MAX_HEAD) {
                            contentLength = 10 * contentLength + line[i] - '0';
                        } else if (line[i] != ' ') {
                            throw new IOException("Content-Length is not a small number");
                        }
                    }
                }
            } else if (contentLength < 0) {
                throw new IOException("response without Content-Length");
            } else if (contentLength == 0) {
                completed += finish();
            } else {
                body = contentLength;
            }
        }
        return completed;
    }

    private int finish() {
        if (wrong || contentLength != BODY.length) {
            mismatches++;
        }
        statusLine = true;
        wrong = false;
        headBytes = 0;
        contentLength = -1;
        body = -1;
        return 1;
    }

    @Override
    public long mismatches() {
        return mismatches;
    }

    private static boolean startsWithIgnoringCase(byte[] line, byte[] prefix) {
        for (int i = 0; i < prefix.length; i++) {
            byte b = line[i] >= 'A' && line[i] <= 'Z' ? (byte) (line[i] + 32) : line[i];
            if (b != prefix[i]) {
                return false;
            }
        }
        return true;
    }
}
