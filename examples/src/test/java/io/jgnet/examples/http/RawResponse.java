package io.jgnet.examples.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * One response read off a raw socket, strictly: CRLF line ends, a Content-Length on every
 * response (this server always sends one), no more body bytes than it says.
 *
 * @param headers names in lower case
 */
record RawResponse(int status, String statusLine, Map<String, String> headers, byte[] body) {

    /** Reads one response; {@code head} says it answers a HEAD request (no body follows). */
    static RawResponse read(InputStream in, boolean head) throws IOException {
        String statusLine = line(in);
        assertThat(statusLine).as("status line").matches("HTTP/1\\.1 \\d{3} .*");
        Map<String, String> headers = new LinkedHashMap<>();
        for (String line; !(line = line(in)).isEmpty(); ) {
            int colon = line.indexOf(':');
            assertThat(colon).as("header line %s", line).isPositive();
            String previous = headers.put(line.substring(0, colon).toLowerCase(Locale.ROOT), line.substring(colon + 1).strip());
            assertThat(previous).as("header %s sent once", line).isNull();
        }
        int status = Integer.parseInt(statusLine.substring(9, 12));
        byte[] body = new byte[0];
        if (status >= 200 && !head) {
            assertThat(headers).as("headers of " + statusLine).containsKey("content-length");
            body = in.readNBytes(Integer.parseInt(headers.get("content-length")));
        }
        return new RawResponse(status, statusLine, headers, body);
    }

    String header(String name) {
        return headers.get(name.toLowerCase(Locale.ROOT));
    }

    String text() {
        return new String(body, StandardCharsets.UTF_8);
    }

    private static String line(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        for (int b; (b = in.read()) != '\n'; ) {
            if (b < 0) {
                throw new EOFException("connection closed in the middle of a response line: " + line);
            }
            line.write(b);
        }
        byte[] bytes = line.toByteArray();
        assertThat(bytes).as("line ends with CRLF").endsWith('\r');
        return new String(bytes, 0, bytes.length - 1, StandardCharsets.ISO_8859_1);
    }
}
