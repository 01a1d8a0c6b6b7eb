package dev.sluice.core.jobs;

import dev.sluice.core.privacy.EntityRef;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The erasure requests one run of the erasure job serves, and what the job answers ({@link Result}). JSON in the
 * exports bucket beside the access batches ({@link ErasureJobArguments}); the service deletes both once it has read
 * the result, as they name the subjects.
 *
 * @param mode {@code REWRITE}: tier zero rewritten, the legal-hold copy, landing's rows deleted, notices published;
 *        {@code VERIFY}: tier zero, landing and every reservoir scanned for the subjects
 */
public record ErasureBatch(String run, Mode mode, List<Request> requests) {

    public enum Mode { REWRITE, VERIFY }

    public ErasureBatch {
        Objects.requireNonNull(run, "run");
        Objects.requireNonNull(mode, "mode");
        requests = List.copyOf(requests);
    }

    public static String batchKey(String run) {
        return "_batches/erasure-" + run + ".json";
    }

    public static String resultKey(String run) {
        return "_batches/erasure-" + run + ".result.json";
    }

    /** The legal-hold copy of a request: {@code <request id>/} in the legal-hold bucket. */
    public static String legalHoldPrefix(String requestId) {
        return requestId + "/";
    }

    /**
     * One request.
     *
     * @param partitions per event type, the hours that mention the subject ({@code yyyy-MM-dd/HH}), from the index
     * @param scans per event type, ranges the index cannot answer for, read whole
     */
    public record Request(String id, EntityRef subject, Map<String, List<String>> partitions,
            List<AccessBatch.Scan> scans) {

        public Request {
            Objects.requireNonNull(subject, "subject");
            partitions = partitions == null ? Map.of() : Map.copyOf(partitions);
            scans = scans == null ? List.of() : List.copyOf(scans);
        }
    }

    public record Result(String run, Map<String, RequestResult> requests) {

        public Result {
            requests = Map.copyOf(requests);
        }
    }

    /**
     * What a run did for one request. A rewrite fills the first group, a verification the second.
     *
     * @param rewritten tier-zero partitions rewritten as a new version ({@code type/yyyy-MM-dd/HH})
     * @param emptied tier-zero partitions removed: every row was the subject's
     * @param rowsRemoved events removed (a {@code drop_event} field named the subject)
     * @param rowsRedacted events kept with the subject's id set to null ({@code redact} fields)
     * @param bytesRewritten the size of the new versions written
     * @param legalHold the objects of the legal-hold copy, relative to the legal-hold root
     * @param legalHoldRows the rows in that copy (each removed or changed row once, as it was)
     * @param landingRowsDeleted landing rows of the subject deleted
     * @param checked partitions scanned by a verification ({@code zero/…} or {@code one/<reservoir>/…})
     * @param counts per store, the subject's occurrences found: {@code tier-zero}, {@code landing},
     *        {@code reservoir:<name>:clear}, {@code reservoir:<name>:hashed}
     * @param pending reservoir partitions not recomputed from tier zero's current version yet (the datapump is behind)
     * @param found where a verification found the subject: {@code <store> <partition>: <n> rows}
     */
    public record RequestResult(List<String> rewritten, List<String> emptied, long rowsRemoved, long rowsRedacted,
            long bytesRewritten, List<String> legalHold, long legalHoldRows, long landingRowsDeleted,
            List<String> checked, Map<String, Long> counts, List<String> pending, List<String> found) {

        public RequestResult {
            rewritten = rewritten == null ? List.of() : List.copyOf(rewritten);
            emptied = emptied == null ? List.of() : List.copyOf(emptied);
            legalHold = legalHold == null ? List.of() : List.copyOf(legalHold);
            checked = checked == null ? List.of() : List.copyOf(checked);
            counts = counts == null ? Map.of() : Map.copyOf(counts);
            pending = pending == null ? List.of() : List.copyOf(pending);
            found = found == null ? List.of() : List.copyOf(found);
        }
    }

    public byte[] toJson() {
        return AccessBatch.write(this);
    }

    public static ErasureBatch parse(byte[] json) {
        return AccessBatch.read(json, ErasureBatch.class);
    }
}
