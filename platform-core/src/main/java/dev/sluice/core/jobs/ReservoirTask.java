package dev.sluice.core.jobs;

import dev.sluice.core.lake.PartitionNotice;
import java.time.LocalDate;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * One piece of work of the reservoir job: publish an event type of a reservoir from tier zero over a range of days
 * (or one hour), delete the partitions of a reservoir older than a day (retention), or delete a reservoir's data.
 *
 * @param hour one hour of {@code from} (a tier-zero notice's partition), or null for every hour of the days
 * @param reservoir the reservoir; {@value #TIER_ZERO} for tier zero's retention
 * @param reason why a publish task is there: {@code new}, {@code late-events}, {@code erasure} (a tier-zero partition
 *        was written or rewritten), {@code policy-change} (the reservoir's policy changed), {@code backfill} (a new
 *        reservoir)
 */
public record ReservoirTask(Kind kind, String reservoir, String eventType, LocalDate from, LocalDate to, Integer hour,
        PartitionNotice.Reason reason) {

    public enum Kind {
        /** Recompute the reservoir's partitions of the event type from tier zero. */
        PUBLISH,
        /** Delete the reservoir's partitions dated before {@code from}. */
        RETENTION,
        /** Delete everything of the reservoir. */
        DELETE,
        /** Delete tier zero's partitions dated before {@code from} (tier zero's own retention; no reservoir). */
        TIER_ZERO_RETENTION
    }

    /** The reservoir field of a tier-zero task. */
    public static final String TIER_ZERO = "-";

    private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9_]{0,63}");
    private static final Pattern TYPE = Pattern.compile("[A-Za-z0-9_.-]+");

    public ReservoirTask {
        Objects.requireNonNull(kind, "kind");
        if (kind == Kind.TIER_ZERO_RETENTION) {
            reservoir = TIER_ZERO;
        } else if (reservoir == null || !NAME.matcher(reservoir).matches()) {
            throw new IllegalArgumentException("not a reservoir name: '" + reservoir + "'");
        }
        if (kind == Kind.PUBLISH) {
            if (eventType == null || !TYPE.matcher(eventType).matches() || from == null || to == null || to.isBefore(from)) {
                throw new IllegalArgumentException("a publish task needs an event type and a range of days");
            }
            if (hour != null && (hour < 0 || hour > 23 || !from.equals(to))) {
                throw new IllegalArgumentException("an hour of a publish task is one hour of one day");
            }
            Objects.requireNonNull(reason, "reason");
        }
        if (kind == Kind.RETENTION || kind == Kind.TIER_ZERO_RETENTION) {
            Objects.requireNonNull(from, "the first day kept");
        }
    }

    public static ReservoirTask hour(String reservoir, String eventType, LocalDate date, int hour, PartitionNotice.Reason reason) {
        return new ReservoirTask(Kind.PUBLISH, reservoir, eventType, date, date, hour, reason);
    }

    public static ReservoirTask days(String reservoir, String eventType, LocalDate from, LocalDate to,
            PartitionNotice.Reason reason) {
        return new ReservoirTask(Kind.PUBLISH, reservoir, eventType, from, to, null, reason);
    }

    public static ReservoirTask retention(String reservoir, LocalDate firstDayKept) {
        return new ReservoirTask(Kind.RETENTION, reservoir, null, firstDayKept, null, null, null);
    }

    public static ReservoirTask delete(String reservoir) {
        return new ReservoirTask(Kind.DELETE, reservoir, null, null, null, null, null);
    }

    public static ReservoirTask tierZeroRetention(LocalDate firstDayKept) {
        return new ReservoirTask(Kind.TIER_ZERO_RETENTION, TIER_ZERO, null, firstDayKept, null, null, null);
    }

    /** The task without its reason: two tasks with the same key do the same work. */
    public String key() {
        return String.join(":", kind.name().toLowerCase(), reservoir, text(eventType), text(from), text(to),
                hour == null ? "-" : Integer.toString(hour));
    }

    /** {@code publish:marketing:page_viewed:2026-11-01:2026-11-30:-:policy-change}, and so on: one argument. */
    public String toArg() {
        return key() + ":" + (reason == null ? "-" : reason.wire());
    }

    public static ReservoirTask parse(String arg) {
        String[] parts = arg.split(":", -1);
        if (parts.length != 7) {
            throw new IllegalArgumentException("not a reservoir task kind:reservoir:type:from:to:hour:reason: '" + arg + "'");
        }
        try {
            return new ReservoirTask(Kind.valueOf(parts[0].toUpperCase(java.util.Locale.ROOT)), parts[1], value(parts[2]),
                    value(parts[3]) == null ? null : LocalDate.parse(parts[3]),
                    value(parts[4]) == null ? null : LocalDate.parse(parts[4]),
                    value(parts[5]) == null ? null : Integer.valueOf(parts[5]),
                    value(parts[6]) == null ? null : PartitionNotice.Reason.ofWire(parts[6]));
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("not a reservoir task: '" + arg + "' (" + e.getMessage() + ")", e);
        }
    }

    private static String text(Object value) {
        return value == null ? "-" : value.toString();
    }

    private static String value(String part) {
        return part.equals("-") ? null : part;
    }
}
