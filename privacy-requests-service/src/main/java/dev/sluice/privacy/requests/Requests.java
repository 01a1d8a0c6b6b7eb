package dev.sluice.privacy.requests;

import dev.sluice.core.privacy.EntityRef;
import dev.sluice.privacy.PrivacyProperties;
import dev.sluice.spring.web.ApiError;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * The lifecycle of the privacy requests: RECEIVED → QUEUED → RUNNING → COMPLETED | FAILED | CANCELED, one open
 * request per subject and type, the legal deadline and its one extension, cancel and retry. Every transition is
 * saved with who made it and when, before anything else is answered.
 */
public final class Requests {

    /** The actor of the transitions the service makes itself. */
    public static final String SERVICE = "privacy-requests-service";

    private final Supplier<RequestStore> stores;
    private final PrivacyProperties.Requests settings;
    private final Set<String> subjectPrefixes;
    private final Clock clock;

    /** @param subjectPrefixes the entity types that identify people: only they can be erased */
    public Requests(Supplier<RequestStore> stores, PrivacyProperties.Requests settings, Set<String> subjectPrefixes,
            Clock clock) {
        this.stores = stores;
        this.settings = settings;
        this.subjectPrefixes = Set.copyOf(subjectPrefixes);
        this.clock = clock;
    }

    /** The store (503 until it is open). */
    public RequestStore store() {
        return stores.get();
    }

    /** Files a request: received, then queued for the next batch. 409 when the subject has an open one of the type. */
    public PrivacyRequest file(String caller, FileRequest body) {
        Instant now = clock.instant();
        EntityRef subject = new EntityRef(body.subject().entityType(), body.subject().id());
        if (body.type() == PrivacyRequest.Type.ERASURE && subjectPrefixes.stream().noneMatch(subject.type()::startsWith)) {
            throw ApiError.badRequest("only a data subject can be erased (entity types " + subjectPrefixes + "), not a "
                    + subject.type() + ": its events are erased with the person they name");
        }
        Instant deadline = now.atOffset(ZoneOffset.UTC).plus(settings.deadline()).toInstant();
        PrivacyRequest request = new PrivacyRequest(UUID.randomUUID().toString(), body.type(), subject,
                body.reference(), PrivacyRequest.Status.RECEIVED, caller, now, deadline, null, now, null, null, null,
                null, null, null);
        store().claimOpen(request).ifPresent(open -> {
            throw ApiError.conflict("the subject " + subject + " has an open " + body.type() + " request: " + open);
        });
        try {
            store().create(request);
            store().transition(request.id(), now, caller, null, PrivacyRequest.Status.RECEIVED, "filed"
                    + (body.reference() == null ? "" : " (reference " + body.reference() + ")"));
        } catch (RuntimeException e) {
            store().releaseOpen(request); // not filed: the subject is not blocked by a request that does not exist
            throw e;
        }
        PrivacyRequest queued = request.with(PrivacyRequest.Status.QUEUED, now);
        store().save(queued);
        store().transition(request.id(), now, SERVICE, PrivacyRequest.Status.RECEIVED, PrivacyRequest.Status.QUEUED,
                "waits for the next batch");
        return queued;
    }

    public PrivacyRequest get(String id) {
        return store().get(id).orElseThrow(() -> ApiError.notFound("no request " + id));
    }

    /** The requests of the last months, newest first; by status, and only the overdue ones if asked. */
    public List<PrivacyRequest> list(PrivacyRequest.Status status, boolean overdue) {
        Instant now = clock.instant();
        return store().recent(now, settings.listMonths()).stream()
                .filter(r -> status == null || r.status() == status)
                .filter(r -> !overdue || r.overdue(now))
                .sorted(Comparator.comparing(PrivacyRequest::received).reversed()).toList();
    }

    /** Whether the request is past its deadline and not over, now. */
    public boolean overdue(PrivacyRequest request) {
        return request.overdue(clock.instant());
    }

    public List<RequestStore.Transition> history(String id) {
        get(id);
        return store().history(id);
    }

    /** Cancels a request that is not running and not over. */
    public PrivacyRequest cancel(String caller, String id) {
        PrivacyRequest request = get(id);
        if (request.status() == PrivacyRequest.Status.RUNNING) {
            throw ApiError.conflict("request " + id + " is RUNNING (run " + request.runId() + "): it can be canceled "
                    + "only before or after a run");
        }
        if (!request.status().open()) {
            throw ApiError.conflict("request " + id + " is " + request.status() + " already");
        }
        if (request.type() == PrivacyRequest.Type.ERASURE && request.done().contains("forget")) {
            throw ApiError.conflict("request " + id + " put its subject on the forget-list already: the subject's events "
                    + "are being dropped, and an erasure is not left half done; it completes");
        }
        Instant now = clock.instant();
        PrivacyRequest canceled = request.with(PrivacyRequest.Status.CANCELED, now);
        store().save(canceled);
        store().transition(id, now, caller, request.status(), PrivacyRequest.Status.CANCELED, "canceled");
        store().releaseOpen(canceled);
        return canceled;
    }

    /** Extends the deadline once, by at most the legal extension, with a reason. */
    public PrivacyRequest extend(String caller, String id, ExtendRequest body) {
        PrivacyRequest request = get(id);
        if (!request.status().open()) {
            throw ApiError.conflict("request " + id + " is " + request.status() + ": its deadline no longer runs");
        }
        if (request.extended()) {
            throw ApiError.conflict("the deadline of request " + id + " was extended already (" + request.extensionReason()
                    + "); it can be extended once");
        }
        if (body.by().isNegative() || body.by().isZero()) {
            throw ApiError.badRequest("by must be a positive period, such as P1M");
        }
        Instant extended = request.deadline().atOffset(ZoneOffset.UTC).plus(body.by()).toInstant();
        Instant limit = request.deadline().atOffset(ZoneOffset.UTC).plus(settings.maxExtension()).toInstant();
        if (extended.isAfter(limit)) {
            throw ApiError.badRequest("a deadline can be extended by " + settings.maxExtension() + " at most, not "
                    + body.by());
        }
        Instant now = clock.instant();
        PrivacyRequest updated = request.extendedTo(extended, body.reason(), now);
        store().save(updated);
        store().transition(id, now, caller, request.status(), request.status(), "deadline extended by " + body.by()
                + " to " + extended + ": " + body.reason());
        return updated;
    }

    /** Queues a FAILED request again; it starts from the step that failed. */
    public PrivacyRequest retry(String caller, String id) {
        PrivacyRequest request = get(id);
        if (request.status() != PrivacyRequest.Status.FAILED) {
            throw ApiError.conflict("request " + id + " is " + request.status() + "; only a FAILED request is retried");
        }
        Instant now = clock.instant();
        PrivacyRequest queued = request.retried(now);
        store().save(queued);
        store().transition(id, now, caller, PrivacyRequest.Status.FAILED, PrivacyRequest.Status.QUEUED,
                "retried from step " + request.failedStep());
        return queued;
    }

    /** The queued requests of a type, oldest first. */
    public List<PrivacyRequest> queued(PrivacyRequest.Type type) {
        return store().recent(clock.instant(), settings.listMonths()).stream()
                .filter(r -> r.status() == PrivacyRequest.Status.QUEUED && r.type() == type)
                .sorted(Comparator.comparing(PrivacyRequest::updated)).toList();
    }

    /** The requests a run serves are RUNNING. */
    public PrivacyRequest running(PrivacyRequest request, String runId) {
        Instant now = clock.instant();
        PrivacyRequest running = request.running(runId, now);
        store().save(running);
        store().transition(request.id(), now, SERVICE, request.status(), PrivacyRequest.Status.RUNNING, "run " + runId);
        return running;
    }

    /** A step is done: what it found or did. */
    public PrivacyRequest step(PrivacyRequest request, String step, String what) {
        PrivacyRequest done = request.step(step, what, clock.instant());
        store().save(done);
        return done;
    }

    public PrivacyRequest fail(PrivacyRequest request, String step, String why) {
        Instant now = clock.instant();
        PrivacyRequest failed = request.failed(step, why, now);
        store().save(failed);
        store().transition(request.id(), now, SERVICE, request.status(), PrivacyRequest.Status.FAILED, "step " + step
                + " failed: " + why);
        return failed;
    }

    public PrivacyRequest complete(PrivacyRequest request, String exportKey) {
        Instant now = clock.instant();
        PrivacyRequest completed = request.completed(exportKey, now);
        store().save(completed);
        store().transition(request.id(), now, SERVICE, request.status(), PrivacyRequest.Status.COMPLETED,
                exportKey == null ? "completed" : "export " + exportKey);
        store().releaseOpen(completed);
        return completed;
    }

    /** A request left RUNNING by a start of the service that stopped is queued again (its run was abandoned). */
    public PrivacyRequest requeue(PrivacyRequest request, String why) {
        Instant now = clock.instant();
        PrivacyRequest queued = request.with(PrivacyRequest.Status.QUEUED, now);
        store().save(queued);
        store().transition(request.id(), now, SERVICE, request.status(), PrivacyRequest.Status.QUEUED, why);
        return queued;
    }

    /** The requests left RUNNING (by a start of the service that stopped). */
    public List<PrivacyRequest> running() {
        return store().recent(clock.instant(), settings.listMonths()).stream()
                .filter(r -> r.status() == PrivacyRequest.Status.RUNNING).toList();
    }
}
