package dev.sluice.core.lake;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Objects;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * A notice on {@code lake.dirty-hours} that events landed in one hour (UTC, by event time) of one event type, so the
 * hour's tier-zero partition must be (re)computed. The topic is compacted by key {@code <event_type>/<yyyy-MM-dd>/<HH>}:
 * a reader sees at least the latest notice of every hour.
 *
 * @param eventType the event type
 * @param hourStart the start of the hour, UTC
 * @param lastLandingTime when the newest of the events landed (the writer's acknowledged write)
 * @param events how many events landed in the hour with this notice (not a running total)
 */
public record DirtyHour(String eventType, Instant hourStart, Instant lastLandingTime, long events) {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    public DirtyHour {
        Objects.requireNonNull(eventType, "eventType");
        if (!hourStart.truncatedTo(ChronoUnit.HOURS).equals(hourStart)) {
            throw new IllegalArgumentException("not the start of an hour: " + hourStart);
        }
    }

    /** The hour that holds {@code eventTime}. */
    public static Instant hourOf(Instant eventTime) {
        return eventTime.truncatedTo(ChronoUnit.HOURS);
    }

    public LocalDate date() {
        return LocalDate.ofInstant(hourStart, ZoneOffset.UTC);
    }

    public int hour() {
        return hourStart.atOffset(ZoneOffset.UTC).getHour();
    }

    /** The hour's partition of the lake. */
    public HourPartition partition() {
        return HourPartition.of(eventType, hourStart);
    }

    /** {@code <event_type>/<yyyy-MM-dd>/<HH>}, the record key on {@code lake.dirty-hours} ({@link HourPartition#key()}). */
    public String key() {
        return partition().key();
    }

    /** The value: {@code {"event_type", "date", "hour", "last_landing_time", "events"}}. */
    public byte[] toJson() {
        ObjectNode node = JSON.createObjectNode();
        node.put("event_type", eventType);
        node.put("date", date().toString());
        node.put("hour", hour());
        node.put("last_landing_time", lastLandingTime.toString());
        node.put("events", events);
        return JSON.writeValueAsBytes(node);
    }

    /** Reads a value written by {@link #toJson}. */
    public static DirtyHour fromJson(byte[] value) {
        try {
            JsonNode node = JSON.readTree(value);
            Instant hourStart = LocalDate.parse(node.required("date").asString())
                    .atTime(node.required("hour").asInt(), 0).toInstant(ZoneOffset.UTC);
            return new DirtyHour(node.required("event_type").asString(), hourStart,
                    Instant.parse(node.required("last_landing_time").asString()), node.path("events").asLong());
        } catch (RuntimeException e) { // JacksonException included
            throw new IllegalArgumentException("not a dirty-hour notice: "
                    + new String(value, StandardCharsets.UTF_8), e);
        }
    }
}
