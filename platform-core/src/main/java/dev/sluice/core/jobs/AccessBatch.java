package dev.sluice.core.jobs;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.core.privacy.EntityRef;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The requests one run of the access job serves, as the privacy-requests service resolved them, and what the job
 * answers ({@link Result}). Both are JSON in the exports bucket (see {@link AccessJobArguments}).
 *
 * @param retention how long each store keeps data, as the manifest of every export states it
 */
public record AccessBatch(String run, List<Request> requests, Map<String, String> retention) {

    private static final ObjectMapper JSON = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    public AccessBatch {
        Objects.requireNonNull(run, "run");
        requests = List.copyOf(requests);
        retention = retention == null ? Map.of() : Map.copyOf(retention);
    }

    public static String batchKey(String run) {
        return "_batches/" + run + ".json";
    }

    public static String resultKey(String run) {
        return "_batches/" + run + ".result.json";
    }

    /** Where a request's zip goes in the exports bucket. */
    public static String exportKey(String requestId) {
        return "access/" + requestId + ".zip";
    }

    /**
     * One request.
     *
     * @param entities the subject and the entities linked to it that the export covers (the subject first)
     * @param partitions per event type, the hours the index names ({@code yyyy-MM-dd/HH})
     * @param scans per event type, hours the index does not cover, to be read whole within a range
     * @param received when the request was received (ISO-8601), for the manifest
     */
    public record Request(String id, EntityRef subject, String reference, String received, List<EntityRef> entities,
            Map<String, List<String>> partitions, List<Scan> scans) {

        public Request {
            entities = List.copyOf(entities);
            partitions = partitions == null ? Map.of() : Map.copyOf(partitions);
            scans = scans == null ? List.of() : List.copyOf(scans);
        }
    }

    /**
     * Every partition of an event type from {@code from} (inclusive) to {@code to} (exclusive), ISO-8601 instants:
     * the index's fallback when it cannot answer for those hours.
     */
    public record Scan(String eventType, String from, String to, String why) {
    }

    /**
     * What a run did.
     *
     * @param partitionsRead every tier-zero partition the run read (each once), {@code type/yyyy-MM-dd/HH}
     * @param requests per request id: its rows per event type, the partitions it used, the zip's key and size
     */
    public record Result(String run, List<String> partitionsRead, Map<String, RequestResult> requests) {

        public Result {
            partitionsRead = List.copyOf(partitionsRead);
            requests = Map.copyOf(requests);
        }
    }

    /**
     * @param partitions the tier-zero partitions the request's rows were looked for in ({@code type/yyyy-MM-dd/HH})
     * @param missing partitions the index names that tier zero does not have (yet: the dump follows the landing by
     *        up to the datapump's max delay)
     */
    public record RequestResult(Map<String, Long> rows, List<String> partitions, List<String> missing, String exportKey,
            long bytes) {

        public RequestResult {
            partitions = List.copyOf(partitions);
            missing = missing == null ? List.of() : List.copyOf(missing);
        }
    }

    public byte[] toJson() {
        return write(this);
    }

    public static AccessBatch parse(byte[] json) {
        return read(json, AccessBatch.class);
    }

    public static byte[] write(Object value) {
        try {
            return JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    public static <T> T read(byte[] json, Class<T> type) {
        try {
            return JSON.readValue(json, type);
        } catch (IOException e) {
            throw new UncheckedIOException("not a " + type.getSimpleName() + ": " + e.getMessage(), e);
        }
    }
}
