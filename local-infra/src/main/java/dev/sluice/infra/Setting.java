package dev.sluice.infra;

import java.util.Locale;
import java.util.Optional;

/**
 * A local-infra setting, read from a system property ({@code sluice.infra.kafka.heap}) or, failing that, from the
 * environment variable derived from it ({@code SLUICE_INFRA_KAFKA_HEAP}).
 */
record Setting(String property) {

    String environmentVariable() {
        return property.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
    }

    Optional<String> value() {
        String value = System.getProperty(property);
        if (value == null || value.isBlank()) {
            value = System.getenv(environmentVariable());
        }
        return value == null || value.isBlank() ? Optional.empty() : Optional.of(value.trim());
    }

    String or(String defaultValue) {
        return value().orElse(defaultValue);
    }

    int intOr(int defaultValue) {
        String value = or(Integer.toString(defaultValue));
        try {
            return Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(property + " (or " + environmentVariable() + ") must be a number, was '"
                    + value + "'", e);
        }
    }

    static Setting of(String property) {
        return new Setting(property);
    }

    static Setting of(Server server, String name) {
        return new Setting("sluice.infra." + server.id() + "." + name);
    }
}
