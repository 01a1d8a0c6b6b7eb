package dev.sluice.infra;

import java.util.Locale;

/**
 * How local-infra runs Kafka, Cassandra and the S3 server: as child JVMs on this machine (the default, and what CI
 * uses: no Docker engine is needed), or as containers of their official images through Testcontainers, where a
 * Docker engine exists ({@code sluice.infra.servers=containers} or {@code SLUICE_INFRA_SERVERS=containers}). Sluice's
 * own services always run as child processes of the checkout's jars.
 */
enum ServerRuntime {
    PROCESSES,
    CONTAINERS;

    static final Setting SETTING = Setting.of("sluice.infra.servers");

    static ServerRuntime configured() {
        return parse(SETTING.or("processes"));
    }

    static ServerRuntime parse(String value) {
        return switch (value.trim().toLowerCase(Locale.ROOT)) {
            case "processes" -> PROCESSES;
            case "containers" -> CONTAINERS;
            default -> throw new IllegalArgumentException(SETTING.property() + " (or " + SETTING.environmentVariable()
                    + ") must be processes or containers, was '" + value + "'");
        };
    }

    /** Whether this runtime starts the server in a container (only the third-party servers have images). */
    boolean containerizes(Server server) {
        return this == CONTAINERS && ContainerSpec.IMAGES.containsKey(server);
    }
}
