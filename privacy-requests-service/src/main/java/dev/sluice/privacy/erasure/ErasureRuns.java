package dev.sluice.privacy.erasure;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.servererrors.InvalidQueryException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.core.jobs.AccessBatch;
import dev.sluice.core.jobs.ErasureBatch;
import dev.sluice.core.jobs.ErasureJobArguments;
import dev.sluice.core.privacy.EntityRef;
import dev.sluice.privacy.PrivacyProperties;
import dev.sluice.privacy.access.Exports;
import dev.sluice.privacy.access.Scope;
import dev.sluice.privacy.access.ScopeResolver;
import dev.sluice.privacy.index.EntityIndex;
import dev.sluice.privacy.requests.PrivacyRequest;
import dev.sluice.privacy.requests.Requests;
import dev.sluice.spring.jobs.JobLauncher;
import dev.sluice.spring.jobs.JobRun;
import dev.sluice.spring.jobs.JobRunStore;
import dev.sluice.spring.jobs.RunningJob;
import dev.sluice.spring.jobs.WriterLease;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The erasure requests, one turn at a time on the service's request loop (after the access requests' turn, which
 * re-queues whatever a stopped start left RUNNING):
 * <ol>
 *   <li>{@code forget}: every newly queued request's subject goes on the forget-list at once, before anything else;</li>
 *   <li>a batch is due (size or age, and the forget-list had {@code propagation} to reach dedup and the indexer) and
 *       tier zero's writer lease is free ({@link WriterLease}: no dump writes while the rewrite does, and every dump
 *       after it erases the forget-list's subjects again): the scope of each (the subject
 *       itself, from the index, plus scans where it cannot answer) and one <b>rewrite</b> run of the erasure job
 *       ({@code tier-zero}: rewrite, legal hold, landing rows, notices);</li>
 *   <li>{@code downstream}, here: the subject's index entries and relations, and its earlier access exports, deleted;
 *       the report saved; the request queued again for the verification;</li>
 *   <li>{@code verify}: a <b>verify</b> run scans tier zero, landing and every reservoir; while a reservoir partition
 *       has not been recomputed since the rewrite the request waits ({@code verify-every}, up to
 *       {@code reservoir-wait}); a count above 0 in any store fails it (retry starts again at {@code tier-zero}); all
 *       0 completes it.</li>
 * </ol>
 * One run at a time; the access and erasure runs share the launcher's runs table.
 */
public final class ErasureRuns {

    private static final Logger log = LoggerFactory.getLogger(ErasureRuns.class);
    static final String ERASURE_JOB = "dev.sluice.lake.ErasureJob";
    /** The resource of tier zero's writer lease (the datapump's dumps take it too). */
    static final String TIER_ZERO = "tier-zero";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Requests requests;
    private final Supplier<ScopeResolver> scopes;
    private final Exports exports;
    private final JobLauncher launcher;
    private final Supplier<JobRunStore> runs;
    private final Supplier<ForgetLists> forgetLists;
    private final Supplier<EntityIndex> index;
    private final Supplier<CqlSession> session;
    private WriterLease lease;
    private boolean leaseMissing;
    private Instant leaseLookedFor = Instant.MIN;
    private Instant leaseRenewed = Instant.MIN;
    private final PrivacyProperties properties;
    private final Connections connections;
    private final MeterRegistry meters;
    private final Clock clock;
    private final Map<String, Instant> nextVerify = new HashMap<>();
    private Active active;
    private String waitingFor;

    /** The forget-list cannot be written: no master key to hash the subject with. */
    public static final class MissingKey extends RuntimeException {
        public MissingKey(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** Where the job reaches Cassandra and Kafka (the service's own when the job settings leave them empty). */
    public record Connections(String cassandra, String datacenter, String kafka) {
    }

    private record Active(JobRun run, RunningJob job, ErasureBatch.Mode mode, List<PrivacyRequest> requests) {
    }

    public ErasureRuns(Requests requests, Supplier<ScopeResolver> scopes, Exports exports, JobLauncher launcher,
            Supplier<JobRunStore> runs, Supplier<ForgetLists> forgetLists, Supplier<EntityIndex> index,
            Supplier<CqlSession> session, PrivacyProperties properties, Connections connections, MeterRegistry meters,
            Clock clock) {
        this.requests = requests;
        this.scopes = scopes;
        this.exports = exports;
        this.launcher = launcher;
        this.runs = runs;
        this.forgetLists = forgetLists;
        this.index = index;
        this.session = session;
        this.properties = properties;
        this.connections = connections;
        this.meters = meters;
        this.clock = clock;
    }

    public synchronized void turn() {
        renewLease();
        if (active != null) {
            Optional<RunningJob.Outcome> outcome = active.job().poll(clock.instant());
            if (outcome.isEmpty()) {
                return;
            }
            ended(active, outcome.get());
            active = null;
        }
        List<PrivacyRequest> queued = new ArrayList<>();
        for (PrivacyRequest request : requests.queued(PrivacyRequest.Type.ERASURE)) {
            if (request.done().contains("forget")) {
                queued.add(request);
            } else {
                forget(request).ifPresent(queued::add);
            }
        }
        Instant now = clock.instant();
        int size = properties.requests().batchSize();
        List<PrivacyRequest> verifying = queued.stream()
                .filter(r -> r.done().contains("downstream") && !r.done().contains("verify"))
                .filter(r -> !nextVerify.getOrDefault(r.id(), Instant.MIN).isAfter(now)).limit(size).toList();
        if (!verifying.isEmpty()) {
            launch(ErasureBatch.Mode.VERIFY, verifying);
            return;
        }
        List<PrivacyRequest> rewriting = queued.stream()
                .filter(r -> r.done().contains("forget") && !r.done().contains("tier-zero"))
                .filter(r -> !r.stepTimes().get("forget").plus(properties.erasure().propagation()).isAfter(now))
                .sorted(Comparator.comparing(PrivacyRequest::updated)).toList();
        if (rewriting.isEmpty()) {
            return;
        }
        boolean due = rewriting.size() >= size
                || !rewriting.get(0).updated().plus(properties.requests().batchEvery()).isAfter(now);
        if (!due) {
            return;
        }
        launch(ErasureBatch.Mode.REWRITE, rewriting.subList(0, Math.min(size, rewriting.size())));
    }

    /**
     * Tier zero's writer lease, or null while its table does not exist (no datapump: no dump to keep out; looked for
     * again every minute, the datapump may come later).
     */
    private WriterLease lease() {
        Instant now = clock.instant();
        if (lease == null && !now.isBefore(leaseLookedFor.plusSeconds(60))) {
            leaseLookedFor = now;
            PrivacyProperties.Erasure erasure = properties.erasure();
            try {
                lease = new WriterLease(session.get(), erasure.writerLeaseTable(), TIER_ZERO, erasure.writerLease());
            } catch (InvalidQueryException e) {
                if (!leaseMissing) {
                    log.warn("no writer lease table {} ({}): erasures rewrite tier zero without waiting for dumps",
                            erasure.writerLeaseTable(), e.getMessage());
                }
                leaseMissing = true;
            }
        }
        return lease;
    }

    private static String holder(String runId) {
        return "privacy-requests erasure run " + runId;
    }

    private void renewLease() {
        Instant now = clock.instant();
        if (active != null && active.mode() == ErasureBatch.Mode.REWRITE && lease != null
                && now.isAfter(leaseRenewed.plus(properties.erasure().writerLease().dividedBy(4)))) {
            if (!lease.renew(holder(active.run().id()), now)) {
                log.warn("erasure run {} lost tier zero's writer lease", active.run().id());
            }
            leaseRenewed = now;
        }
    }

    /** The request with its subject on the forget-list; empty when it failed at that (no master key). */
    private Optional<PrivacyRequest> forget(PrivacyRequest request) {
        String entry;
        try {
            entry = forgetLists.get().add(request.subject(), clock.instant());
        } catch (MissingKey e) {
            requests.fail(request, "forget", e.getMessage());
            return Optional.empty();
        }
        return Optional.of(requests.step(request, "forget", "on the forget-list as keyed hash " + entry.substring(0, 12) + "… (Cassandra "
                + "forget_list and topic " + properties.erasure().forgottenTopic() + "): dedup, the indexer and the dump "
                + "drop the subject's events from now on"));
    }

    private void launch(ErasureBatch.Mode mode, List<PrivacyRequest> batch) {
        Instant now = clock.instant();
        String runId = JobRunStore.newRunId(now);
        if (mode == ErasureBatch.Mode.REWRITE && lease() != null) {
            Optional<String> holder = lease.acquire(holder(runId), now);
            if (holder.isPresent()) {
                if (!holder.get().equals(waitingFor)) {
                    log.info("{} erasures wait: tier zero's writer lease is held by {}", batch.size(), holder.get());
                    waitingFor = holder.get();
                }
                return; // a dump writes tier zero: the rewrite comes after it, and later dumps erase the subjects
            }
            waitingFor = null;
            leaseRenewed = now;
        }
        List<ErasureBatch.Request> specs = new ArrayList<>();
        List<PrivacyRequest> serving = new ArrayList<>();
        for (PrivacyRequest request : batch) {
            Scope scope;
            try {
                scope = scope(request, mode);
            } catch (ScopeResolver.TooLarge e) {
                requests.fail(request, "scope", e.getMessage());
                continue;
            }
            if (!request.done().contains("scope")) {
                request = requests.step(request, "scope", scope.describe());
            }
            specs.add(new ErasureBatch.Request(request.id(), request.subject(), scope.partitions(), scope.scans()));
            serving.add(request);
        }
        if (serving.isEmpty()) {
            releaseLease(mode, runId);
            return;
        }
        exports.put(ErasureBatch.batchKey(runId), new ErasureBatch(runId, mode, specs).toJson());
        JobRun run = new JobRun(runId, JobRun.Kind.ERASURE, JobRun.State.RUNNING, List.of(mode.name()),
                serving.stream().map(PrivacyRequest::id).toList(), 1, now, null, null, null, launcher.log(runId).toString());
        runs.get().save(run);
        List<PrivacyRequest> running = new ArrayList<>();
        serving.forEach(request -> running.add(requests.running(request, runId)));
        PrivacyProperties.Job job = properties.job();
        ErasureJobArguments arguments = new ErasureJobArguments(job.lake(), job.tierOne(), properties.jobExports(), job.legalHold(),
                job.registryUrl(), connections.cassandra(), connections.datacenter(), job.keyspace(), connections.kafka(),
                job.partitionsTopic(), job.changesTopic(), runId, null);
        try {
            RunningJob started = launcher.start(runId, ERASURE_JOB, arguments.toArgs(),
                    arguments.withMaster(launcher.localMaster()).toArgs(), now);
            active = new Active(run, started, mode, running);
            log.info("erasure run {} ({}) started: {} requests", runId, mode, running.size());
        } catch (IOException | RuntimeException e) {
            ended(new Active(run, null, mode, running), new RunningJob.Outcome(null, "the job could not be started: " + e));
        }
    }

    /**
     * The subject's partitions now, united with those saved by an earlier attempt: after a failed verification the
     * index may name hours an event slipped into before the forget-list reached the indexer.
     */
    private Scope scope(PrivacyRequest request, ErasureBatch.Mode mode) {
        Optional<Scope> saved = requests.store().scope(request.id()).map(Scope::fromJson);
        if (mode == ErasureBatch.Mode.VERIFY && saved.isPresent()) {
            return saved.get();
        }
        Scope resolved = scopes.get().resolve(request.subject());
        Scope scope = saved.map(old -> old.union(resolved)).orElse(resolved);
        requests.store().saveScope(request.id(), scope.toJson());
        return scope;
    }

    private void ended(Active run, RunningJob.Outcome outcome) {
        Instant now = clock.instant();
        String error = outcome.error();
        Map<String, ErasureBatch.RequestResult> results = new LinkedHashMap<>();
        if (outcome.succeeded()) {
            Optional<byte[]> result = exports.get(ErasureBatch.resultKey(run.run().id()));
            if (result.isEmpty()) {
                error = "the job ended without writing its result " + ErasureBatch.resultKey(run.run().id());
            } else {
                results.putAll(AccessBatch.read(result.get(), ErasureBatch.Result.class).requests());
            }
        }
        String step = run.mode() == ErasureBatch.Mode.REWRITE ? "tier-zero" : "verify";
        for (PrivacyRequest request : run.requests()) {
            ErasureBatch.RequestResult result = results.get(request.id());
            if (error != null || result == null) {
                requests.fail(request, step, error != null ? error : "the run's result has nothing for the request");
            } else if (run.mode() == ErasureBatch.Mode.REWRITE) {
                rewritten(request, run.run().id(), result, now);
            } else {
                verified(request, run.run().id(), result, now);
            }
        }
        releaseLease(run.mode(), run.run().id());
        exports.delete(ErasureBatch.batchKey(run.run().id())); // both name the subjects
        exports.delete(ErasureBatch.resultKey(run.run().id()));
        runs.get().save(run.run().finish(error == null ? JobRun.State.SUCCEEDED : JobRun.State.FAILED, now,
                outcome.exitCode(), error));
        Counter.builder("privacy.erasure.runs").tag("mode", run.mode().name().toLowerCase(java.util.Locale.ROOT))
                .tag("outcome", error == null ? "succeeded" : "failed").register(meters).increment();
    }

    private void releaseLease(ErasureBatch.Mode mode, String runId) {
        if (mode == ErasureBatch.Mode.REWRITE && lease != null) {
            lease.release(holder(runId));
        }
    }

    /** Tier zero is done: the stores this service keeps are cleaned, the report saved, the verification queued. */
    private void rewritten(PrivacyRequest request, String runId, ErasureBatch.RequestResult result, Instant now) {
        PrivacyRequest done = requests.step(request, "tier-zero", result.rewritten().size() + " partitions rewritten, "
                + result.emptied().size() + " emptied; " + result.rowsRemoved() + " events removed, " + result.rowsRedacted()
                + " redacted; legal hold: " + result.legalHoldRows() + " rows in " + result.legalHold().size()
                + " objects; " + result.landingRowsDeleted() + " landing rows deleted");
        EntityRef subject = request.subject();
        EntityIndex.Forgotten forgotten = index.get().forget(subject);
        List<String> deletedExports = new ArrayList<>();
        for (PrivacyRequest other : requests.store().recent(now, properties.requests().listMonths())) {
            if (other.type() == PrivacyRequest.Type.ACCESS && other.subject().equals(subject) && other.exportKey() != null
                    && exports.exists(other.exportKey())) {
                exports.delete(other.exportKey());
                deletedExports.add(other.exportKey());
            }
        }
        done = requests.step(done, "downstream", forgotten.entries() + " index entries and " + forgotten.linked().size()
                + " relations deleted, " + deletedExports.size() + " access exports deleted; the reservoirs recompute "
                + "from the erasure notices");
        ObjectNode report = JSON.createObjectNode();
        report.put("request_id", request.id());
        report.set("subject", JSON.createObjectNode().put("entity_type", subject.type()).put("id", subject.id()));
        ObjectNode tierZero = report.putObject("tier_zero");
        tierZero.put("run", runId);
        result.rewritten().forEach(tierZero.putArray("partitions_rewritten")::add);
        result.emptied().forEach(tierZero.putArray("partitions_emptied")::add);
        tierZero.put("rows_removed", result.rowsRemoved()).put("rows_redacted", result.rowsRedacted())
                .put("bytes_rewritten", result.bytesRewritten());
        ObjectNode hold = report.putObject("legal_hold");
        hold.put("root", properties.job().legalHold() + "/" + ErasureBatch.legalHoldPrefix(request.id()));
        hold.put("rows", result.legalHoldRows());
        result.legalHold().forEach(hold.putArray("objects")::add);
        report.putObject("landing").put("rows_deleted", result.landingRowsDeleted());
        report.putObject("index").put("entries_deleted", forgotten.entries());
        ObjectNode relations = report.putObject("relations").put("deleted", forgotten.linked().size());
        ArrayNode formerly = relations.putArray("formerly_linked");
        forgotten.linked().forEach(entity -> formerly.addObject().put("entity_type", entity.type()).put("id", entity.id()));
        deletedExports.forEach(report.putObject("exports").putArray("deleted")::add);
        report.putObject("reservoirs").put("how", "recomputed by the datapump from the rewritten tier zero (notices of "
                + "reason erasure); their earlier versions deleted");
        saveReport(request.id(), report);
        requests.requeue(done, "tier zero rewritten in run " + runId + "; waits for the reservoirs to be recomputed, "
                + "then the verification");
        nextVerify.put(request.id(), now.plus(properties.erasure().verifyEvery()));
        log.info("erasure {}: tier zero rewritten ({} partitions), index and relations deleted", request.id(),
                result.rewritten().size() + result.emptied().size());
    }

    private void verified(PrivacyRequest request, String runId, ErasureBatch.RequestResult result, Instant now) {
        ObjectNode report = (ObjectNode) report(request);
        List<EntityRef> formerly = new ArrayList<>();
        report.path("relations").path("formerly_linked").forEach(node -> formerly.add(new EntityRef(
                node.path("entity_type").asText(), node.path("id").asText())));
        EntityIndex.Left left = index.get().remaining(request.subject(), formerly);
        long exportsLeft = 0;
        for (JsonNode key : report.path("exports").path("deleted")) {
            exportsLeft += exports.exists(key.asText()) ? 1 : 0;
        }
        Map<String, Long> counts = new TreeMap<>(result.counts());
        counts.put("index", left.entries());
        counts.put("relations", left.relations());
        counts.put("exports", exportsLeft);
        ObjectNode verification = report.putObject("verification");
        verification.put("run", runId).put("at", now.toString());
        ObjectNode countNode = verification.putObject("counts");
        counts.forEach(countNode::put);
        verification.put("partitions_scanned", result.checked().size());
        result.pending().forEach(verification.putArray("pending")::add);
        result.found().forEach(verification.putArray("found")::add);
        Map<String, Long> found = new TreeMap<>();
        counts.forEach((store, count) -> {
            if (count > 0) {
                found.put(store, count);
            }
        });
        Instant rewritten = request.stepTimes().getOrDefault("tier-zero", now);
        if (!found.isEmpty()) {
            verification.put("result", "failed");
            saveReport(request.id(), report);
            requests.fail(request, "tier-zero", "the verification found the subject in " + found + " (" + String.join(", ",
                    result.found().stream().limit(5).toList()) + (result.found().size() > 5 ? ", …" : "")
                    + "); retry the request to rewrite again");
        } else if (!result.pending().isEmpty()) {
            boolean late = now.isAfter(rewritten.plus(properties.erasure().reservoirWait()));
            verification.put("result", late ? "failed" : "waiting");
            saveReport(request.id(), report);
            if (late) {
                requests.fail(request, "verify", result.pending().size() + " reservoir partitions were not recomputed "
                        + "within " + properties.erasure().reservoirWait() + " of the rewrite (" + String.join(", ",
                        result.pending().stream().limit(5).toList()) + "): retry once the datapump has caught up");
            } else {
                requests.requeue(request, "verified so far; " + result.pending().size() + " reservoir partitions are "
                        + "not recomputed yet: verified again in " + properties.erasure().verifyEvery());
                nextVerify.put(request.id(), now.plus(properties.erasure().verifyEvery()));
            }
        } else {
            verification.put("result", "passed");
            saveReport(request.id(), report);
            PrivacyRequest done = requests.step(request, "verify", "0 occurrences of the subject in clear or hashed, in "
                    + result.checked().size() + " partitions of tier zero and the reservoirs, landing, the index, the "
                    + "relations and the exports");
            requests.complete(done, null);
            nextVerify.remove(request.id());
            log.info("erasure {} completed and verified", request.id());
        }
    }

    /** The request's report as saved ({} when none is). */
    public JsonNode report(PrivacyRequest request) {
        return requests.store().report(request.id()).map(ErasureRuns::readTree).orElseGet(JSON::createObjectNode);
    }

    private void saveReport(String id, ObjectNode report) {
        try {
            requests.store().saveReport(id, JSON.writerWithDefaultPrettyPrinter().writeValueAsString(report));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static JsonNode readTree(String json) {
        try {
            return JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a saved report cannot be read: " + e.getMessage(), e);
        }
    }

    public synchronized void stop() {
        if (active != null && active.job() != null) {
            active.job().stop();
            releaseLease(active.mode(), active.run().id());
        }
    }
}
