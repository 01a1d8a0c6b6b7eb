package dev.sluice.catalog;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.S3Event;
import com.amazonaws.services.lambda.runtime.events.models.s3.S3EventNotification;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.TreeMap;
import java.util.Map;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.glue.GlueClient;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The AWS Lambda handler: for each S3 {@code ObjectCreated} record of a partition pointer ({@code .../_current};
 * other objects are ignored, so the bucket notification may use a suffix filter {@code _current} or none), registers
 * the partition's current version in Glue.
 *
 * <p>Environment: {@code SLUICE_CATALOG_DATABASE} (the tier's Glue database, default {@code sluice_tier0}),
 * {@code SLUICE_CATALOG_ID} (the catalog's account, default the caller's). Region and credentials: the Lambda's.
 * Handler: {@code dev.sluice.catalog.S3EventHandler::handleRequest}.
 */
public final class S3EventHandler implements RequestHandler<S3Event, String> {

    private final S3Client s3;
    private final PartitionRegistrar registrar;
    private final String database;

    /** The Lambda runtime's constructor: clients from the environment, made once per container. */
    public S3EventHandler() {
        this(S3Client.builder().httpClientBuilder(UrlConnectionHttpClient.builder()).build(),
                new GlueCatalog(GlueClient.builder().httpClientBuilder(UrlConnectionHttpClient.builder()).build(),
                        System.getenv("SLUICE_CATALOG_ID")),
                env("SLUICE_CATALOG_DATABASE", "sluice_tier0"));
    }

    S3EventHandler(S3Client s3, Catalog catalog, String database) {
        this.s3 = s3;
        this.registrar = new PartitionRegistrar(catalog);
        this.database = database;
    }

    @Override
    public String handleRequest(S3Event event, Context context) {
        Map<String, Integer> outcomes = new TreeMap<>();
        for (S3EventNotification.S3EventNotificationRecord record : event.getRecords()) {
            if (!record.getEventName().startsWith("ObjectCreated")) {
                outcomes.merge("ignored", 1, Integer::sum);
                continue;
            }
            String bucket = record.getS3().getBucket().getName();
            // keys arrive URL-encoded: date=2026-11-20 is date%3D2026-11-20
            String key = URLDecoder.decode(record.getS3().getObject().getKey(), StandardCharsets.UTF_8);
            PartitionRegistrar.Outcome outcome = new PointerRegistration(LakeObjects.s3(s3, bucket), registrar, database)
                    .register(key);
            outcomes.merge(outcome == null ? "ignored" : outcome.name().toLowerCase(), 1, Integer::sum);
        }
        return outcomes.toString();
    }

    private static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }
}
