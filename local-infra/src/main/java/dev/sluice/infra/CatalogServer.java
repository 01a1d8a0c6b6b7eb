package dev.sluice.infra;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The catalog's local mode, from catalog-service's executable jar: registers the partitions announced on
 * lake.partitions (tier zero and the reservoirs in this set's S3 server) in a file catalog under its data directory.
 */
final class CatalogServer extends BootServiceServer {

    private final String kafkaBootstrapServers;
    private final S3Server s3;

    CatalogServer(ServerOptions options, Path home, String kafkaBootstrapServers, S3Server s3) {
        super(Server.CATALOG, options, home);
        this.kafkaBootstrapServers = kafkaBootstrapServers;
        this.s3 = s3;
    }

    static Path jar() {
        return ServiceJar.find(Server.CATALOG, "catalog-service", "-exec");
    }

    @Override
    void configure(List<Path> classpath) throws IOException {
        super.configure(classpath);
        Files.createDirectories(data());
    }

    @Override
    List<String> settings() {
        return List.of("--spring.kafka.bootstrap-servers=" + kafkaBootstrapServers,
                "--sluice.catalog.lake=" + DatapumpServer.LAKE, "--sluice.catalog.tier-one=" + DatapumpServer.TIER_ONE,
                "--sluice.catalog.s3.endpoint=" + s3.endpoint(),
                "--sluice.catalog.s3.region=" + S3Server.REGION,
                "--sluice.catalog.dir=" + data().resolve("catalog").toAbsolutePath());
    }

    @Override
    Map<String, String> secrets() {
        return Map.of("S3_ACCESS_KEY", s3.accessKey(), "S3_SECRET_KEY", s3.secretKey());
    }

    @Override
    Map<String, String> springProperties() {
        return Map.of("sluice.catalog.url", endpoint());
    }

    @Override
    Map<String, String> environment() {
        return Map.of("CATALOG_URL", endpoint());
    }
}
