package dev.sluice.lake;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.infra.LocalInfra;
import dev.sluice.infra.Server;
import dev.sluice.infra.junit.LocalInfraTest;
import java.net.URI;
import java.time.Instant;
import java.util.List;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;

/** Tier-zero partitions on s3a:// against the S3 server of local-infra (s3proxy): versions, pointer, re-dump. */
@LocalInfraTest(Server.S3)
class S3TierZeroIT {

    static final Instant HOUR = VersionedPartitionsTest.HOUR;

    @org.junit.jupiter.api.BeforeAll
    static void start() {
        VersionedPartitionsTest.start(); // its local Spark session and landing rows serve here too
    }

    @org.junit.jupiter.api.AfterAll
    static void stop() {
        VersionedPartitionsTest.stop();
    }

    @Test
    void versionsAndThePointerWorkOnS3(LocalInfra infra) throws Exception {
        try (S3Client s3 = S3Client.builder().endpointOverride(URI.create(infra.s3Endpoint())).forcePathStyle(true)
                .region(Region.of(infra.s3Region())).credentialsProvider(StaticCredentialsProvider.create(
                        AwsBasicCredentials.create(infra.s3AccessKey(), infra.s3SecretKey()))).build()) {
            s3.createBucket(b -> b.bucket("lake"));
            SparkSession spark = VersionedPartitionsTest.spark;
            var hadoop = spark.sparkContext().hadoopConfiguration();
            hadoop.set("fs.s3a.endpoint", infra.s3Endpoint());
            hadoop.set("fs.s3a.endpoint.region", infra.s3Region());
            hadoop.set("fs.s3a.path.style.access", "true");
            hadoop.set("fs.s3a.connection.ssl.enabled", "false");
            hadoop.set("fs.s3a.access.key", infra.s3AccessKey());
            hadoop.set("fs.s3a.secret.key", infra.s3SecretKey());
            VersionedPartitions partitions = new VersionedPartitions(spark, "s3a://lake/tier0", "page_viewed");

            partitions.write(partitions.merge(VersionedPartitionsTest.decode(VersionedPartitionsTest.landing(
                    Instant.parse("2026-11-26T10:00:00Z"), "e-1", "e-2")), List.of(HOUR)), List.of(HOUR), "run1");
            partitions.write(partitions.merge(VersionedPartitionsTest.decode(VersionedPartitionsTest.landing(
                    Instant.parse("2026-11-29T10:00:00Z"), "e-3")), List.of(HOUR)), List.of(HOUR), "run2");

            assertThat(partitions.current(HOUR)).contains("s3a://lake/tier0/events/page_viewed/date=2026-11-20/hour=13/v=run2");
            assertThat(spark.read().parquet(partitions.current(HOUR).orElseThrow()).count()).isEqualTo(3);
            List<String> keys = s3.listObjectsV2(ListObjectsV2Request.builder().bucket("lake").prefix("tier0/").build())
                    .contents().stream().map(o -> o.key()).toList();
            assertThat(keys).contains("tier0/events/page_viewed/date=2026-11-20/hour=13/_current")
                    .anyMatch(k -> k.startsWith("tier0/events/page_viewed/date=2026-11-20/hour=13/v=run1/") && k.endsWith(".parquet"))
                    .anyMatch(k -> k.startsWith("tier0/events/page_viewed/date=2026-11-20/hour=13/v=run2/") && k.endsWith(".parquet"));
        }
    }
}
