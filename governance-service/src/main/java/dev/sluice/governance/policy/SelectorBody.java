package dev.sluice.governance.policy;

import dev.sluice.core.policy.Selector;
import jakarta.validation.constraints.NotBlank;

/**
 * A selector in a request: {@code {"kind": "field", "event_type": "message_sent", "path": "sender_id"}},
 * {@code {"kind": "tag", "tag": "PII"}}, {@code {"kind": "table", "event_type": ...}} or {@code {"kind": "all"}}.
 */
public record SelectorBody(@NotBlank String kind, String eventType, String path, String tag) {

    public Selector toSelector() {
        return switch (kind) {
            case "field" -> new Selector.Field(required(eventType, "event_type"), required(path, "path"));
            case "tag" -> new Selector.Tag(required(tag, "tag"));
            case "table" -> new Selector.Table(required(eventType, "event_type"));
            case "all" -> new Selector.All();
            default -> throw new IllegalArgumentException("selector kind must be field, tag, table or all, not '" + kind + "'");
        };
    }

    private static String required(String value, String name) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("this selector needs its " + name);
        }
        return value;
    }
}
