package dev.sluice.infra;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Sluice's privacy-requests service, from its executable jar: it indexes this set's valid topics, reads tier zero at
 * {@code s3a://sluice-lake/tier0} and writes the access exports to {@code sluice-exports}, both in this set's S3
 * server, running lake-jobs' access job from {@code target/job/} (as the datapump does). Batches are formed after
 * 5 s, so that the demo and the tests see them soon.
 */
final class PrivacyRequestsServer extends BootServiceServer {

    private final String kafkaBootstrapServers;
    private final String cassandraContactPoint;
    private final String registryUrl;
    private final S3Server s3;

    PrivacyRequestsServer(ServerOptions options, Path home, String kafkaBootstrapServers, String cassandraContactPoint,
            String registryUrl, S3Server s3) {
        super(Server.PRIVACY, options, home);
        this.kafkaBootstrapServers = kafkaBootstrapServers;
        this.cassandraContactPoint = cassandraContactPoint;
        this.registryUrl = registryUrl;
        this.s3 = s3;
    }

    static Path jar() {
        return ServiceJar.find(Server.PRIVACY, "privacy-requests-service", "-exec");
    }

    @Override
    List<String> settings() {
        List<String> settings = new ArrayList<>(List.of("--spring.kafka.bootstrap-servers=" + kafkaBootstrapServers,
                "--spring.cassandra.contact-points=" + cassandraContactPoint,
                "--spring.cassandra.local-datacenter=" + CassandraServer.LOCAL_DATACENTER,
                "--sluice.privacy.registry.url=" + registryUrl,
                "--sluice.privacy.requests.batch-every=5s",
                "--sluice.privacy.exports.bucket=" + S3Server.EXPORTS_BUCKET,
                "--sluice.privacy.s3.endpoint=" + s3.endpoint(),
                "--sluice.privacy.s3.region=" + S3Server.REGION,
                "--sluice.privacy.s3.path-style-access=true",
                "--sluice.privacy.job.registry-url=" + registryUrl,
                "--sluice.privacy.job.lake=" + DatapumpServer.LAKE,
                "--sluice.privacy.job.tier-one=" + DatapumpServer.TIER_ONE,
                "--sluice.privacy.job.legal-hold=s3a://" + S3Server.LEGAL_HOLD_BUCKET,
                "--sluice.privacy.job.exports=s3a://" + S3Server.EXPORTS_BUCKET,
                "--sluice.privacy.job.dir=" + DatapumpServer.jobDirectory(),
                "--sluice.privacy.job.logs=" + data().resolve("runs").toAbsolutePath(),
                "--sluice.privacy.job.heap=768m",
                "--sluice.privacy.job.cores=2"));
        s3.hadoop().forEach((key, value) -> settings.add("--sluice.privacy.job.hadoop." + key + "=" + value));
        return settings;
    }

    /**
     * The S3 keys: the service's own client, and the job's (handed to its environment); the master key, from which
     * the forget-list's key and the reservoirs' keys (the erasure's verification) are derived.
     */
    @Override
    Map<String, String> secrets() {
        return Map.of("S3_ACCESS_KEY", s3.accessKey(), "S3_SECRET_KEY", s3.secretKey(),
                "SLUICE_MASTER_KEY_FILE", home.getParent().resolve(LocalInfra.MASTER_KEY).toAbsolutePath().toString());
    }

    @Override
    void configure(List<Path> classpath) throws IOException {
        super.configure(classpath);
        Files.createDirectories(data());
    }

    @Override
    Map<String, String> springProperties() {
        return Map.of("sluice.privacy.url", endpoint());
    }

    @Override
    Map<String, String> environment() {
        return Map.of("PRIVACY_URL", endpoint(), "SLUICE_EXPORTS_BUCKET", S3Server.EXPORTS_BUCKET,
                "SLUICE_LEGAL_HOLD_BUCKET", S3Server.LEGAL_HOLD_BUCKET);
    }
}
