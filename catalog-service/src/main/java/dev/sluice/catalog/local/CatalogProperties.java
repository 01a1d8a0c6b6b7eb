package dev.sluice.catalog.local;

import dev.sluice.core.topics.Topics;
import java.nio.file.Path;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Settings of the catalog's local mode ({@code sluice.catalog.*}; environment {@code SLUICE_CATALOG_...}).
 *
 * @param partitionsTopic the notices of written partitions
 * @param deadLetterTopic notices that are not notices, or name a partition the lake does not have, with the reason
 * @param groupId the consumer group
 * @param lake tier zero's root: {@code s3a://bucket/prefix} or {@code file:///dir}
 * @param tierOne tier one's root, in the same bucket (or on the same filesystem) as tier zero; each reservoir's
 *        partitions are under {@code <tierOne>/<reservoir>/}; by default {@code tier1} beside tier zero's root
 * @param database the catalog database of tier zero
 * @param reservoirDatabasePrefix a reservoir's database is this followed by its name
 * @param dir where the file catalog keeps its JSON, one file per table
 * @param s3 how to reach the lake when it is on S3
 */
@ConfigurationProperties("sluice.catalog")
public record CatalogProperties(
        @DefaultValue(Topics.PARTITIONS) String partitionsTopic,
        @DefaultValue(Topics.LAKE_DEAD_LETTERS) String deadLetterTopic,
        @DefaultValue("catalog") String groupId,
        @DefaultValue("file:///tmp/sluice/lake/tier0") String lake,
        String tierOne,
        @DefaultValue("sluice_tier0") String database,
        @DefaultValue("sluice_") String reservoirDatabasePrefix,
        @DefaultValue("/tmp/sluice/catalog") Path dir,
        @DefaultValue S3 s3) {

    /**
     * @param endpoint an S3-compatible server; empty: AWS
     * @param accessKey with {@code secretKey}: static credentials; empty: the default AWS credential chain
     */
    public record S3(String endpoint, @DefaultValue("us-east-1") String region, String accessKey, String secretKey) {

        @Override
        public String toString() {
            return "S3[endpoint=" + endpoint + ", region=" + region + ", credentials="
                    + (accessKey == null || accessKey.isBlank() ? "default chain" : "***") + "]";
        }
    }
}
