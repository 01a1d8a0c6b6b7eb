package dev.sluice.core.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.longs;

import dev.sluice.core.privacy.PrivacyField;
import dev.sluice.core.privacy.PrivacySchema;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;

import java.util.Random;
import java.util.Set;
import java.util.function.Function;
import org.apache.avro.Schema;
import org.junit.jupiter.api.Test;

/**
 * Properties of the policy engine over generated schemas (nested records, arrays of records, subject entities,
 * tags) and rule sets (every selector kind, both scopes, every action, approved or not, expired or not) and grants:
 * QuickTheories draws a seed, the seed builds the case, and a failure prints the seed.
 */
class PolicyPropertiesTest {

    static final int EXAMPLES = 2000;
    static final Instant NOW = Instant.parse("2026-11-29T12:00:00Z");
    static final List<String> TAGS = List.of("PII", "contact", "location", "free_text");
    static final List<String> RESERVOIRS = List.of("marketing", "finance");

    /** One generated case: a schema, rules and grants, and the reservoir asked about. */
    record Case(long seed, String type, PrivacySchema schema, String reservoir, List<Rule> rules, List<Grant> grants) {
        @Override
        public String toString() {
            return "seed " + seed + ": " + schema.schema() + "\nrules " + rules + "\ngrants " + grants;
        }
    }

    static Case generate(long seed) {
        Random random = new Random(seed);
        String type = "t" + random.nextInt(3);
        PrivacySchema schema = PrivacySchema.of(new Schema.Parser().parse(record(random, 0, new int[1])));
        List<String> paths = new ArrayList<>(schema.fields().keySet());
        List<Rule> rules = new ArrayList<>();
        for (int i = 0, n = random.nextInt(8); i < n; i++) {
            rules.add(new Rule("r" + i, random.nextBoolean() ? null : pick(random, RESERVOIRS), selector(random, type, paths),
                    pick(random, List.of(Action.values())), "p", expiry(random), random.nextBoolean()));
        }
        List<Grant> grants = new ArrayList<>();
        for (int i = 0, n = random.nextInt(3); i < n; i++) {
            grants.add(new Grant("g" + i, pick(random, RESERVOIRS), random.nextBoolean()
                    ? new Selector.Field(type, pick(random, paths)) : new Selector.Tag(pick(random, TAGS)),
                    pick(random, List.of(Action.values())), "p", expiry(random), "analyst", "dpo"));
        }
        return new Case(seed, type, schema, pick(random, RESERVOIRS), rules, grants);
    }

    static Instant expiry(Random random) {
        return switch (random.nextInt(3)) {
            case 0 -> null;
            case 1 -> NOW.minusSeconds(1 + random.nextInt(1000));
            default -> NOW.plusSeconds(1 + random.nextInt(1000));
        };
    }

    static Selector selector(Random random, String type, List<String> paths) {
        return switch (random.nextInt(5)) {
            case 0 -> new Selector.All();
            case 1 -> new Selector.Table(random.nextBoolean() ? type : "other");
            case 2 -> new Selector.Tag(pick(random, TAGS));
            default -> new Selector.Field(random.nextInt(8) == 0 ? "other" : type, pick(random, paths));
        };
    }

    static <T> T pick(Random random, List<T> items) {
        return items.get(random.nextInt(items.size()));
    }

    /** A record's JSON: subject and other entities, tags, nested records and arrays of records. */
    static String record(Random random, int depth, int[] names) {
        StringBuilder fields = new StringBuilder();
        int count = 1 + random.nextInt(5);
        for (int i = 0; i < count; i++) {
            if (i > 0) {
                fields.append(',');
            }
            fields.append("{\"name\":\"f").append(i).append("\",\"type\":");
            int kind = random.nextInt(depth < 2 ? 7 : 5);
            if (kind == 5) {
                fields.append(record(random, depth + 1, names));
            } else if (kind == 6) {
                fields.append("{\"type\":\"array\",\"items\":").append(record(random, depth + 1, names)).append('}');
            } else {
                fields.append("\"string\"");
            }
            if (random.nextInt(4) == 0) {
                fields.append(",\"sluice.entity\":\"").append(random.nextBoolean() ? "user/id" : "product/id").append('"');
            }
            if (random.nextInt(3) == 0) {
                fields.append(",\"sluice.tags\":[\"").append(pick(random, TAGS)).append("\"]");
            }
            fields.append('}');
        }
        return "{\"type\":\"record\",\"name\":\"R" + (names[0]++) + "\",\"fields\":[" + fields + "]}";
    }

    static List<Decision> decide(Case c, List<Rule> rules, List<Grant> grants) {
        return PolicyEngine.decide(c.type(), c.schema(), c.reservoir(), rules, grants, NOW);
    }

    void forAll(Function<Case, Boolean> property) {
        qt().withExamples(EXAMPLES).forAll(longs().all().describedAs(seed -> generate(seed).toString()))
                .check(seed -> property.apply(generate(seed)));
    }

    @Test
    void theResultIsDeterministicAndIndependentOfTheOrderOfRulesAndGrants() {
        forAll(c -> {
            List<Decision> first = decide(c, c.rules(), c.grants());
            List<Rule> rules = new ArrayList<>(c.rules());
            List<Grant> grants = new ArrayList<>(c.grants());
            Collections.shuffle(rules, new Random(c.seed()));
            Collections.shuffle(grants, new Random(c.seed() + 1));
            Collections.reverse(rules);
            return first.equals(decide(c, rules, grants)) && first.equals(decide(c, c.rules(), c.grants()));
        });
    }

    @Test
    void nothingIsLessStrictThanItsDefaultWithoutTheDpo() {
        forAll(c -> decide(c, c.rules(), c.grants()).stream().allMatch(decision -> {
            PrivacyField column = c.schema().field(decision.path()).orElse(null);
            if (column == null) {
                return decision.basis().kind() == Decision.Basis.Kind.INTERNAL;
            }
            if (!PolicyEngine.defaultAction(column).exposesMoreThan(decision.action())) {
                return true;
            }
            return switch (decision.basis().kind()) {
                case GRANT -> c.grants().stream().anyMatch(g -> g.id().equals(decision.basis().id()));
                case RULE -> c.rules().stream().anyMatch(r -> r.id().equals(decision.basis().id()) && r.approved());
                default -> false;
            };
        }));
    }

    @Test
    void everyColumnGetsExactlyOneDecisionWithAReason() {
        forAll(c -> {
            List<Decision> decisions = decide(c, c.rules(), c.grants());
            Set<String> paths = new HashSet<>();
            decisions.forEach(d -> paths.add(d.path()));
            Set<String> expected = new HashSet<>(c.schema().fields().keySet());
            expected.addAll(PolicyEngine.INTERNAL.keySet());
            return paths.equals(expected) && decisions.size() == expected.size()
                    && decisions.stream().allMatch(d -> d.action() != null && d.basis() != null
                    && d.basis().text() != null && !d.basis().text().isBlank());
        });
    }

    @Test
    void withoutRulesAndGrantsEveryColumnHasItsDefault() {
        forAll(c -> decide(c, List.of(), List.of()).stream().allMatch(d -> c.schema().field(d.path())
                .map(column -> d.action() == PolicyEngine.defaultAction(column)
                        && d.basis().kind() == Decision.Basis.Kind.DEFAULT)
                .orElse(d.action() == PolicyEngine.INTERNAL.get(d.path()))));
    }

    @Test
    void theDecidingRuleOrGrantNamesTheColumnAndIsInEffect() {
        forAll(c -> decide(c, c.rules(), c.grants()).stream().allMatch(d -> {
            PrivacyField column = c.schema().field(d.path()).orElse(null);
            return switch (d.basis().kind()) {
                case RULE -> c.rules().stream().filter(r -> r.id().equals(d.basis().id())).anyMatch(r ->
                        r.appliesTo(c.reservoir(), NOW) && r.selector().match(c.type(), column) >= 0 && r.action() == d.action());
                case GRANT -> c.grants().stream().filter(g -> g.id().equals(d.basis().id())).anyMatch(g ->
                        g.appliesTo(c.reservoir(), NOW) && g.selector().match(c.type(), column) >= 0 && g.action() == d.action());
                default -> true;
            };
        }));
    }

    @Test
    void theSnapshotOnTheChangeFeedRoundTrips() {
        forAll(c -> {
            ReservoirPolicy policy = new ReservoirPolicy(c.reservoir(), c.seed(), "team", 30, 2, List.of(c.type()),
                    c.rules(), c.grants(), NOW, List.of("user/", "device/"));
            return ReservoirPolicy.fromJson(policy.toJson()).equals(policy);
        });
    }

}
