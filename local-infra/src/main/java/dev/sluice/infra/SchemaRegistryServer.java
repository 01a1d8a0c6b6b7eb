package dev.sluice.infra;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Sluice's schema registry, run from the {@code schema-registry} module's executable jar against the Kafka of the
 * same local-infra. Its state lives in a Kafka topic, so a kept Kafka directory keeps every schema.
 *
 * <p>The jar is found by {@link ServiceJar}.
 */
final class SchemaRegistryServer extends ManagedServer {

    private final String kafkaBootstrapServers;
    private final String user;
    private final String password;
    private int port;

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
    void configure(List<Path> classpath) throws IOException {
        port = FreePorts.orPick(options.port());
        Files.createDirectories(conf());
    }

    @Override
    List<String> jvmOptions(List<Path> classpath) {
        return List.of(heapOption(), "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1");
    }

    /** Spring Boot's launcher for the executable jar; it finds the jar from its own code source. */
    @Override
    String mainClass() {
        return "org.springframework.boot.loader.launch.JarLauncher";
    }

    @Override
    List<String> arguments() {
        List<String> arguments = new ArrayList<>(List.of(
                "--server.port=" + port,
                "--server.address=127.0.0.1",
                "--spring.kafka.bootstrap-servers=" + kafkaBootstrapServers,
                "--sluice.registry.security.users[0].name=" + user,
                "--sluice.registry.security.users[0].password=" + password,
                "--spring.main.banner-mode=off"));
        options.config().forEach((key, value) -> arguments.add("--" + key + "=" + value));
        return arguments;
    }

    @Override
    boolean isReady() {
        return httpStatus(endpoint() + "/subjects") == 200;
    }

    @Override
    String endpoint() {
        return "http://127.0.0.1:" + port;
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
