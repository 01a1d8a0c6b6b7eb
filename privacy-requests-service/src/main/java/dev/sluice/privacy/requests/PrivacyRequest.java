package dev.sluice.privacy.requests;

import dev.sluice.core.privacy.EntityRef;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * A privacy request as the API shows it.
 *
 * @param subject the data subject (entity type as the schemas annotate it, e.g. {@code user/id}, and id)
 * @param deadline received + the legal period, or later once extended
 * @param extensionReason why the deadline was extended (once at most); null if it was not
 * @param steps what each step found or did, by step: for access {@code scope} (the index and relations),
 *        {@code extract} (tier zero), {@code export} (the exports bucket); for erasure {@link #ERASURE_STEPS}
 * @param stepTimes when each step ended, by step
 * @param failedStep the step that failed (a retry starts there); null unless FAILED
 * @param runId the job run that served it (the last one)
 */
public record PrivacyRequest(String id, Type type, EntityRef subject, String reference, Status status, String filedBy,
        Instant received, Instant deadline, String extensionReason, Instant updated, Map<String, String> steps,
        Map<String, Instant> stepTimes, String failedStep, String error, String runId, String exportKey) {

    public PrivacyRequest {
        steps = steps == null ? Map.of() : new TreeMap<>(steps);
        stepTimes = stepTimes == null ? Map.of() : new TreeMap<>(stepTimes);
    }

    public enum Type {
        /** GDPR Art. 15: a copy of the subject's data. */
        ACCESS,
        /** GDPR Art. 17: the subject's data erased from every store. */
        ERASURE
    }

    public enum Status {
        RECEIVED, QUEUED, RUNNING, COMPLETED, FAILED, CANCELED;

        /** Open requests count as duplicates of a new one for the same subject and type. */
        public boolean open() {
            return this != COMPLETED && this != CANCELED;
        }
    }

    /** The steps of an access request, in order. */
    public static final List<String> ACCESS_STEPS = List.of("scope", "extract", "export");
    /**
     * The steps of an erasure request, in order: {@code forget} (the forget-list), {@code scope} (the index),
     * {@code tier-zero} (rewrite, legal hold, landing), {@code downstream} (index, relations, exports; the reservoirs
     * recompute from the notices), {@code verify} (every store scanned).
     */
    public static final List<String> ERASURE_STEPS = List.of("forget", "scope", "tier-zero", "downstream", "verify");

    /** This request's steps, in order. */
    public List<String> stepNames() {
        return type == Type.ERASURE ? ERASURE_STEPS : ACCESS_STEPS;
    }

    public boolean overdue(Instant now) {
        return status != Status.COMPLETED && status != Status.CANCELED && now.isAfter(deadline);
    }

    public boolean extended() {
        return extensionReason != null;
    }

    PrivacyRequest with(Status newStatus, Instant now) {
        return new PrivacyRequest(id, type, subject, reference, newStatus, filedBy, received, deadline, extensionReason,
                now, steps, stepTimes, failedStep, error, runId, exportKey);
    }

    PrivacyRequest step(String step, String what, Instant now) {
        Map<String, String> newSteps = new TreeMap<>(steps);
        newSteps.put(step, what);
        Map<String, Instant> newTimes = new TreeMap<>(stepTimes);
        newTimes.put(step, now);
        return new PrivacyRequest(id, type, subject, reference, status, filedBy, received, deadline, extensionReason,
                now, newSteps, newTimes, failedStep, error, runId, exportKey);
    }

    PrivacyRequest failed(String step, String why, Instant now) {
        return new PrivacyRequest(id, type, subject, reference, Status.FAILED, filedBy, received, deadline,
                extensionReason, now, steps, stepTimes, step, why, runId, exportKey);
    }

    /** Queued again after a failure: the steps done before the failed one are kept, from it on they are done again. */
    PrivacyRequest retried(Instant now) {
        Map<String, String> kept = new TreeMap<>();
        Map<String, Instant> keptTimes = new TreeMap<>();
        for (String step : stepNames()) {
            if (step.equals(failedStep)) {
                break;
            }
            if (steps.containsKey(step)) {
                kept.put(step, steps.get(step));
                keptTimes.put(step, stepTimes.get(step));
            }
        }
        return new PrivacyRequest(id, type, subject, reference, Status.QUEUED, filedBy, received, deadline,
                extensionReason, now, kept, keptTimes, null, null, runId, exportKey);
    }

    PrivacyRequest running(String run, Instant now) {
        return new PrivacyRequest(id, type, subject, reference, Status.RUNNING, filedBy, received, deadline,
                extensionReason, now, steps, stepTimes, null, null, run, exportKey);
    }

    PrivacyRequest completed(String key, Instant now) {
        return new PrivacyRequest(id, type, subject, reference, Status.COMPLETED, filedBy, received, deadline,
                extensionReason, now, steps, stepTimes, null, null, runId, key);
    }

    PrivacyRequest extendedTo(Instant newDeadline, String reason, Instant now) {
        return new PrivacyRequest(id, type, subject, reference, status, filedBy, received, newDeadline, reason, now,
                steps, stepTimes, failedStep, error, runId, exportKey);
    }

    /** The steps already done (a retry skips them). */
    public Set<String> done() {
        return steps.keySet();
    }
}
