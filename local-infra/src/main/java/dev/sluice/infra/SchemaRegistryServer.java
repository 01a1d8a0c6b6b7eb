package dev.sluice.infra;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Sluice's schema registry, run from the {@code schema-registry} module's executable jar against the Kafka of the
 * same local-infra. Its state lives in a Kafka topic, so a kept Kafka directory keeps every schema.
 */
final class SchemaRegistryServer extends BootServiceServer {

    private final String kafkaBootstrapServers;
    private final String user;
    private final String password;

    SchemaRegistryServer(ServerOptions options, Path home, String kafkaBootstrapServers) {
        super(Server.SCHEMA_REGISTRY, options, home);
        this.kafkaBootstrapServers = kafkaBootstrapServers;
        this.user = Setting.of(Server.SCHEMA_REGISTRY, "user").or("sluice");
        this.password = Setting.of(Server.SCHEMA_REGISTRY, "password").or("sluice-local");
    }

    static Path jar() {
        return ServiceJar.find(Server.SCHEMA_REGISTRY, "schema-registry", "");
    }

    @Override
    List<String> settings() {
        return List.of("--spring.kafka.bootstrap-servers=" + kafkaBootstrapServers);
    }

    /** The writer user (local mode: a plain password is accepted). */
    @Override
    Map<String, String> secrets() {
        return Map.of("SCHEMA_REGISTRY_USER", user, "SCHEMA_REGISTRY_PASSWORD", password);
    }

    /** 200 once the registry has read its topic to the end. */
    @Override
    String readinessPath() {
        return "/subjects";
    }

    String userInfo() {
        return user + ":" + password;
    }

    @Override
    Map<String, String> springProperties() {
        return Map.of("sluice.schema-registry.url", endpoint(), "sluice.schema-registry.user-info", userInfo());
    }

    @Override
    Map<String, String> environment() {
        return Map.of("SCHEMA_REGISTRY_URL", endpoint(), "SCHEMA_REGISTRY_USER_INFO", userInfo());
    }
}
