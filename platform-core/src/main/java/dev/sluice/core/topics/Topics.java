package dev.sluice.core.topics;

import java.time.Duration;
import java.util.Optional;

/**
 * The platform's topics (default names of the design; every name is configurable) with the settings their readers
 * rely on and the one owner that creates each, and the subject naming the registry and serde agree on
 * (TopicNameStrategy).
 *
 * <table>
 * <caption>topics and owners</caption>
 * <tr><th>topic</th><th>owner (creates it)</th><th>kind</th></tr>
 * <tr><td>{@code events.raw}, {@code events.rejected}, {@code events.valid.<type>}</td><td>gatekeeper</td><td>by
 * size (valid topics have no time retention: their timestamps are event times)</td></tr>
 * <tr><td>{@code events.valid.dlt}</td><td>dedup</td><td>kept forever</td></tr>
 * <tr><td>{@code lake.dirty-hours}</td><td>dedup</td><td>compacted</td></tr>
 * <tr><td>{@code lake.partitions}</td><td>datapump</td><td>30 days</td></tr>
 * <tr><td>{@code lake.dlt}</td><td>datapump</td><td>kept forever: malformed records of the {@code lake.*}
 * topics</td></tr>
 * <tr><td>{@code governance.changes}</td><td>governance</td><td>compacted</td></tr>
 * <tr><td>{@code privacy.forgotten}</td><td>privacy-requests</td><td>compacted</td></tr>
 * </table>
 */
public final class Topics {

    public static final String RAW = "events.raw";
    public static final String VALID_PREFIX = "events.valid.";
    public static final String REJECTED = "events.rejected";
    public static final String VALID_DEAD_LETTERS = "events.valid.dlt";
    public static final String DIRTY_HOURS = "lake.dirty-hours";
    public static final String PARTITIONS = "lake.partitions";
    public static final String LAKE_DEAD_LETTERS = "lake.dlt";
    public static final String GOVERNANCE_CHANGES = "governance.changes";
    public static final String FORGOTTEN = "privacy.forgotten";

    /** Owner: dedup. The latest notice per hour is what counts. */
    public static final TopicSpec DIRTY_HOURS_SPEC = TopicSpec.compacted(DIRTY_HOURS);
    /** Owner: dedup. Records of the valid topics that cannot land, unchanged, with the reason in headers. */
    public static final TopicSpec VALID_DEAD_LETTERS_SPEC = TopicSpec.keptForever(VALID_DEAD_LETTERS);
    /** Owner: datapump. Notices are events for several readers (catalog, reservoirs), kept by time. */
    public static final TopicSpec PARTITIONS_SPEC = TopicSpec.retained(PARTITIONS, Duration.ofDays(30));
    /** Owner: datapump. Malformed records of {@code lake.dirty-hours} and {@code lake.partitions}. */
    public static final TopicSpec LAKE_DEAD_LETTERS_SPEC = TopicSpec.keptForever(LAKE_DEAD_LETTERS);
    /** Owner: governance. Each reservoir's full policy snapshot, keyed by reservoir. */
    public static final TopicSpec GOVERNANCE_CHANGES_SPEC = TopicSpec.compacted(GOVERNANCE_CHANGES);
    /** Owner: privacy-requests. The forget-list: keyed hashes of erased subjects. */
    public static final TopicSpec FORGOTTEN_SPEC = TopicSpec.compacted(FORGOTTEN);

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
