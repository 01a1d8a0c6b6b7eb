package dev.sluice.governance.access;

import java.util.List;
import software.amazon.awssdk.policybuilder.iam.IamConditionOperator;
import software.amazon.awssdk.policybuilder.iam.IamEffect;
import software.amazon.awssdk.policybuilder.iam.IamPolicy;

/**
 * The IAM policies that isolate the lake on AWS, built with the AWS SDK's IAM policy builder (typed statements, no
 * string templates): a team's role reads its reservoir's prefix and its Glue database and nothing else — tier zero
 * is denied explicitly, so that no other policy attached to the role can open it — and the Spark jobs' role reads
 * and writes both tiers. The platform team attaches them to the roles (Terraform, CloudFormation, eksctl).
 */
public final class LakeAccessPolicies {

    /** Glue's read actions that Athena, Spark and Trino need to plan a query. */
    static final List<String> GLUE_READ = List.of("glue:GetDatabase", "glue:GetTable", "glue:GetTables",
            "glue:GetPartition", "glue:GetPartitions", "glue:BatchGetPartition");

    private final LakeAccessProperties lake;

    public LakeAccessPolicies(LakeAccessProperties lake) {
        this.lake = lake;
    }

    /** The policy of the role of the reservoir's team. */
    public IamPolicy team(String reservoir) {
        String prefix = lake.tierOnePrefix() + reservoir + "/";
        String database = lake.databasePrefix() + reservoir;
        return IamPolicy.builder()
                .addStatement(s -> s.sid("ListTheReservoir").effect(IamEffect.ALLOW).addAction("s3:ListBucket")
                        .addResource(bucketArn())
                        .addConditions(IamConditionOperator.STRING_LIKE, "s3:prefix", List.of(prefix, prefix + "*")))
                .addStatement(s -> s.sid("ReadTheReservoir").effect(IamEffect.ALLOW).addAction("s3:GetObject")
                        .addResource(objectsArn(prefix)))
                .addStatement(s -> s.sid("ReadItsCatalogDatabase").effect(IamEffect.ALLOW).actionIds(GLUE_READ)
                        .addResource(glueArn("catalog"))
                        .addResource(glueArn("database/" + database))
                        .addResource(glueArn("table/" + database + "/*")))
                .addStatement(s -> s.sid("NeverTierZero").effect(IamEffect.DENY).addAction("s3:*")
                        .addResource(objectsArn(lake.tierZeroPrefix())))
                .build();
    }

    /** The policy of the Spark jobs' role (the dump into tier zero, the reservoir job into tier one). */
    public IamPolicy jobs() {
        return IamPolicy.builder()
                .addStatement(s -> s.sid("ListTheLake").effect(IamEffect.ALLOW).addAction("s3:ListBucket")
                        .addResource(bucketArn())
                        .addConditions(IamConditionOperator.STRING_LIKE, "s3:prefix",
                                List.of(lake.tierZeroPrefix() + "*", lake.tierOnePrefix() + "*")))
                .addStatement(s -> s.sid("ReadAndWriteBothTiers").effect(IamEffect.ALLOW)
                        .actionIds(List.of("s3:GetObject", "s3:PutObject", "s3:DeleteObject", "s3:AbortMultipartUpload"))
                        .addResource(objectsArn(lake.tierZeroPrefix()))
                        .addResource(objectsArn(lake.tierOnePrefix())))
                .build();
    }

    String bucketArn() {
        return "arn:" + lake.partition() + ":s3:::" + lake.bucket();
    }

    /** Every object under a prefix ({@code tier1/marketing/} → {@code arn:aws:s3:::bucket/tier1/marketing/*}). */
    String objectsArn(String prefix) {
        return bucketArn() + "/" + prefix + "*";
    }

    String glueArn(String resource) {
        return "arn:" + lake.partition() + ":glue:" + lake.region() + ":" + lake.accountId() + ":" + resource;
    }
}
