package dev.sluice.governance.access;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Where the lake is on AWS, for the IAM policies the governance service hands out ({@code sluice.governance.lake.*};
 * environment {@code SLUICE_LAKE_BUCKET}, {@code AWS_REGION}, {@code AWS_ACCOUNT_ID}, ...).
 *
 * @param bucket the lake's bucket
 * @param tierZeroPrefix tier zero's key prefix in it, ending with /
 * @param tierOnePrefix tier one's, ending with /: a reservoir's data is under {@code <prefix><reservoir>/}
 * @param databasePrefix a reservoir's Glue database is this followed by its name
 * @param region the Glue catalog's region
 * @param accountId the Glue catalog's account
 * @param partition the AWS partition ({@code aws}, {@code aws-cn}, {@code aws-us-gov})
 */
@ConfigurationProperties("sluice.governance.lake")
public record LakeAccessProperties(
        @DefaultValue("sluice-lake") String bucket,
        @DefaultValue("tier0/") String tierZeroPrefix,
        @DefaultValue("tier1/") String tierOnePrefix,
        @DefaultValue("sluice_") String databasePrefix,
        @DefaultValue("us-east-1") String region,
        @DefaultValue("000000000000") String accountId,
        @DefaultValue("aws") String partition) {

    public LakeAccessProperties {
        tierZeroPrefix = asPrefix(tierZeroPrefix);
        tierOnePrefix = asPrefix(tierOnePrefix);
        if (tierZeroPrefix.equals(tierOnePrefix) || tierZeroPrefix.isEmpty() || tierOnePrefix.isEmpty()
                || tierOnePrefix.startsWith(tierZeroPrefix) || tierZeroPrefix.startsWith(tierOnePrefix)) {
            throw new IllegalArgumentException("tier zero's and tier one's prefixes must be two prefixes, neither inside "
                    + "the other: '" + tierZeroPrefix + "', '" + tierOnePrefix + "'");
        }
    }

    private static String asPrefix(String prefix) {
        String trimmed = prefix == null ? "" : prefix.replaceAll("^/+", "").replaceAll("/+$", "");
        return trimmed.isEmpty() ? "" : trimmed + "/";
    }
}
