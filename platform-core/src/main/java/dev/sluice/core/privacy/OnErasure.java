package dev.sluice.core.privacy;

import java.util.Locale;
import java.util.Optional;

/** What an erasure does to an event that names the erased subject in a field: the {@code sluice.on_erasure} values. */
public enum OnErasure {
    /** The whole event is removed. Default for the first subject field of a record. */
    DROP_EVENT,
    /** The value is replaced and the event stays (the other party of a message who did not ask to be forgotten). */
    REDACT;

    public String annotationValue() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<OnErasure> fromAnnotation(String value) {
        for (OnErasure candidate : values()) {
            if (candidate.annotationValue().equals(value)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }
}
