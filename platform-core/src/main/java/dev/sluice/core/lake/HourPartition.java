package dev.sluice.core.lake;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * One hour (UTC, by event time) of one event type: the unit the lake is partitioned by. Its key,
 * {@code <event_type>/<yyyy-MM-dd>/<HH>}, names it on {@code lake.dirty-hours}, in the datapump's bookkeeping and in
 * the jobs' arguments; its path, {@code events/<event_type>/date=<yyyy-MM-dd>/hour=<HH>}, is where it lives under a
 * tier's root (see {@link LakeLayout}).
 */
public record HourPartition(String eventType, LocalDate date, int hour) implements Comparable<HourPartition> {

    /** What an event type may be called in keys and paths (a topic-name suffix that Avro names also fit). */
    private static final Pattern EVENT_TYPE = Pattern.compile("[A-Za-z0-9_.-]+");

    public HourPartition {
        Objects.requireNonNull(eventType, "eventType");
        Objects.requireNonNull(date, "date");
        if (!EVENT_TYPE.matcher(eventType).matches()) {
            throw new IllegalArgumentException("not an event type (letters, digits, _ . -): '" + eventType + "'");
        }
        if (hour < 0 || hour > 23) {
            throw new IllegalArgumentException("hour must be 0..23: " + hour);
        }
    }

    /** The hour of the event type that starts at {@code hourStart}. */
    public static HourPartition of(String eventType, Instant hourStart) {
        if (!hourStart.truncatedTo(ChronoUnit.HOURS).equals(hourStart)) {
            throw new IllegalArgumentException("not the start of an hour: " + hourStart);
        }
        var utc = hourStart.atOffset(ZoneOffset.UTC);
        return new HourPartition(eventType, utc.toLocalDate(), utc.getHour());
    }

    /** The hour of the event type that holds {@code eventTime}. */
    public static HourPartition holding(String eventType, Instant eventTime) {
        return of(eventType, eventTime.truncatedTo(ChronoUnit.HOURS));
    }

    public Instant start() {
        return date.atTime(hour, 0).toInstant(ZoneOffset.UTC);
    }

    /** {@code <event_type>/<yyyy-MM-dd>/<HH>}. */
    public String key() {
        return eventType + '/' + date + '/' + twoDigits(hour);
    }

    /** Reads a {@link #key()}; anything else is refused with the reason. */
    public static HourPartition parseKey(String key) {
        String[] parts = key.trim().split("/", -1);
        if (parts.length != 3 || parts[2].length() != 2) {
            throw new IllegalArgumentException("not an hour key <type>/<yyyy-MM-dd>/<HH>: '" + key + "'");
        }
        HourPartition partition;
        try {
            partition = new HourPartition(parts[0], LocalDate.parse(parts[1]), Integer.parseInt(parts[2]));
        } catch (DateTimeException | IllegalArgumentException e) {
            throw new IllegalArgumentException("not an hour key <type>/<yyyy-MM-dd>/<HH>: '" + key + "'", e);
        }
        if (!partition.key().equals(key.trim())) {
            throw new IllegalArgumentException("not an hour key <type>/<yyyy-MM-dd>/<HH>: '" + key + "'");
        }
        return partition;
    }

    /** {@code events/<event_type>/date=<yyyy-MM-dd>/hour=<HH>}, relative to a tier's (or a reservoir's) root. */
    public String path() {
        return LakeLayout.EVENTS + '/' + eventType + "/date=" + date + "/hour=" + twoDigits(hour);
    }

    static String twoDigits(int hour) {
        return (hour < 10 ? "0" : "") + hour;
    }

    @Override
    public int compareTo(HourPartition other) {
        int byType = eventType.compareTo(other.eventType);
        if (byType != 0) {
            return byType;
        }
        int byDate = date.compareTo(other.date);
        return byDate != 0 ? byDate : Integer.compare(hour, other.hour);
    }

    @Override
    public String toString() {
        return key();
    }
}
