package dev.sluice.privacy.access;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.core.jobs.AccessBatch;
import dev.sluice.core.privacy.EntityRef;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * What a request covers, as resolved from the index and the relations: the entities (the subject first, then those
 * linked to it within the configured depth), the hours of each event type the index names for them, and the scans
 * of hours the index cannot answer for. Saved with the request (a retry from a later step reuses it).
 */
public record Scope(List<EntityRef> entities, Map<String, List<String>> partitions, List<AccessBatch.Scan> scans) {

    private static final ObjectMapper JSON = new ObjectMapper();

    public Scope {
        entities = List.copyOf(entities);
        partitions = Map.copyOf(partitions);
        scans = List.copyOf(scans);
    }

    /** As saved with the request. */
    public String toJson() {
        try {
            return JSON.writeValueAsString(this);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    public static Scope fromJson(String json) {
        try {
            return JSON.readValue(json, Scope.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a saved scope cannot be read: " + e.getMessage(), e);
        }
    }

    /** This scope's entities, with the partitions and scans of both. */
    public Scope union(Scope other) {
        Map<String, Set<String>> hours = new TreeMap<>();
        for (Scope scope : List.of(this, other)) {
            scope.partitions().forEach((type, keys) -> hours.computeIfAbsent(type, t -> new TreeSet<>()).addAll(keys));
        }
        Map<String, List<String>> merged = new TreeMap<>();
        hours.forEach((type, keys) -> merged.put(type, new ArrayList<>(keys)));
        List<AccessBatch.Scan> allScans = new ArrayList<>(scans);
        other.scans().stream().filter(scan -> !allScans.contains(scan)).forEach(allScans::add);
        return new Scope(entities, merged, allScans);
    }

    public int partitionCount() {
        return partitions.values().stream().mapToInt(List::size).sum();
    }

    /** What the scope step found, for the request's progress. */
    public String describe() {
        StringBuilder text = new StringBuilder().append(entities.size()).append(entities.size() == 1 ? " entity" : " entities")
                .append(" (").append(String.join(", ", entities.stream().limit(10).map(EntityRef::toString).toList()))
                .append(entities.size() > 10 ? ", …" : "").append("); ").append(partitionCount())
                .append(" partitions of ").append(partitions.size()).append(" event types from the index");
        if (!scans.isEmpty()) {
            text.append("; the index does not cover ");
            text.append(String.join(", ", scans.stream().map(scan -> scan.eventType() + " from " + scan.from() + " to "
                    + scan.to()).toList())).append(": those hours are scanned");
        }
        return text.toString();
    }
}
