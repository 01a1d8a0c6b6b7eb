package dev.sluice.infra;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** Sluice's governance service, from its executable jar, against this set's Kafka, Cassandra and schema registry. */
final class GovernanceServer extends BootServiceServer {

    private final String kafkaBootstrapServers;
    private final String cassandraContactPoint;
    private final String registryUrl;

    GovernanceServer(ServerOptions options, Path home, String kafkaBootstrapServers, String cassandraContactPoint,
            String registryUrl) {
        super(Server.GOVERNANCE, options, home);
        this.kafkaBootstrapServers = kafkaBootstrapServers;
        this.cassandraContactPoint = cassandraContactPoint;
        this.registryUrl = registryUrl;
    }

    static Path jar() {
        return ServiceJar.find(Server.GOVERNANCE, "governance-service", "-exec");
    }

    @Override
    List<String> settings() {
        return List.of("--spring.kafka.bootstrap-servers=" + kafkaBootstrapServers,
                "--spring.cassandra.contact-points=" + cassandraContactPoint,
                "--spring.cassandra.local-datacenter=" + CassandraServer.LOCAL_DATACENTER,
                "--sluice.governance.registry.url=" + registryUrl);
    }

    @Override
    Map<String, String> springProperties() {
        return Map.of("sluice.governance.url", endpoint());
    }

    @Override
    Map<String, String> environment() {
        return Map.of("GOVERNANCE_URL", endpoint());
    }
}
