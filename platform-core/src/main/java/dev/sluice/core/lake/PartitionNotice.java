package dev.sluice.core.lake;

import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A notice on {@code lake.partitions}: a partition of the lake was written or rewritten. Keyed by
 * {@code <tier>[/<reservoir>]/<event_type>/<yyyy-MM-dd>/<HH>}.
 *
 * @param tier {@code zero} (the locked copy) or {@code one} (reservoirs): {@link #TIER_ZERO}, {@link #TIER_ONE}
 * @param reservoir the reservoir of a tier-one partition, null in tier zero
 * @param objects the keys of the partition's files, relative to the lake's root
 * @param rows how many rows the partition holds now
 */
public record PartitionNotice(String tier, String reservoir, String eventType, LocalDate date, int hour,
        List<String> objects, long rows, Reason reason) {

    public static final String TIER_ZERO = "zero";
    public static final String TIER_ONE = "one";
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final java.util.regex.Pattern RESERVOIR = java.util.regex.Pattern.compile("[a-z][a-z0-9_]{0,63}");

    public PartitionNotice {
        Objects.requireNonNull(tier, "tier");
        Objects.requireNonNull(eventType, "eventType");
        Objects.requireNonNull(date, "date");
        Objects.requireNonNull(reason, "reason");
        if (hour < 0 || hour > 23) {
            throw new IllegalArgumentException("hour must be 0..23: " + hour);
        }
        if (TIER_ZERO.equals(tier) ? reservoir != null : !TIER_ONE.equals(tier)
                || reservoir == null || !RESERVOIR.matcher(reservoir).matches()) {
            throw new IllegalArgumentException("a notice is of tier zero (no reservoir) or of a reservoir in tier one, not "
                    + "tier '" + tier + "' reservoir '" + reservoir + "'");
        }
        objects = List.copyOf(objects);
    }

    /** Why the partition was written, or removed. */
    public enum Reason {
        NEW, LATE_EVENTS, POLICY_CHANGE, ERASURE,
        /** A new reservoir's partition, published from what tier zero had before the reservoir existed. */
        BACKFILL,
        /** The partition is gone, past its retention: unregister it. */
        RETENTION,
        /** The partition is gone with its reservoir: unregister it, and the reservoir's table and database once empty. */
        RESERVOIR_DELETED,
        /** The partition is gone: tier zero's hour has no row left (all erased). Unregister it. */
        EMPTIED;

        /** Whether the partition is gone rather than written. */
        public boolean removed() {
            return this == RETENTION || this == RESERVOIR_DELETED || this == EMPTIED;
        }

        /**
         * {@code new}, {@code late-events}, {@code policy-change}, {@code erasure}, {@code backfill},
         * {@code retention}, {@code reservoir-deleted}, {@code emptied}.
         */
        public String wire() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }

        public static Reason ofWire(String text) {
            return valueOf(text.toUpperCase(Locale.ROOT).replace('-', '_'));
        }
    }

    /** The partition written. */
    public HourPartition partition() {
        return new HourPartition(eventType, date, hour);
    }

    public String key() {
        return tier + (reservoir == null ? "" : "/" + reservoir) + "/" + eventType + "/" + date + "/"
                + (hour < 10 ? "0" : "") + hour;
    }

    public byte[] toJson() {
        ObjectNode node = JSON.createObjectNode();
        node.put("tier", tier);
        if (reservoir != null) {
            node.put("reservoir", reservoir);
        }
        node.put("event_type", eventType);
        node.put("date", date.toString());
        node.put("hour", hour);
        ArrayNode keys = node.putArray("objects");
        objects.forEach(keys::add);
        node.put("rows", rows);
        node.put("reason", reason.wire());
        return JSON.writeValueAsBytes(node);
    }

    public static PartitionNotice fromJson(byte[] value) {
        try {
            JsonNode node = JSON.readTree(value);
            List<String> objects = new ArrayList<>();
            node.path("objects").forEach(key -> objects.add(key.asString()));
            return new PartitionNotice(node.required("tier").asString(),
                    node.hasNonNull("reservoir") ? node.get("reservoir").asString() : null,
                    node.required("event_type").asString(), LocalDate.parse(node.required("date").asString()),
                    node.required("hour").asInt(), objects, node.path("rows").asLong(),
                    Reason.ofWire(node.required("reason").asString()));
        } catch (RuntimeException e) { // JacksonException included
            throw new IllegalArgumentException("not a partition notice: " + new String(value, StandardCharsets.UTF_8), e);
        }
    }
}
