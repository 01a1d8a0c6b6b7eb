package dev.sluice.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.S3Event;
import com.amazonaws.services.lambda.runtime.events.models.s3.S3EventNotification;
import dev.sluice.infra.LocalInfra;
import dev.sluice.infra.Server;
import dev.sluice.infra.junit.LocalInfraTest;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The Lambda handler with real objects in s3proxy (from local-infra) and the file catalog: S3 events with URL-encoded
 * keys, as S3 sends them, in the order they were created, repeated, and out of order.
 */
@LocalInfraTest(Server.S3)
class S3EventHandlerIT {

    static final String PARTITION = "tier0/events/page_viewed/date=2026-11-20/hour=13/";

    @Test
    void pointerEventsRegisterTheCurrentVersionRepeatedAndOutOfOrderEventsChangeNothing(LocalInfra infra,
            @TempDir Path catalogDir) {
        String bucket = "lake-" + UUID.randomUUID().toString().substring(0, 8);
        try (S3Client s3 = S3Client.builder().endpointOverride(URI.create(infra.s3Endpoint())).forcePathStyle(true)
                .region(Region.of(infra.s3Region())).credentialsProvider(StaticCredentialsProvider.create(
                        AwsBasicCredentials.create(infra.s3AccessKey(), infra.s3SecretKey()))).build()) {
            s3.createBucket(b -> b.bucket(bucket));
            FileCatalog catalog = new FileCatalog(catalogDir);
            S3EventHandler handler = new S3EventHandler(s3, catalog, TIERS);

            put(s3, bucket, PARTITION + "v=run1/part-0.parquet", "PAR1");
            put(s3, bucket, PARTITION + "v=run1/_columns.json",
                    "{\"format\":\"parquet\",\"columns\":[{\"name\":\"id\",\"type\":\"string\"}]}");
            put(s3, bucket, PARTITION + "_current", "v=run1");
            String first = handler.handleRequest(event(bucket, PARTITION + "v=run1/part-0.parquet",
                    PARTITION + "v=run1/_columns.json", PARTITION + "_current"), null);
            assertThat(first).isEqualTo("{created=1, ignored=2}");
            assertThat(catalog.partition("sluice_tier0", "page_viewed", List.of("2026-11-20", "13")).orElseThrow())
                    .satisfies(p -> {
                        assertThat(p.location()).isEqualTo("s3://" + bucket + "/" + PARTITION + "v=run1/");
                        assertThat(p.version()).isEqualTo("v=run1");
                    });

            // the hour is re-dumped with a new column; its event arrives twice, and then the first event again
            put(s3, bucket, PARTITION + "v=run2/_columns.json", "{\"format\":\"parquet\",\"columns\":["
                    + "{\"name\":\"id\",\"type\":\"string\"},{\"name\":\"device\",\"type\":\"struct<os:string>\"}]}");
            put(s3, bucket, PARTITION + "_current", "v=run2");
            assertThat(handler.handleRequest(event(bucket, PARTITION + "_current"), null)).isEqualTo("{updated=1}");
            assertThat(handler.handleRequest(event(bucket, PARTITION + "_current", PARTITION + "_current"), null))
                    .isEqualTo("{unchanged_not_newer=2}");
            assertThat(catalog.partition("sluice_tier0", "page_viewed", List.of("2026-11-20", "13")).orElseThrow().version())
                    .isEqualTo("v=run2");
            assertThat(catalog.table("sluice_tier0", "page_viewed").orElseThrow().columns())
                    .extracting(Catalog.Column::name).containsExactly("id", "device");
            assertThat(catalog.table("sluice_tier0", "page_viewed").orElseThrow().location())
                    .isEqualTo("s3://" + bucket + "/tier0/events/page_viewed/");
        }
    }

    @Test
    void aReservoirHasItsOwnDatabaseWithExactlyItsColumnsAndRemovedPointersUnregisterUntilNothingIsLeft(LocalInfra infra,
            @TempDir Path catalogDir) {
        String bucket = "lake-" + UUID.randomUUID().toString().substring(0, 8);
        String hour13 = "tier1/marketing/events/page_viewed/date=2026-11-20/hour=13/";
        String hour14 = "tier1/marketing/events/page_viewed/date=2026-11-20/hour=14/";
        try (S3Client s3 = client(infra)) {
            s3.createBucket(b -> b.bucket(bucket));
            FileCatalog catalog = new FileCatalog(catalogDir);
            S3EventHandler handler = new S3EventHandler(s3, catalog, TIERS);

            // user_id dropped by the policy: in neither the partition nor the table
            String dropped = "[{\"name\":\"page\",\"type\":\"string\"}]";
            for (String partition : List.of(hour13, hour14)) {
                put(s3, bucket, partition + "v=run1/_columns.json", "{\"format\":\"parquet\",\"columns\":" + dropped
                        + ",\"table\":" + dropped + "}");
                put(s3, bucket, partition + "_current", "v=run1");
            }
            assertThat(handler.handleRequest(event(bucket, hour13 + "_current", hour14 + "_current"), null))
                    .isEqualTo("{created=2}");
            assertThat(catalog.databases()).containsExactly("sluice_marketing");
            assertThat(catalog.table("sluice_marketing", "page_viewed").orElseThrow().columns())
                    .extracting(Catalog.Column::name).containsExactly("page");

            // a DPO grant lets user_id through, hashed: the recomputed partitions and the table have it
            String hashed = "[{\"name\":\"page\",\"type\":\"string\"},{\"name\":\"user_id\",\"type\":\"string\"}]";
            put(s3, bucket, hour13 + "v=run2/_columns.json", "{\"format\":\"parquet\",\"columns\":" + hashed
                    + ",\"table\":" + hashed + "}");
            put(s3, bucket, hour13 + "_current", "v=run2");
            assertThat(handler.handleRequest(event(bucket, hour13 + "_current"), null)).isEqualTo("{updated=1}");
            assertThat(catalog.table("sluice_marketing", "page_viewed").orElseThrow().columns())
                    .extracting(Catalog.Column::name).containsExactly("page", "user_id");
            // an older version's late event does not take the column away again
            put(s3, bucket, hour14 + "_current", "v=run1");
            assertThat(handler.handleRequest(event(bucket, hour14 + "_current"), null)).isEqualTo("{unchanged_not_newer=1}");
            assertThat(catalog.table("sluice_marketing", "page_viewed").orElseThrow().columns())
                    .extracting(Catalog.Column::name).containsExactly("page", "user_id");

            // retention removes one hour, then the reservoir is deleted: table and database go with the last one
            s3.deleteObject(b -> b.bucket(bucket).key(hour13 + "_current"));
            assertThat(handler.handleRequest(removed(bucket, hour13 + "_current"), null)).isEqualTo("{removed=1}");
            assertThat(catalog.partition("sluice_marketing", "page_viewed", List.of("2026-11-20", "13"))).isEmpty();
            assertThat(catalog.table("sluice_marketing", "page_viewed")).isPresent();
            assertThat(handler.handleRequest(removed(bucket, hour14 + "_current", hour13 + "_current"), null))
                    .isEqualTo("{not_registered=1, removed=1}");
            assertThat(catalog.databases()).isEmpty();
        }
    }

    static final LakeTiers TIERS = new LakeTiers("sluice_tier0", "tier1/", "sluice_");

    static S3Client client(LocalInfra infra) {
        return S3Client.builder().endpointOverride(URI.create(infra.s3Endpoint())).forcePathStyle(true)
                .region(Region.of(infra.s3Region())).credentialsProvider(StaticCredentialsProvider.create(
                        AwsBasicCredentials.create(infra.s3AccessKey(), infra.s3SecretKey()))).build();
    }

    static void put(S3Client s3, String bucket, String key, String content) {
        s3.putObject(b -> b.bucket(bucket).key(key), RequestBody.fromString(content));
    }

    /** ObjectCreated:Put records as S3 sends them: the key URL-encoded. */
    static S3Event event(String bucket, String... keys) {
        return records("ObjectCreated:Put", bucket, keys);
    }

    static S3Event removed(String bucket, String... keys) {
        return records("ObjectRemoved:Delete", bucket, keys);
    }

    static S3Event records(String eventName, String bucket, String... keys) {
        List<S3EventNotification.S3EventNotificationRecord> records = java.util.Arrays.stream(keys).map(key ->
                new S3EventNotification.S3EventNotificationRecord("us-east-1", eventName, "aws:s3", null, "2.1",
                        null, null, new S3EventNotification.S3Entity("sluice", new S3EventNotification.S3BucketEntity(
                                bucket, null, "arn:aws:s3:::" + bucket), new S3EventNotification.S3ObjectEntity(
                                URLEncoder.encode(key, StandardCharsets.UTF_8).replace("%2F", "/"), 6L, "etag", null, "0"),
                                "1.0"), null)).toList();
        return new S3Event(records);
    }
}
