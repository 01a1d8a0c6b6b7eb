package dev.sluice.core.policy;

import dev.sluice.core.privacy.PrivacySchema;
import dev.sluice.core.registry.SchemaRegistryClient;
import dev.sluice.core.topics.Topics;
import java.time.Instant;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a reservoir does with every column of an event type: the {@link PolicyEngine}'s action per column path, over
 * every registered schema version of the type (a tier-zero partition may hold events of several), the stricter
 * where versions differ. The reservoir job anonymizes with it; the datapump compares it between policy revisions to
 * know which event types a change touches. Sorted by path, so two maps compare and print the same.
 */
public final class EffectiveColumns {

    private EffectiveColumns() {
    }

    /** The actions of one event type in one reservoir; empty when the reservoir does not receive the type. */
    public static Map<String, Action> of(SchemaRegistryClient registry, String eventType, ReservoirPolicy policy,
            Instant now) {
        if (!policy.receives(eventType)) {
            return Map.of();
        }
        String subject = Topics.eventSubject(eventType);
        Map<String, Action> actions = new TreeMap<>();
        for (int version : registry.versions(subject)) {
            PrivacySchema schema = PrivacySchema.of(registry.version(subject, version).schema(), policy.subjectPrefixes());
            merge(actions, PolicyEngine.decide(eventType, schema, policy.reservoir(), policy.rules(), policy.grants(), now));
        }
        return Collections.unmodifiableMap(actions);
    }

    /** Adds one schema version's decisions: a path already decided keeps the stricter of the two actions. */
    static void merge(Map<String, Action> actions, List<Decision> decisions) {
        decisions.forEach(decision -> actions.merge(decision.path(), decision.action(), Action::stricter));
    }

    /** The actions of several versions' decisions merged, the stricter where they differ. */
    public static Map<String, Action> of(List<List<Decision>> perVersion) {
        Map<String, Action> actions = new TreeMap<>();
        perVersion.forEach(decisions -> merge(actions, decisions));
        return Collections.unmodifiableMap(actions);
    }
}
