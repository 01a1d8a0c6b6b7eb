package dev.sluice.infra;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Sluice's gatekeeper service, from its executable jar, against this set's Kafka and schema registry. */
final class GatekeeperServer extends ManagedServer {

    private final String kafkaBootstrapServers;
    private final String registryUrl;
    private int port;

    GatekeeperServer(ServerOptions options, Path home, String kafkaBootstrapServers, String registryUrl) {
        super(Server.GATEKEEPER, options, home);
        this.kafkaBootstrapServers = kafkaBootstrapServers;
        this.registryUrl = registryUrl;
    }

    static Path jar() {
        return ServiceJar.find(Server.GATEKEEPER, "gatekeeper-service", "-exec");
    }

    @Override
    void configure(List<Path> classpath) throws IOException {
        port = FreePorts.orPick(options.port());
        Files.createDirectories(conf());
    }

    @Override
    List<String> jvmOptions(List<Path> classpath) {
        return List.of(heapOption(), "-XX:+UseSerialGC");
    }

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
                "--sluice.gatekeeper.registry.url=" + registryUrl,
                "--sluice.gatekeeper.transactional-id=gatekeeper-local",
                "--spring.main.banner-mode=off"));
        options.config().forEach((key, value) -> arguments.add("--" + key + "=" + value));
        return arguments;
    }

    /** Health answers 200 once the loop runs and its topics exist. */
    @Override
    boolean isReady() {
        return httpStatus(endpoint() + "/actuator/health") == 200;
    }

    @Override
    String endpoint() {
        return "http://127.0.0.1:" + port;
    }

    @Override
    Map<String, String> springProperties() {
        return Map.of("sluice.gatekeeper.url", endpoint());
    }

    @Override
    Map<String, String> environment() {
        return Map.of("GATEKEEPER_URL", endpoint());
    }
}
