package dev.sluice.core.policy;

import dev.sluice.core.privacy.PrivacyField;
import dev.sluice.core.privacy.PrivacySchema;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The one policy engine: for every column of an event type's schema in a reservoir, the action and what decided it.
 * The governance service explains policies with it; the reservoir jobs apply them with it.
 *
 * <p>Resolution, per column:
 * <ol>
 * <li>every active rule that applies to the reservoir (its own or an all-reservoirs one) and every active grant of
 * the reservoir whose selector names the column is a candidate;</li>
 * <li>the most specific selector wins: field > tag > table > all; among field selectors the deeper path (a rule on
 * {@code address.city} beats one on {@code address});</li>
 * <li>at the same specificity, a reservoir's own rule or grant beats an all-reservoirs rule, and a grant (an
 * exception the DPO approved) beats a rule;</li>
 * <li>remaining ties go to the stricter action (DROP > HASH > SHOW), then to the smallest id, so the result depends
 * on nothing but the inputs, not their order;</li>
 * <li>without a candidate, the default: DROP for personal data (a data-subject entity or a PII tag), SHOW for the
 * rest.</li>
 * </ol>
 * A rule that would make a column less strict than its default takes effect only when approved ({@link
 * Rule#approved()}); an unapproved one is no candidate for that column. So nothing is less strict than its default
 * without the DPO.
 *
 * <p>The internal columns have a fixed treatment ({@link #INTERNAL}): the event id is hashed with the reservoir's
 * key, so that a reservoir cannot join back to tier zero by it, and the schema id and the times are shown.
 */
public final class PolicyEngine {

    /** Columns every tier-zero partition has besides the event's fields. */
    public static final String EVENT_ID = "_sluice_event_id";
    public static final String SCHEMA_ID = "_sluice_schema_id";
    public static final String EVENT_TIME = "_sluice_event_time";
    public static final String LANDING_TIME = "_sluice_landing_time";

    /** The fixed treatment of the internal columns. */
    public static final Map<String, Action> INTERNAL = internal();

    private static Map<String, Action> internal() {
        Map<String, Action> internal = new LinkedHashMap<>();
        internal.put(EVENT_ID, Action.HASH);
        internal.put(SCHEMA_ID, Action.SHOW);
        internal.put(EVENT_TIME, Action.SHOW);
        internal.put(LANDING_TIME, Action.SHOW);
        return Map.copyOf(internal);
    }

    private PolicyEngine() {
    }

    /** The decisions for every column of the schema (in the schema's order), then for the internal columns. */
    public static List<Decision> decide(String eventType, PrivacySchema schema, String reservoir, Collection<Rule> rules,
            Collection<Grant> grants, Instant now) {
        List<Rule> activeRules = rules.stream().filter(rule -> rule.appliesTo(reservoir, now)).toList();
        List<Grant> activeGrants = grants.stream().filter(grant -> grant.appliesTo(reservoir, now)).toList();
        List<Decision> decisions = new ArrayList<>();
        for (PrivacyField column : schema.fields().values()) {
            decisions.add(decide(eventType, column, activeRules, activeGrants));
        }
        for (String internal : List.of(EVENT_ID, SCHEMA_ID, EVENT_TIME, LANDING_TIME)) {
            decisions.add(new Decision(internal, INTERNAL.get(internal), new Decision.Basis(Decision.Basis.Kind.INTERNAL,
                    null, internal.equals(EVENT_ID) ? "the event id, hashed with the reservoir key: no join back to tier zero"
                    : "internal column, shown")));
        }
        return decisions;
    }

    /** The action a column gets when nothing names it: DROP for personal data, SHOW for the rest. */
    public static Action defaultAction(PrivacyField column) {
        return column.personal() ? Action.DROP : Action.SHOW;
    }

    private record Candidate(Selector.Level level, int depth, boolean ownScope, boolean grant, Action action, String id,
            Decision.Basis basis) {
    }

    /** Best first: specificity, own scope, grant over rule, stricter, smallest id. */
    private static final Comparator<Candidate> BEST = Comparator.comparing(Candidate::level)
            .thenComparingInt(Candidate::depth)
            .thenComparing(Candidate::ownScope)
            .thenComparing(Candidate::grant)
            .thenComparingInt(c -> c.action().strictness())
            .reversed()
            .thenComparing(Candidate::id);

    static Decision decide(String eventType, PrivacyField column, List<Rule> rules, List<Grant> grants) {
        Action fallback = defaultAction(column);
        List<Candidate> candidates = new ArrayList<>();
        for (Rule rule : rules) {
            int depth = rule.selector().match(eventType, column);
            if (depth < 0 || (!rule.approved() && fallback.exposesMoreThan(rule.action()))) {
                continue;
            }
            candidates.add(new Candidate(rule.selector().level(), depth, rule.reservoir() != null, false, rule.action(),
                    rule.id(), new Decision.Basis(Decision.Basis.Kind.RULE, rule.id(), (rule.reservoir() == null
                    ? "all reservoirs" : "reservoir " + rule.reservoir()) + ", " + rule.selector().describe() + " → "
                    + rule.action())));
        }
        for (Grant grant : grants) {
            int depth = grant.selector().match(eventType, column);
            if (depth < 0) {
                continue;
            }
            candidates.add(new Candidate(grant.selector().level(), depth, true, true, grant.action(), grant.id(),
                    new Decision.Basis(Decision.Basis.Kind.GRANT, grant.id(), grant.selector().describe() + " → "
                    + grant.action() + ", approved by " + grant.approvedBy() + (grant.expiresAt() == null ? ""
                    : " until " + grant.expiresAt()))));
        }
        return candidates.stream().min(BEST)
                .map(best -> new Decision(column.path(), best.action(), best.basis()))
                .orElseGet(() -> new Decision(column.path(), fallback, new Decision.Basis(Decision.Basis.Kind.DEFAULT, null,
                        column.personal() ? "personal data: dropped unless a rule or grant says otherwise"
                                : "not personal data: shown")));
    }
}
