package dev.sluice.core.topics;

import java.util.Optional;

/** Default topic names of DESIGN.md and the subject naming the registry and serde agree on (TopicNameStrategy). */
public final class Topics {

    public static final String RAW = "events.raw";
    public static final String VALID_PREFIX = "events.valid.";
    public static final String REJECTED = "events.rejected";
    public static final String VALID_DEAD_LETTERS = "events.valid.dlt";
    public static final String DIRTY_HOURS = "lake.dirty-hours";
    public static final String PARTITIONS = "lake.partitions";
    public static final String GOVERNANCE_CHANGES = "governance.changes";

    private Topics() {
    }

    /** {@code events.valid.<eventType>}. */
    public static String valid(String eventType) {
        return VALID_PREFIX + eventType;
    }

    /** The registry subject of a topic's record values: {@code <topic>-value}. */
    public static String valueSubject(String topic) {
        return topic + "-value";
    }

    /** The registry subject of a topic's record keys: {@code <topic>-key}. */
    public static String keySubject(String topic) {
        return topic + "-key";
    }

    /** {@code events.valid.<eventType>-value}: the subject of an event type's schema. */
    public static String eventSubject(String eventType) {
        return valueSubject(valid(eventType));
    }

    /** The event type of an {@code events.valid.<type>-value} subject. */
    public static Optional<String> eventTypeOfSubject(String subject) {
        String suffix = "-value";
        if (subject.startsWith(VALID_PREFIX) && subject.endsWith(suffix)
                && subject.length() > VALID_PREFIX.length() + suffix.length()) {
            return Optional.of(subject.substring(VALID_PREFIX.length(), subject.length() - suffix.length()));
        }
        return Optional.empty();
    }
}
