package dev.sluice.core.policy;

import dev.sluice.core.privacy.PrivacyField;
import java.util.Locale;
import java.util.Objects;

/**
 * Which columns a rule or grant is about. The more specific selector wins: a field (the column itself or a record
 * field that encloses it, the deeper the more specific) over a tag over a table (an event type) over all.
 */
public sealed interface Selector {

    /** How specific a kind of selector is: field > tag > table > all. */
    enum Level { ALL, TABLE, TAG, FIELD }

    Level level();

    /**
     * How specifically this selector names the column of this event type: -1 if it does not, else a rank within
     * its level (the path depth for a field selector, 0 otherwise).
     */
    int match(String eventType, PrivacyField column);

    /** A short text for people: {@code field message_sent.user_id}, {@code tag PII}. */
    String describe();

    /** One field of one event type (dotted path); it covers the nested fields of a record field. */
    record Field(String eventType, String path) implements Selector {
        public Field {
            Objects.requireNonNull(eventType, "eventType");
            Objects.requireNonNull(path, "path");
        }

        @Override
        public Level level() {
            return Level.FIELD;
        }

        @Override
        public int match(String type, PrivacyField column) {
            boolean covers = column.path().equals(path) || column.path().startsWith(path + ".");
            return type.equals(eventType) && covers ? path.split("\\.").length : -1;
        }

        @Override
        public String describe() {
            return "field " + eventType + "." + path;
        }
    }

    /** Every column with this classification tag ({@code sluice.tags} or {@code confluent:tags}), in any event type. */
    record Tag(String tag) implements Selector {
        public Tag {
            Objects.requireNonNull(tag, "tag");
        }

        @Override
        public Level level() {
            return Level.TAG;
        }

        @Override
        public int match(String type, PrivacyField column) {
            String wanted = tag.toLowerCase(Locale.ROOT);
            return column.tags().stream().anyMatch(t -> t.toLowerCase(Locale.ROOT).equals(wanted)) ? 0 : -1;
        }

        @Override
        public String describe() {
            return "tag " + tag;
        }
    }

    /** Every column of one event type. */
    record Table(String eventType) implements Selector {
        public Table {
            Objects.requireNonNull(eventType, "eventType");
        }

        @Override
        public Level level() {
            return Level.TABLE;
        }

        @Override
        public int match(String type, PrivacyField column) {
            return type.equals(eventType) ? 0 : -1;
        }

        @Override
        public String describe() {
            return "table " + eventType;
        }
    }

    /** Every column of every event type. */
    record All() implements Selector {
        @Override
        public Level level() {
            return Level.ALL;
        }

        @Override
        public int match(String type, PrivacyField column) {
            return 0;
        }

        @Override
        public String describe() {
            return "all";
        }
    }
}
