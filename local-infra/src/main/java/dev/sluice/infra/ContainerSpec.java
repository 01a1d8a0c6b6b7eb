package dev.sluice.infra;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What a third-party server's container runs: the official image at the version the child processes run, its
 * settings as the image reads them (environment, command), and the container port published on the host port that
 * local-infra chose, so that every client sees the same endpoints as with a child process.
 *
 * @param setup commands run in the container once it is ready (the S3 buckets)
 */
record ContainerSpec(String image, Map<String, String> environment, List<String> command, int containerPort,
        int hostPort, List<List<String>> setup) {

    /** The official images, at the versions local-infra's child processes run. */
    static final Map<Server, String> IMAGES = Map.of(
            Server.KAFKA, "apache/kafka:4.1.2",
            Server.CASSANDRA, "cassandra:5.0.6",
            Server.S3, "minio/minio:RELEASE.2025-04-22T22-12-26Z");

    static final int CASSANDRA_NATIVE_PORT = 9042;
    static final int MINIO_PORT = 9000;
    static final int KAFKA_CONTROLLER_PORT = 9093;

    /** The container of a server whose managed settings (ports, keys) are configured. */
    static ContainerSpec of(ManagedServer managed) {
        int port = managed.clientPort();
        return switch (managed.server) {
            case KAFKA -> kafka(port);
            case CASSANDRA -> cassandra(port, managed.options.heap());
            case S3 -> s3(port, ((S3Server) managed).accessKey(), ((S3Server) managed).secretKey());
            default -> throw new IllegalArgumentException(managed.server.id() + " has no container image: it runs as a child process");
        };
    }

    /**
     * Kafka in KRaft mode with local-infra's broker settings; it listens inside on the host's port number, so that the
     * address it advertises ({@code 127.0.0.1:<port>}) is the one clients reach through the published port.
     */
    static ContainerSpec kafka(int port) {
        Map<String, String> environment = new LinkedHashMap<>();
        KafkaServer.BROKER_DEFAULTS.entrySet().stream().sorted(Map.Entry.comparingByKey())
                .forEach(e -> environment.put(kafkaVariable(e.getKey()), e.getValue()));
        environment.put("KAFKA_NODE_ID", "1");
        environment.put("KAFKA_PROCESS_ROLES", "broker,controller");
        environment.put("KAFKA_LISTENERS", "PLAINTEXT://:" + port + ",CONTROLLER://:" + KAFKA_CONTROLLER_PORT);
        environment.put("KAFKA_ADVERTISED_LISTENERS", "PLAINTEXT://127.0.0.1:" + port);
        environment.put("KAFKA_LISTENER_SECURITY_PROTOCOL_MAP", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        environment.put("KAFKA_CONTROLLER_LISTENER_NAMES", "CONTROLLER");
        environment.put("KAFKA_INTER_BROKER_LISTENER_NAME", "PLAINTEXT");
        environment.put("KAFKA_CONTROLLER_QUORUM_VOTERS", "1@localhost:" + KAFKA_CONTROLLER_PORT);
        return new ContainerSpec(IMAGES.get(Server.KAFKA), environment, List.of(), port, port, List.of());
    }

    /** The apache/kafka image's convention: {@code KAFKA_} and the property with dots as underscores. */
    static String kafkaVariable(String property) {
        return "KAFKA_" + property.toUpperCase(Locale.ROOT).replace('.', '_');
    }

    static ContainerSpec cassandra(int port, String heap) {
        Map<String, String> environment = new LinkedHashMap<>();
        environment.put("CASSANDRA_DC", CassandraServer.LOCAL_DATACENTER);
        environment.put("CASSANDRA_ENDPOINT_SNITCH", "GossipingPropertyFileSnitch");
        environment.put("MAX_HEAP_SIZE", heap.toUpperCase(Locale.ROOT));
        environment.put("HEAP_NEWSIZE", "128M");
        return new ContainerSpec(IMAGES.get(Server.CASSANDRA), environment, List.of(), CASSANDRA_NATIVE_PORT, port, List.of());
    }

    /** MinIO with local-infra's keys as its root user, and the buckets local-infra's S3 server has. */
    static ContainerSpec s3(int port, String accessKey, String secretKey) {
        Map<String, String> environment = new LinkedHashMap<>();
        environment.put("MINIO_ROOT_USER", accessKey);
        environment.put("MINIO_ROOT_PASSWORD", secretKey);
        List<List<String>> setup = List.of(
                List.of("mc", "alias", "set", "local", "http://127.0.0.1:" + MINIO_PORT, accessKey, secretKey),
                List.of("mc", "mb", "--ignore-existing", "local/" + S3Server.LAKE_BUCKET, "local/" + S3Server.EXPORTS_BUCKET,
                        "local/" + S3Server.LEGAL_HOLD_BUCKET));
        return new ContainerSpec(IMAGES.get(Server.S3), environment, List.of("server", "/data"), MINIO_PORT, port, setup);
    }
}
