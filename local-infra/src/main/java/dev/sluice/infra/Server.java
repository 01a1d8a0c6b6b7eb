package dev.sluice.infra;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/** The servers that local-infra can run. The id names the server's directory, log and settings. */
public enum Server {
    KAFKA("kafka"),
    CASSANDRA("cassandra"),
    S3("s3"),
    /** Sluice's own schema registry (the {@code schema-registry} module's jar); it stores its state in Kafka. */
    SCHEMA_REGISTRY("schema-registry", KAFKA),
    /** Sluice's gatekeeper service (the {@code gatekeeper-service} module's jar): events.raw to events.valid.*. */
    GATEKEEPER("gatekeeper", KAFKA, SCHEMA_REGISTRY),
    /** Sluice's dedup service ({@code dedup-service}): events.valid.* to the Cassandra landing table. */
    DEDUP("dedup", KAFKA, CASSANDRA, SCHEMA_REGISTRY),
    /**
     * Sluice's datapump ({@code datapump-service}): lake.dirty-hours to tier zero in the S3 server's {@code sluice-lake}
     * bucket, running lake-jobs' dump job in child JVMs.
     */
    DATAPUMP("datapump", KAFKA, CASSANDRA, SCHEMA_REGISTRY, S3),
    /** The catalog's local mode ({@code catalog-service}): lake.partitions to a file catalog, served over HTTP. */
    CATALOG("catalog", KAFKA, S3),
    /** Sluice's governance service ({@code governance-service}): reservoirs, rules, grants, audit, governance.changes. */
    GOVERNANCE("governance", KAFKA, CASSANDRA, SCHEMA_REGISTRY),
    /**
     * Sluice's privacy-requests service ({@code privacy-requests-service}): the reverse index and relations from
     * events.valid.*, and the access requests, run as lake-jobs' access job on tier zero, exported to the S3 server's
     * {@code sluice-exports} bucket.
     */
    PRIVACY("privacy", KAFKA, CASSANDRA, SCHEMA_REGISTRY, S3),
    /** Sluice's web console ({@code console}): pages over the governance and privacy-requests services. */
    CONSOLE("console", KAFKA, CASSANDRA, SCHEMA_REGISTRY, S3, GOVERNANCE, PRIVACY);

    private final String id;
    private final Set<Server> requires;

    Server(String id, Server... requires) {
        this.id = id;
        this.requires = requires.length == 0 ? Set.of() : Set.copyOf(Arrays.asList(requires));
    }

    public String id() {
        return id;
    }

    /** The servers that must be running before this one starts. */
    public Set<Server> requires() {
        return requires;
    }

    /** The servers plus everything they require. */
    public static Set<Server> withRequirements(Set<Server> servers) {
        Set<Server> all = servers.isEmpty() ? EnumSet.noneOf(Server.class) : EnumSet.copyOf(servers);
        servers.forEach(server -> all.addAll(server.requires));
        return all;
    }

    public static Server fromId(String id) {
        return Arrays.stream(values())
                .filter(s -> s.id.equals(id.trim().toLowerCase(Locale.ROOT)))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown server '" + id + "'; known: "
                        + Arrays.stream(values()).map(Server::id).collect(Collectors.joining(", "))));
    }
}
