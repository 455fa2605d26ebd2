package io.jgnet.bench.harness;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Parses the harness's {@code --name value} / {@code --name=value} flags against a map of known
 * names and their defaults (an empty default means required). Stateless; safe from any thread.
 */
final class Flags {
    private Flags() {
    }

    /**
     * The flag values, defaults filled in.
     *
     * @throws IllegalArgumentException naming an unknown flag, a flag without a value, or a
     *                                  missing required one
     */
    static Map<String, String> parse(String[] args, Map<String, String> defaults) {
        Map<String, String> values = new LinkedHashMap<>(defaults);
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (!arg.startsWith("--")) {
                throw new IllegalArgumentException("expected a flag, got '" + arg + "'");
            }
            String name = arg.substring(2);
            String value;
            int eq = name.indexOf('=');
            if (eq >= 0) {
                value = name.substring(eq + 1);
                name = name.substring(0, eq);
            } else if (i + 1 < args.length) {
                value = args[++i];
            } else {
                throw new IllegalArgumentException("flag --" + name + " needs a value");
            }
            if (!defaults.containsKey(name)) {
                throw new IllegalArgumentException("unknown flag --" + name + "; known: " + defaults.keySet());
            }
            values.put(name, value);
        }
        values.forEach((name, value) -> {
            if (value.isEmpty()) {
                throw new IllegalArgumentException("flag --" + name + " is required");
            }
        });
        return values;
    }

    static int positive(Map<String, String> flags, String name) {
        int value = integer(flags, name);
        if (value <= 0) {
            throw new IllegalArgumentException("--" + name + " must be positive, got " + value);
        }
        return value;
    }

    static int nonNegative(Map<String, String> flags, String name) {
        int value = integer(flags, name);
        if (value < 0) {
            throw new IllegalArgumentException("--" + name + " must not be negative, got " + value);
        }
        return value;
    }

    private static int integer(Map<String, String> flags, String name) {
        try {
            return Integer.parseInt(flags.get(name));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--" + name + " must be a whole number, got '" + flags.get(name) + "'");
        }
    }
}
