package dev.sluice.infra;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** The servers that local-infra can run. The id names the server's directory, log and settings. */
public enum Server {
    KAFKA("kafka"),
    CASSANDRA("cassandra"),
    S3("s3");

    private final String id;

    Server(String id) {
        this.id = id;
    }

    public String id() {
        return id;
    }

    public static Server fromId(String id) {
        return Arrays.stream(values())
                .filter(s -> s.id.equals(id.trim().toLowerCase(Locale.ROOT)))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown server '" + id + "'; known: "
                        + Arrays.stream(values()).map(Server::id).collect(Collectors.joining(", "))));
    }
}
