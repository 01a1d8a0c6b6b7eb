package dev.sluice.console.web;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Selectors as people read them and as the governance API takes them. A stored grant's selector comes back without
 * its kind ({@code {"event_type", "path"}} for a field, {@code {"tag"}}, {@code {"event_type"}} for a table,
 * {@code {}} for all); a form names it in one value, {@code field:<event type>:<path>} or {@code tag:<tag>}.
 */
final class Selectors {

    private Selectors() {
    }

    /** The request body's selector for a form value. */
    static Map<String, Object> fromForm(String value) {
        String[] parts = Pages.required(value, "the column or tag").split(":", 3);
        Map<String, Object> selector = new LinkedHashMap<>();
        switch (parts[0]) {
            case "field" -> {
                if (parts.length != 3) {
                    throw new IllegalArgumentException("a column is field:<event type>:<path>, not " + value);
                }
                selector.put("kind", "field");
                selector.put("event_type", parts[1]);
                selector.put("path", parts[2]);
            }
            case "tag" -> {
                if (parts.length != 2) {
                    throw new IllegalArgumentException("a tag is tag:<tag>, not " + value);
                }
                selector.put("kind", "tag");
                selector.put("tag", parts[1]);
            }
            case "table" -> {
                selector.put("kind", "table");
                selector.put("event_type", parts.length > 1 ? parts[1] : "");
            }
            case "all" -> selector.put("kind", "all");
            default -> throw new IllegalArgumentException("choose a column or a tag, not " + value);
        }
        return selector;
    }

    /** A stored selector for people: {@code message_sent.sender_id}, {@code tag PII}, {@code table message_sent}. */
    static String describe(Map<String, Object> selector) {
        Object type = selector.get("event_type");
        if (selector.get("path") != null) {
            return type + "." + selector.get("path");
        }
        if (selector.get("tag") != null) {
            return "tag " + selector.get("tag");
        }
        return type != null ? "table " + type : "all columns";
    }

    /** Whether a column of an event type's policy is one the selector names (or encloses). */
    @SuppressWarnings("unchecked")
    static boolean covers(Map<String, Object> selector, String eventType, Map<String, Object> column) {
        Object type = selector.get("event_type");
        Object path = selector.get("path");
        String columnPath = String.valueOf(column.get("path"));
        if (path != null) {
            return eventType.equals(type) && (columnPath.equals(path) || columnPath.startsWith(path + "."));
        }
        if (selector.get("tag") != null) {
            return column.get("tags") instanceof List<?> tags && ((List<Object>) tags).contains(selector.get("tag"));
        }
        return type == null || eventType.equals(type);
    }
}
