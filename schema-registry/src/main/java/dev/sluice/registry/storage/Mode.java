package dev.sluice.registry.storage;

import java.util.Locale;
import java.util.Optional;

/** Registry-wide mode: READONLY refuses every change except setting the mode back. */
public enum Mode {
    READWRITE, READONLY;

    public static Optional<Mode> parse(String text) {
        if (text == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(valueOf(text.strip().toUpperCase(Locale.ROOT)));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
