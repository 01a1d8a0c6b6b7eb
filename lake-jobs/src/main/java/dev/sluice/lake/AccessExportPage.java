package dev.sluice.lake;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The {@code index.html} of an access export: what the zip holds, for a person without tools. One self-contained
 * page (no script, no external resource): the request, the data categories and retention, then per event type the
 * description of its fields and the events as a table. Every value is HTML-escaped.
 */
final class AccessExportPage {

    private static final ObjectMapper JSON = new ObjectMapper();

    private AccessExportPage() {
    }

    static String html(ObjectNode manifest, Map<String, List<String>> rows, Map<String, ArrayNode> fields) {
        StringBuilder page = new StringBuilder();
        page.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>Your data: ")
                .append(escape(manifest.path("request_id").asText())).append("</title>\n<style>")
                .append("body{font-family:sans-serif;margin:2em;max-width:80em}table{border-collapse:collapse;margin:1em 0}")
                .append("td,th{border:1px solid #999;padding:.3em .5em;text-align:left;vertical-align:top}")
                .append("th{background:#eee}code{font-size:.9em}</style></head><body>\n");
        JsonNode subject = manifest.path("subject");
        page.append("<h1>Your data</h1>\n<p>Request <code>").append(escape(manifest.path("request_id").asText()))
                .append("</code>, received ").append(escape(manifest.path("received").asText()))
                .append(", generated ").append(escape(manifest.path("generated_at").asText())).append(".</p>\n")
                .append("<p>Subject: <strong>").append(escape(subject.path("entity_type").asText())).append(" ")
                .append(escape(subject.path("id").asText())).append("</strong>");
        if (manifest.path("linked_entities").size() > 0) {
            page.append("; also covered, as linked to the subject:");
            for (JsonNode linked : manifest.path("linked_entities")) {
                page.append(" ").append(escape(linked.path("entity_type").asText())).append(" ")
                        .append(escape(linked.path("id").asText()));
            }
        }
        page.append(".</p>\n<h2>Summary</h2>\n<table><tr><th>Event type</th><th>Events</th></tr>\n");
        manifest.path("event_types").fields().forEachRemaining(type -> page.append("<tr><td><a href=\"#")
                .append(escape(type.getKey())).append("\">").append(escape(type.getKey())).append("</a></td><td>")
                .append(type.getValue().asLong()).append("</td></tr>\n"));
        page.append("</table>\n<p>Categories of data: ").append(escape(join(manifest.path("categories")))).append("</p>\n")
                .append("<h2>How long each store keeps data</h2>\n<table><tr><th>Store</th><th>Retention</th></tr>\n");
        manifest.path("retention").fields().forEachRemaining(store -> page.append("<tr><td>").append(escape(store.getKey()))
                .append("</td><td>").append(escape(store.getValue().asText())).append("</td></tr>\n"));
        page.append("</table>\n");
        for (Map.Entry<String, List<String>> type : new TreeMap<>(rows).entrySet()) {
            page.append("<h2 id=\"").append(escape(type.getKey())).append("\">").append(escape(type.getKey()))
                    .append("</h2>\n<h3>Fields</h3>\n<table><tr><th>Field</th><th>Type</th><th>Description</th>")
                    .append("<th>Identifies</th><th>Tags</th><th>Personal data</th></tr>\n");
            for (JsonNode field : fields.getOrDefault(type.getKey(), JSON.createArrayNode())) {
                page.append("<tr><td><code>").append(escape(field.path("field").asText())).append("</code></td><td>")
                        .append(escape(field.path("type").asText())).append("</td><td>")
                        .append(escape(field.path("description").asText())).append("</td><td>")
                        .append(escape(field.path("identifies").asText())).append("</td><td>")
                        .append(escape(join(field.path("tags")))).append("</td><td>")
                        .append(field.path("personal_data").asBoolean() ? "yes" : "no").append("</td></tr>\n");
            }
            page.append("</table>\n<h3>Events</h3>\n");
            List<JsonNode> events = new ArrayList<>();
            Set<String> columns = new LinkedHashSet<>();
            for (String line : type.getValue()) {
                JsonNode event = read(line);
                events.add(event);
                event.fieldNames().forEachRemaining(columns::add);
            }
            page.append("<table><tr>");
            columns.forEach(column -> page.append("<th>").append(escape(column)).append("</th>"));
            page.append("</tr>\n");
            for (JsonNode event : events) {
                page.append("<tr>");
                for (String column : columns) {
                    JsonNode value = event.path(column);
                    page.append("<td>").append(escape(value.isMissingNode() ? "" : value.isValueNode() ? value.asText()
                            : value.toString())).append("</td>");
                }
                page.append("</tr>\n");
            }
            page.append("</table>\n");
        }
        page.append("<p>The same data, for programs: <code>events/&lt;type&gt;.jsonl</code>, "
                + "<code>fields/&lt;type&gt;.json</code> and <code>manifest.json</code> in this archive.</p>\n"
                + "</body></html>\n");
        return page.toString();
    }

    private static String join(JsonNode array) {
        List<String> values = new ArrayList<>();
        for (Iterator<JsonNode> elements = array.elements(); elements.hasNext(); ) {
            values.add(elements.next().asText());
        }
        return values.isEmpty() ? "none" : String.join(", ", values);
    }

    private static JsonNode read(String json) {
        try {
            return JSON.readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String escape(String text) {
        StringBuilder escaped = new StringBuilder(text.length());
        for (char c : text.toCharArray()) {
            switch (c) {
                case '<' -> escaped.append("&lt;");
                case '>' -> escaped.append("&gt;");
                case '&' -> escaped.append("&amp;");
                case '"' -> escaped.append("&quot;");
                case '\'' -> escaped.append("&#39;");
                default -> escaped.append(c);
            }
        }
        return escaped.toString();
    }
}
