package dev.sluice.core.jobs;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code --name value} pairs of a lake job's command line, as the launching service writes them and the job
 * reads them. Each job's arguments are a record with {@code toArgs()} and {@code parse(String[])} built on this, so
 * that the two sides cannot drift apart. Secrets never travel here (a command line is visible in {@code ps}).
 */
public final class JobOptions {

    private final Map<String, String> values = new LinkedHashMap<>();

    private JobOptions() {
    }

    public static JobOptions create() {
        return new JobOptions();
    }

    /** Reads {@code --name value} pairs; anything else is refused with what was given. */
    public static JobOptions parse(String[] args) {
        JobOptions options = new JobOptions();
        for (int i = 0; i < args.length; i++) {
            if (!args[i].startsWith("--") || args[i].length() == 2 || i + 1 >= args.length) {
                throw new IllegalArgumentException("expected --name value pairs, got: " + String.join(" ", args));
            }
            if (options.values.put(args[i].substring(2), args[++i]) != null) {
                throw new IllegalArgumentException(args[i - 1] + " is given twice");
            }
        }
        return options;
    }

    /** Adds a pair; a null value leaves the option out. */
    public JobOptions with(String name, Object value) {
        if (value != null) {
            values.put(name, value.toString());
        }
        return this;
    }

    public String required(String name) {
        String value = values.get(name);
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("--" + name + " is required");
        }
        return value;
    }

    /** The value, or null when absent. */
    public String optional(String name) {
        return values.get(name);
    }

    public String optional(String name, String fallback) {
        return values.getOrDefault(name, fallback);
    }

    public List<String> toArgs() {
        List<String> args = new ArrayList<>();
        values.forEach((name, value) -> {
            args.add("--" + name);
            args.add(value);
        });
        return args;
    }
}
