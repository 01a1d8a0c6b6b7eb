package dev.sluice.infra;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** Sluice's dedup service, from its executable jar, against this set's Kafka, Cassandra and schema registry. */
final class DedupServer extends BootServiceServer {

    private final String kafkaBootstrapServers;
    private final String cassandraContactPoint;
    private final String registryUrl;

    DedupServer(ServerOptions options, Path home, String kafkaBootstrapServers, String cassandraContactPoint,
            String registryUrl) {
        super(Server.DEDUP, options, home);
        this.kafkaBootstrapServers = kafkaBootstrapServers;
        this.cassandraContactPoint = cassandraContactPoint;
        this.registryUrl = registryUrl;
    }

    static Path jar() {
        return ServiceJar.find(Server.DEDUP, "dedup-service", "-exec");
    }

    @Override
    List<String> settings() {
        return List.of("--spring.kafka.bootstrap-servers=" + kafkaBootstrapServers,
                "--spring.cassandra.contact-points=" + cassandraContactPoint,
                "--spring.cassandra.local-datacenter=" + CassandraServer.LOCAL_DATACENTER,
                "--sluice.dedup.registry.url=" + registryUrl);
    }

    /** The master key, from which the forget-list's key is derived: dedup drops the erased subjects' events. */
    @Override
    Map<String, String> secrets() {
        return Map.of("SLUICE_MASTER_KEY_FILE", home.getParent().resolve(LocalInfra.MASTER_KEY).toAbsolutePath().toString());
    }


    @Override
    Map<String, String> springProperties() {
        return Map.of("sluice.dedup.url", endpoint());
    }

    @Override
    Map<String, String> environment() {
        return Map.of("DEDUP_URL", endpoint());
    }
}
