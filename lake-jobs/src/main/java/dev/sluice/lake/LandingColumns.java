package dev.sluice.lake;

/**
 * Columns the tier-zero dump adds to every event's own fields, prefixed so as not to collide with them. (To do: the
 * dump should refuse an event schema that declares a field with this prefix, or the registry's contract should.)
 */
final class LandingColumns {
    static final String EVENT_ID = "_sluice_event_id";
    static final String SCHEMA_ID = "_sluice_schema_id";
    static final String EVENT_TIME = "_sluice_event_time";
    static final String LANDING_TIME = "_sluice_landing_time";

    private LandingColumns() {
    }
}
