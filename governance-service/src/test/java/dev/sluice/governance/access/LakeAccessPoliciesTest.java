package dev.sluice.governance.access;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Every generated policy parsed back from its JSON (with Jackson, not the builder that wrote it) and judged the way
 * IAM matches resources (each {@code *} any run of characters): a team's policy allows reading the objects of its own
 * reservoir and nothing of tier zero or of any other reservoir — including one whose name starts with its own — and
 * the jobs' policy allows both tiers and nothing outside them.
 */
class LakeAccessPoliciesTest {

    static final JsonMapper JSON = JsonMapper.builder().build();
    static final LakeAccessProperties LAKE = new LakeAccessProperties("sluice-lake", "tier0", "/tier1/", "sluice_",
            "eu-west-1", "123456789012", "aws");
    static final List<String> RESERVOIRS = List.of("marketing", "mkt", "mkt_eu", "m", "support", "marketing_2");
    static final LakeAccessPolicies POLICIES = new LakeAccessPolicies(LAKE);

    @Test
    void aTeamReadsItsOwnReservoirAndNeitherTierZeroNorAnotherReservoir() {
        for (String reservoir : RESERVOIRS) {
            JsonNode policy = JSON.readTree(POLICIES.team(reservoir).toJson());
            assertThat(policy.path("Version").asString()).isEqualTo("2012-10-17");
            List<String> allowed = resources(policy, "Allow");
            assertThat(allowed).as(reservoir).doesNotContain("*").noneMatch(arn -> arn.endsWith(":*"));

            assertThat(granted(allowed, object("tier1/" + reservoir + "/events/x/date=2026-11-20/hour=10/v=r/part-0.parquet")))
                    .as(reservoir + " reads its own").isTrue();
            assertThat(granted(allowed, object("tier0/events/x/date=2026-11-20/hour=10/v=r/part-0.parquet")))
                    .as(reservoir + " reads tier zero").isFalse();
            assertThat(granted(allowed, object("tier0/" + reservoir + "/x"))).isFalse();
            for (String other : RESERVOIRS) {
                if (!other.equals(reservoir)) {
                    assertThat(granted(allowed, object("tier1/" + other + "/events/x/part-0.parquet")))
                            .as(reservoir + " reads " + other).isFalse();
                    assertThat(granted(allowed, glue("database/sluice_" + other))).as(reservoir + " sees database of "
                            + other).isFalse();
                    assertThat(granted(allowed, glue("table/sluice_" + other + "/page_viewed"))).isFalse();
                }
            }
            assertThat(granted(allowed, glue("database/sluice_" + reservoir))).isTrue();
            assertThat(granted(allowed, glue("table/sluice_" + reservoir + "/page_viewed"))).isTrue();
            assertThat(granted(allowed, glue("database/sluice_tier0"))).isFalse();
            assertThat(granted(allowed, glue("table/sluice_tier0/page_viewed"))).isFalse();

            // listing the bucket only under its own prefix
            for (JsonNode statement : statements(policy, "Allow")) {
                if (texts(statement.path("Action")).contains("s3:ListBucket")) {
                    assertThat(texts(statement.path("Condition").path("StringLike").path("s3:prefix")))
                            .isNotEmpty().allMatch(prefix -> prefix.startsWith("tier1/" + reservoir + "/"));
                }
            }
            // tier zero is denied outright, whatever else the role is given
            assertThat(resources(policy, "Deny")).containsExactly("arn:aws:s3:::sluice-lake/tier0/*");
        }
    }

    @Test
    void theJobsReadAndWriteBothTiersAndNothingElse() {
        JsonNode policy = JSON.readTree(POLICIES.jobs().toJson());
        List<String> allowed = resources(policy, "Allow");
        assertThat(granted(allowed, object("tier0/events/x/part-0.parquet"))).isTrue();
        assertThat(granted(allowed, object("tier1/marketing/events/x/part-0.parquet"))).isTrue();
        assertThat(granted(allowed, object("elsewhere/x"))).isFalse();
        assertThat(granted(allowed, "arn:aws:s3:::another-bucket/tier0/x")).isFalse();
        assertThat(allowed).noneMatch(arn -> arn.contains(":glue:"));
    }

    @Test
    void prefixesThatOverlapAreRefused() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new LakeAccessProperties("b", "lake/", "lake/tier1/",
                "sluice_", "us-east-1", "1", "aws")).isInstanceOf(IllegalArgumentException.class);
    }

    static String object(String key) {
        return "arn:aws:s3:::sluice-lake/" + key;
    }

    static String glue(String resource) {
        return "arn:aws:glue:eu-west-1:123456789012:" + resource;
    }

    /** Whether a resource ARN matches one of the patterns, as IAM matches them. */
    static boolean granted(List<String> patterns, String arn) {
        return patterns.stream().anyMatch(pattern -> Pattern.compile(("\\Q" + pattern + "\\E").replace("*", "\\E.*\\Q"))
                .matcher(arn).matches());
    }

    static List<JsonNode> statements(JsonNode policy, String effect) {
        List<JsonNode> statements = new ArrayList<>();
        JsonNode all = policy.path("Statement");
        (all.isArray() ? all : JSON.createArrayNode().add(all)).forEach(statement -> {
            if (statement.path("Effect").asString().equals(effect)) {
                statements.add(statement);
            }
        });
        return statements;
    }

    static List<String> resources(JsonNode policy, String effect) {
        List<String> resources = new ArrayList<>();
        statements(policy, effect).forEach(statement -> resources.addAll(texts(statement.path("Resource"))));
        return resources;
    }

    /** A string or a list of strings (IAM's JSON allows both). */
    static List<String> texts(JsonNode node) {
        List<String> texts = new ArrayList<>();
        if (node.isArray()) {
            node.forEach(item -> texts.add(item.asString()));
        } else if (!node.isMissingNode()) {
            texts.add(node.asString());
        }
        return texts;
    }
}
