package dev.sluice.core.privacy;

/** The custom Avro field properties that carry privacy meaning (DESIGN.md, "Privacy annotations"). */
public final class PrivacyAnnotations {

    public static final String ENTITY = "sluice.entity";
    public static final String LINKED_TO = "sluice.linked_to";
    public static final String TAGS = "sluice.tags";
    /** Confluent's data-contract tags, read as tags too. */
    public static final String CONFLUENT_TAGS = "confluent:tags";
    public static final String ON_ERASURE = "sluice.on_erasure";
    public static final String EVENT_TIME = "sluice.event_time";

    /** The tag that makes a field personal data without a subject entity. */
    public static final String PII = "PII";
    /** The field every event schema has: the event id, Kafka key and dedup key. */
    public static final String EVENT_ID_FIELD = "id";

    private PrivacyAnnotations() {
    }
}
