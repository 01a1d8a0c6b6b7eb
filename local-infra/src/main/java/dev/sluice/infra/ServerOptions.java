package dev.sluice.infra;

import java.util.HashMap;
import java.util.Map;

/**
 * How to run one server: JVM heap, fixed port (0 = a free port at every start) and extra configuration entries
 * that override the generated ones (server.properties for Kafka, cassandra.yaml keys, s3proxy properties).
 */
public record ServerOptions(String heap, int port, Map<String, String> config) {

    public ServerOptions {
        config = Map.copyOf(config);
    }

    static ServerOptions defaults(Server server) {
        String heap = switch (server) {
            case KAFKA -> "512m";
            case CASSANDRA -> "1g";
            case S3 -> "128m";
            case SCHEMA_REGISTRY, GATEKEEPER, DEDUP, DATAPUMP, CATALOG, GOVERNANCE, PRIVACY, CONSOLE -> "256m";
        };
        return new ServerOptions(Setting.of(server, "heap").or(heap), Setting.of(server, "port").intOr(0), Map.of());
    }

    ServerOptions withPort(int newPort) {
        return new ServerOptions(heap, newPort, config);
    }

    ServerOptions withHeap(String newHeap) {
        return new ServerOptions(newHeap, port, config);
    }

    ServerOptions withConfig(String key, String value) {
        var merged = new HashMap<>(config);
        merged.put(key, value);
        return new ServerOptions(heap, port, merged);
    }
}
