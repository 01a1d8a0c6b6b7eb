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
 * the partition's current version in Glue; for each {@code ObjectRemoved} record of one, unregisters the partition.
 * A pointer under tier one's prefix is a reservoir's ({@code <prefix><reservoir>/events/...}, database
 * {@code sluice_<reservoir>}); any other is tier zero's.
 *
 * <p>Environment: {@code SLUICE_CATALOG_DATABASE} (tier zero's Glue database, default {@code sluice_tier0}),
 * {@code SLUICE_CATALOG_TIER1_PREFIX} (tier one's key prefix, default {@code tier1/}),
 * {@code SLUICE_CATALOG_RESERVOIR_DATABASE_PREFIX} (default {@code sluice_}), {@code SLUICE_CATALOG_ID} (the
 * catalog's account, default the caller's). Region and credentials: the Lambda's.
 * Handler: {@code dev.sluice.catalog.S3EventHandler::handleRequest}.
 */
public final class S3EventHandler implements RequestHandler<S3Event, String> {

    private final S3Client s3;
    private final PartitionRegistrar registrar;
    private final LakeTiers tiers;

    /** The Lambda runtime's constructor: clients from the environment, made once per container. */
    public S3EventHandler() {
        this(S3Client.builder().httpClientBuilder(UrlConnectionHttpClient.builder()).build(),
                new GlueCatalog(GlueClient.builder().httpClientBuilder(UrlConnectionHttpClient.builder()).build(),
                        System.getenv("SLUICE_CATALOG_ID")),
                new LakeTiers(env("SLUICE_CATALOG_DATABASE", "sluice_tier0"), env("SLUICE_CATALOG_TIER1_PREFIX", "tier1/"),
                        env("SLUICE_CATALOG_RESERVOIR_DATABASE_PREFIX", "sluice_")));
    }

    S3EventHandler(S3Client s3, Catalog catalog, LakeTiers tiers) {
        this.s3 = s3;
        this.registrar = new PartitionRegistrar(catalog);
        this.tiers = tiers;
    }

    @Override
    public String handleRequest(S3Event event, Context context) {
        Map<String, Integer> outcomes = new TreeMap<>();
        for (S3EventNotification.S3EventNotificationRecord record : event.getRecords()) {
            boolean created = record.getEventName().startsWith("ObjectCreated");
            if (!created && !record.getEventName().startsWith("ObjectRemoved")) {
                outcomes.merge("ignored", 1, Integer::sum);
                continue;
            }
            String bucket = record.getS3().getBucket().getName();
            // keys arrive URL-encoded: date=2026-11-20 is date%3D2026-11-20
            String key = URLDecoder.decode(record.getS3().getObject().getKey(), StandardCharsets.UTF_8);
            PointerRegistration registration = new PointerRegistration(LakeObjects.s3(s3, bucket), registrar, tiers);
            PartitionRegistrar.Outcome outcome = created ? registration.register(key) : registration.unregister(key);
            outcomes.merge(outcome == null ? "ignored" : outcome.name().toLowerCase(), 1, Integer::sum);
        }
        return outcomes.toString();
    }

    private static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }
}
