package dev.sluice.infra;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** Sluice's gatekeeper service, from its executable jar, against this set's Kafka and schema registry. */
final class GatekeeperServer extends BootServiceServer {

    private final String kafkaBootstrapServers;
    private final String registryUrl;

    GatekeeperServer(ServerOptions options, Path home, String kafkaBootstrapServers, String registryUrl) {
        super(Server.GATEKEEPER, options, home);
        this.kafkaBootstrapServers = kafkaBootstrapServers;
        this.registryUrl = registryUrl;
    }

    static Path jar() {
        return ServiceJar.find(Server.GATEKEEPER, "gatekeeper-service", "-exec");
    }

    @Override
    List<String> settings() {
        return List.of("--spring.kafka.bootstrap-servers=" + kafkaBootstrapServers,
                "--sluice.gatekeeper.registry.url=" + registryUrl,
                "--sluice.gatekeeper.transactional-id=gatekeeper-local");
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
