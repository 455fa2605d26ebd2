package io.jgnet.cli;

import io.jgnet.TransportKind;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The flags of one launcher subcommand, each declared with its default. A flag is written
 * {@code --name value} or {@code --name=value}, a switch (a flag whose default is
 * {@code false}) also bare as {@code --name}; there are no positional arguments, and every
 * value is checked by the typed getter that reads it, so each error names the flag at fault.
 *
 * <p>Immutable once parsed; used from the main thread only.
 */
final class Flags {

    /** A command line that cannot be followed; the message names the bad flag or value. */
    static final class UsageException extends Exception {
        UsageException(String message) {
            super(message);
        }
    }

    private final Map<String, String> values;

    private Flags(Map<String, String> values) {
        this.values = values;
    }

    /**
     * Reads {@code args} against {@code defaults} (flag name without dashes to default value).
     *
     * @throws UsageException for an undeclared flag, a flag given twice, a missing value or a
     *                        positional argument
     */
    static Flags parse(String command, Map<String, String> defaults, List<String> args) throws UsageException {
        Map<String, String> values = new LinkedHashMap<>(defaults);
        Set<String> given = new HashSet<>();
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            if (!arg.startsWith("--") || arg.length() == 2) {
                throw new UsageException("unexpected argument '" + arg + "' for " + command);
            }
            int equals = arg.indexOf('=');
            String name = equals < 0 ? arg.substring(2) : arg.substring(2, equals);
            if (!defaults.containsKey(name)) {
                throw new UsageException("unknown flag --" + name + " for " + command);
            }
            if (!given.add(name)) {
                throw new UsageException("flag --" + name + " is given twice");
            }
            String value;
            if (equals >= 0) {
                value = arg.substring(equals + 1);
            } else if (defaults.get(name).equals("false")) {
                value = "true"; // a switch, such as --tls
            } else if (i + 1 < args.size() && !args.get(i + 1).startsWith("--")) {
                value = args.get(++i);
            } else if (defaults.get(name).equals("false")) {
                value = "true";
            } else {
                throw new UsageException("flag --" + name + " needs a value");
            }
            values.put(name, value);
        }
        return new Flags(values);
    }

    /** Whether {@code name} is declared for this command. */
    boolean declares(String name) {
        return values.containsKey(name);
    }

    /** The value of a declared flag, as given or defaulted. */
    String string(String name) {
        String value = values.get(name);
        if (value == null) {
            throw new IllegalArgumentException("flag --" + name + " was not declared");
        }
        return value;
    }

    /**
     * The value of {@code name} as a comma-separated list of addresses ({@code scheme://...}),
     * each stripped; the addresses themselves are checked when the server binds them.
     */
    List<String> list(String name) throws UsageException {
        List<String> items = Arrays.stream(string(name).split(",", -1)).map(String::strip).toList();
        for (String item : items) {
            if (!item.contains("://")) {
                throw new UsageException("bad value for --" + name + ": '" + item
                        + "' (expected scheme://..., e.g. tcp://127.0.0.1:9000,udp://127.0.0.1:9000)");
            }
        }
        return items;
    }

    /** The value of {@code name} as a whole number in {@code [min, max]}. */
    int integer(String name, int min, int max) throws UsageException {
        String text = string(name);
        try {
            int value = Integer.parseInt(text.strip());
            if (value >= min && value <= max) {
                return value;
            }
        } catch (NumberFormatException e) {
            // reported below, with the range
        }
        throw new UsageException("bad value for --" + name + ": '" + text
                + "' (expected a whole number from " + min + " to " + max + ")");
    }

    /** The value of the switch {@code name}: true or false. */
    boolean bool(String name) throws UsageException {
        String text = string(name).strip();
        if (text.equals("true") || text.equals("false")) {
            return Boolean.parseBoolean(text);
        }
        throw new UsageException("bad value for --" + name + ": '" + text + "' (expected true or false)");
    }

    /** The value of {@code name} as a transport: auto, nio, epoll or io_uring. */
    TransportKind transport(String name) throws UsageException {
        try {
            return TransportKind.parse(string(name));
        } catch (IllegalArgumentException e) {
            throw new UsageException("bad value for --" + name + ": " + e.getMessage());
        }
    }

    /**
     * The value of {@code name} as a host for a jgnet address: checked to resolve, and an IPv6
     * literal put in brackets ({@code ::1} becomes {@code [::1]}).
     */
    String host(String name) throws UsageException {
        String text = string(name).strip();
        String bare = text.startsWith("[") && text.endsWith("]") ? text.substring(1, text.length() - 1) : text;
        if (bare.isEmpty()) {
            throw new UsageException("bad value for --" + name + ": it is empty");
        }
        try {
            InetAddress.getByName(bare);
        } catch (UnknownHostException e) {
            throw new UsageException("bad value for --" + name + ": cannot resolve '" + bare + "'");
        }
        return bare.indexOf(':') >= 0 ? "[" + bare + "]" : bare;
    }
}
