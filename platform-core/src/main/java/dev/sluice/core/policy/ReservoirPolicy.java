package dev.sluice.core.policy;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import dev.sluice.core.privacy.PrivacySchema;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A reservoir's whole policy as the governance service publishes it on the compacted {@code governance.changes}
 * (key: the reservoir; a deleted reservoir is a tombstone): everything the policy engine and the reservoir jobs need,
 * never a key. A consumer that starts late reads the current policy of every reservoir.
 *
 * @param revision grows with every change of the reservoir's effective policy
 * @param eventTypes the event types the reservoir receives; empty: all
 * @param keyVersion the version of the reservoir's hashing key (a rotation makes a new one)
 * @param rules the rules that apply to the reservoir (its own and all-reservoirs ones) and are in effect
 * @param grants the reservoir's active grants
 * @param subjectPrefixes the entity types that identify people (personal data by default), as the governance service
 *        has them: the reservoir jobs read schemas exactly as the governance service explains them
 */
public record ReservoirPolicy(String reservoir, long revision, String owningTeam, int retentionDays, int keyVersion,
        List<String> eventTypes, List<Rule> rules, List<Grant> grants, Instant publishedAt, List<String> subjectPrefixes) {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    public ReservoirPolicy {
        Objects.requireNonNull(reservoir, "reservoir");
        eventTypes = List.copyOf(eventTypes);
        rules = List.copyOf(rules);
        grants = List.copyOf(grants);
        subjectPrefixes = subjectPrefixes == null || subjectPrefixes.isEmpty()
                ? List.copyOf(new java.util.TreeSet<>(PrivacySchema.DEFAULT_SUBJECT_PREFIXES)) : List.copyOf(subjectPrefixes);
    }

    public boolean receives(String eventType) {
        return eventTypes.isEmpty() || eventTypes.contains(eventType);
    }

    public byte[] toJson() {
        ObjectNode node = JSON.createObjectNode();
        node.put("reservoir", reservoir).put("revision", revision).put("owning_team", owningTeam)
                .put("retention_days", retentionDays).put("key_version", keyVersion);
        ArrayNode types = node.putArray("event_types");
        eventTypes.forEach(types::add);
        ArrayNode ruleArray = node.putArray("rules");
        for (Rule rule : rules) {
            ObjectNode r = ruleArray.addObject().put("id", rule.id()).put("reservoir", rule.reservoir())
                    .put("action", rule.action().name()).put("purpose", rule.purpose()).put("approved", rule.approved());
            r.set("selector", selector(rule.selector()));
            r.put("expires_at", rule.expiresAt() == null ? null : rule.expiresAt().toString());
        }
        ArrayNode grantArray = node.putArray("grants");
        for (Grant grant : grants) {
            ObjectNode g = grantArray.addObject().put("id", grant.id()).put("reservoir", grant.reservoir())
                    .put("action", grant.action().name()).put("purpose", grant.purpose())
                    .put("requested_by", grant.requestedBy()).put("approved_by", grant.approvedBy());
            g.set("selector", selector(grant.selector()));
            g.put("expires_at", grant.expiresAt() == null ? null : grant.expiresAt().toString());
        }
        node.put("published_at", publishedAt.toString());
        ArrayNode prefixes = node.putArray("subject_prefixes");
        subjectPrefixes.forEach(prefixes::add);
        return JSON.writeValueAsBytes(node);
    }

    public static ReservoirPolicy fromJson(byte[] value) {
        try {
            JsonNode node = JSON.readTree(value);
            List<String> types = new ArrayList<>();
            node.path("event_types").forEach(t -> types.add(t.asString()));
            List<String> prefixes = new ArrayList<>();
            node.path("subject_prefixes").forEach(t -> prefixes.add(t.asString()));
            List<Rule> rules = new ArrayList<>();
            for (JsonNode r : node.path("rules")) {
                rules.add(new Rule(r.required("id").asString(), text(r, "reservoir"), selector(r.required("selector")),
                        Action.valueOf(r.required("action").asString()), text(r, "purpose"), instant(r, "expires_at"),
                        r.path("approved").asBoolean(false)));
            }
            List<Grant> grants = new ArrayList<>();
            for (JsonNode g : node.path("grants")) {
                grants.add(new Grant(g.required("id").asString(), g.required("reservoir").asString(),
                        selector(g.required("selector")), Action.valueOf(g.required("action").asString()),
                        text(g, "purpose"), instant(g, "expires_at"), text(g, "requested_by"), text(g, "approved_by")));
            }
            return new ReservoirPolicy(node.required("reservoir").asString(), node.required("revision").asLong(),
                    text(node, "owning_team"), node.path("retention_days").asInt(), node.path("key_version").asInt(1),
                    types, rules, grants, Instant.parse(node.required("published_at").asString()), prefixes);
        } catch (RuntimeException e) { // JacksonException included
            throw new IllegalArgumentException("not a reservoir policy: " + new String(value, StandardCharsets.UTF_8), e);
        }
    }

    /** A selector as JSON: {@code {"kind": "field" | "tag" | "table" | "all", ...}}. */
    public static ObjectNode selector(Selector selector) {
        ObjectNode node = JSON.createObjectNode();
        if (selector instanceof Selector.Field field) {
            node.put("kind", "field").put("event_type", field.eventType()).put("path", field.path());
        } else if (selector instanceof Selector.Tag tag) {
            node.put("kind", "tag").put("tag", tag.tag());
        } else if (selector instanceof Selector.Table table) {
            node.put("kind", "table").put("event_type", table.eventType());
        } else {
            node.put("kind", "all");
        }
        return node;
    }

    public static Selector selector(JsonNode node) {
        return switch (node.required("kind").asString()) {
            case "field" -> new Selector.Field(node.required("event_type").asString(), node.required("path").asString());
            case "tag" -> new Selector.Tag(node.required("tag").asString());
            case "table" -> new Selector.Table(node.required("event_type").asString());
            case "all" -> new Selector.All();
            default -> throw new IllegalArgumentException("unknown selector kind " + node.path("kind"));
        };
    }

    private static String text(JsonNode node, String field) {
        return node.hasNonNull(field) ? node.get(field).asString() : null;
    }

    private static Instant instant(JsonNode node, String field) {
        return node.hasNonNull(field) ? Instant.parse(node.get(field).asString()) : null;
    }
}
