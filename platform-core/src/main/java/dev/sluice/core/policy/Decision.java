package dev.sluice.core.policy;

/**
 * A column's action and why.
 *
 * @param path the column's dotted path ({@code address.city}), or an internal column ({@code _sluice_event_id})
 */
public record Decision(String path, Action action, Basis basis) {

    /** What decided: a grant, a rule, the default for the column's kind of data, or the fixed internal treatment. */
    public record Basis(Kind kind, String id, String text) {

        public enum Kind { GRANT, RULE, DEFAULT, INTERNAL }

        @Override
        public String toString() {
            return kind + (id == null ? "" : " " + id) + ": " + text;
        }
    }
}
