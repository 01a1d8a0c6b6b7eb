package dev.sluice.infra;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Sluice's datapump, from its executable jar: tier zero at {@code s3a://sluice-lake/tier0} and the reservoirs under
 * {@code s3a://sluice-lake/tier1} in this set's S3 server, the lake jobs run from lake-jobs' {@code target/job/} (or {@code SLUICE_INFRA_DATAPUMP_JOB_DIR}). Hours are dumped
 * after 5 s of quiet, so that the demo shows them soon.
 */
final class DatapumpServer extends BootServiceServer {

    static final String LAKE = "s3a://" + S3Server.LAKE_BUCKET + "/tier0";
    static final String TIER_ONE = "s3a://" + S3Server.LAKE_BUCKET + "/tier1";

    private final String kafkaBootstrapServers;
    private final String cassandraContactPoint;
    private final String registryUrl;
    private final S3Server s3;

    DatapumpServer(ServerOptions options, Path home, String kafkaBootstrapServers, String cassandraContactPoint,
            String registryUrl, S3Server s3) {
        super(Server.DATAPUMP, options, home);
        this.kafkaBootstrapServers = kafkaBootstrapServers;
        this.cassandraContactPoint = cassandraContactPoint;
        this.registryUrl = registryUrl;
        this.s3 = s3;
    }

    static Path jar() {
        return ServiceJar.find(Server.DATAPUMP, "datapump-service", "-exec");
    }

    /** lake-jobs' target/job/, the configured one or the checkout's. */
    static Path jobDirectory() {
        Setting setting = Setting.of(Server.DATAPUMP, "job-dir");
        Optional<Path> configured = setting.value().map(Path::of);
        if (configured.isPresent()) {
            return configured.get().toAbsolutePath();
        }
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path job = dir.resolve("lake-jobs").resolve("target").resolve("job");
            if (Files.isRegularFile(job.resolve("classpath"))) {
                return job;
            }
        }
        throw new IllegalStateException("lake-jobs is not built (no lake-jobs/target/job/classpath): run ./mvnw -pl "
                + "lake-jobs -am package -DskipTests (./sluice run does), or set " + setting.environmentVariable());
    }

    @Override
    List<String> settings() {
        List<String> settings = new ArrayList<>(List.of("--spring.kafka.bootstrap-servers=" + kafkaBootstrapServers,
                "--spring.cassandra.contact-points=" + cassandraContactPoint,
                "--spring.cassandra.local-datacenter=" + CassandraServer.LOCAL_DATACENTER,
                "--sluice.datapump.quiet=5s",
                "--sluice.datapump.job.registry-url=" + registryUrl,
                "--sluice.datapump.job.lake=" + LAKE,
                "--sluice.datapump.job.tier-one=" + TIER_ONE,
                "--sluice.datapump.job.dir=" + jobDirectory(),
                "--sluice.datapump.job.logs=" + data().resolve("runs").toAbsolutePath(),
                "--sluice.datapump.job.heap=768m",
                "--sluice.datapump.job.cores=2"));
        s3.hadoop().forEach((key, value) -> settings.add("--sluice.datapump.job.hadoop." + key + "=" + value));
        return settings;
    }

    /**
     * The job's S3 keys, which the datapump hands to the job's environment, and the master key of the reservoir
     * hashes, which the reservoir job inherits from the datapump's.
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
        return Map.of("sluice.datapump.url", endpoint());
    }

    @Override
    Map<String, String> environment() {
        return Map.of("DATAPUMP_URL", endpoint(), "SLUICE_LAKE_TIER0", LAKE, "SLUICE_LAKE_TIER1", TIER_ONE);
    }
}
