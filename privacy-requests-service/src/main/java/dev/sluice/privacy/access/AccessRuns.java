package dev.sluice.privacy.access;

import dev.sluice.core.jobs.AccessBatch;
import dev.sluice.core.jobs.AccessJobArguments;
import dev.sluice.privacy.PrivacyProperties;
import dev.sluice.privacy.requests.PrivacyRequest;
import dev.sluice.privacy.requests.Requests;
import dev.sluice.spring.jobs.JobLauncher;
import dev.sluice.spring.jobs.JobRun;
import dev.sluice.spring.jobs.JobRunStore;
import dev.sluice.spring.jobs.RunningJob;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The access requests' scheduling, one turn at a time on the service's guarded loop: when enough requests are
 * queued ({@code batch-size}) or the oldest has waited {@code batch-every}, it resolves each one's scope (unless a
 * retry kept it), writes the batch's spec to the exports bucket, and starts one run of the access job for all of
 * them through the platform's {@link JobLauncher}; when the run ends, each request is completed with its export or
 * failed at its step. One run at a time. Requests and runs left RUNNING by an earlier start are queued again.
 */
public final class AccessRuns {

    private static final Logger log = LoggerFactory.getLogger(AccessRuns.class);
    static final String ACCESS_JOB = "dev.sluice.lake.AccessJob";

    private final Requests requests;
    private final Supplier<ScopeResolver> scopes;
    private final Exports exports;
    private final JobLauncher launcher;
    private final Supplier<JobRunStore> runs;
    private final PrivacyProperties properties;
    private final MeterRegistry meters;
    private final Clock clock;
    private boolean recovered;
    private Active active;

    private record Active(JobRun run, RunningJob job, List<PrivacyRequest> requests) {
    }

    public AccessRuns(Requests requests, Supplier<ScopeResolver> scopes, Exports exports, JobLauncher launcher,
            Supplier<JobRunStore> runs, PrivacyProperties properties, MeterRegistry meters, Clock clock) {
        this.requests = requests;
        this.scopes = scopes;
        this.exports = exports;
        this.launcher = launcher;
        this.runs = runs;
        this.properties = properties;
        this.meters = meters;
        this.clock = clock;
    }

    /** One turn: the active run's end, or a new run when a batch is due. */
    public synchronized void turn() {
        if (!recovered) {
            runs.get().abandonRunning(clock.instant(), "the privacy-requests service stopped during the run");
            for (PrivacyRequest request : requests.running()) {
                requests.requeue(request, "the service stopped during run " + request.runId() + "; queued again");
            }
            recovered = true;
        }
        if (active != null) {
            Optional<RunningJob.Outcome> outcome = active.job().poll(clock.instant());
            if (outcome.isEmpty()) {
                return;
            }
            ended(active, outcome.get());
            active = null;
        }
        List<PrivacyRequest> queued = requests.queued(PrivacyRequest.Type.ACCESS);
        if (queued.isEmpty()) {
            return;
        }
        PrivacyProperties.Requests settings = properties.requests();
        boolean due = queued.size() >= settings.batchSize()
                || !queued.get(0).updated().plus(settings.batchEvery()).isAfter(clock.instant());
        if (due) {
            launch(queued.subList(0, Math.min(queued.size(), settings.batchSize())));
        }
    }

    private void launch(List<PrivacyRequest> batch) {
        Instant now = clock.instant();
        String runId = JobRunStore.newRunId(now);
        List<AccessBatch.Request> specs = new ArrayList<>();
        List<PrivacyRequest> serving = new ArrayList<>();
        for (PrivacyRequest request : batch) {
            Scope scope;
            try {
                scope = scope(request);
            } catch (ScopeResolver.TooLarge e) {
                requests.fail(request, "scope", e.getMessage());
                continue;
            }
            if (!request.done().contains("scope")) {
                request = requests.step(request, "scope", scope.describe());
            }
            specs.add(new AccessBatch.Request(request.id(), request.subject(), request.reference(),
                    request.received().toString(), scope.entities(), scope.partitions(), scope.scans()));
            serving.add(request);
        }
        if (serving.isEmpty()) {
            return;
        }
        AccessBatch spec = new AccessBatch(runId, specs, properties.requests().retention());
        exports.put(AccessBatch.batchKey(runId), spec.toJson());
        JobRun run = new JobRun(runId, JobRun.Kind.ACCESS, JobRun.State.RUNNING, null,
                serving.stream().map(PrivacyRequest::id).toList(), 1, now, null, null, null, launcher.log(runId).toString());
        runs.get().save(run);
        List<PrivacyRequest> running = new ArrayList<>();
        serving.forEach(request -> running.add(requests.running(request, runId)));
        AccessJobArguments arguments = new AccessJobArguments(properties.job().lake(), properties.jobExports(),
                properties.job().registryUrl(), runId, null);
        try {
            RunningJob job = launcher.start(runId, ACCESS_JOB, arguments.toArgs(),
                    arguments.withMaster(launcher.localMaster()).toArgs(), now);
            active = new Active(run, job, running);
            log.info("access run {} started: {} requests", runId, running.size());
        } catch (IOException | RuntimeException e) {
            ended(new Active(run, null, running), new RunningJob.Outcome(null, "the job could not be started: " + e));
        }
    }

    /** The request's saved scope when a retry kept it, else resolved now and saved. */
    private Scope scope(PrivacyRequest request) {
        if (request.done().contains("scope")) {
            Optional<String> saved = requests.store().scope(request.id());
            if (saved.isPresent()) {
                return Scope.fromJson(saved.get());
            }
        }
        Scope scope = scopes.get().resolve(request.subject());
        requests.store().saveScope(request.id(), scope.toJson());
        return scope;
    }

    private void ended(Active run, RunningJob.Outcome outcome) {
        Instant now = clock.instant();
        Map<String, AccessBatch.RequestResult> results = new LinkedHashMap<>();
        int partitionsRead = 0;
        String error = outcome.error();
        if (outcome.succeeded()) {
            Optional<byte[]> result = exports.get(AccessBatch.resultKey(run.run().id()));
            if (result.isEmpty()) {
                error = "the job ended without writing its result " + AccessBatch.resultKey(run.run().id());
            } else {
                AccessBatch.Result read = AccessBatch.read(result.get(), AccessBatch.Result.class);
                results.putAll(read.requests());
                partitionsRead = read.partitionsRead().size();
            }
        }
        for (PrivacyRequest request : run.requests()) {
            AccessBatch.RequestResult result = results.get(request.id());
            if (error != null) {
                requests.fail(request, "extract", error);
            } else if (result == null) {
                requests.fail(request, "export", "the run's result has no export for the request");
            } else if (!result.missing().isEmpty()) {
                requests.fail(request, "extract", "tier zero has no partition yet for " + result.missing().size()
                        + " hours the index names (" + String.join(", ", result.missing().stream().limit(5).toList())
                        + (result.missing().size() > 5 ? ", …" : "") + "): their events have landed but are not dumped "
                        + "yet; retry once the datapump has dumped them");
            } else {
                long events = result.rows().values().stream().mapToLong(Long::longValue).sum();
                PrivacyRequest extracted = requests.step(request, "extract", result.partitions().size()
                        + " tier-zero partitions read, " + events + " events of " + result.rows().size()
                        + " event types " + result.rows());
                PrivacyRequest exported = requests.step(extracted, "export", result.exportKey() + " in bucket "
                        + exports.bucket() + " (" + result.bytes() + " bytes)");
                requests.complete(exported, result.exportKey());
            }
        }
        exports.delete(AccessBatch.batchKey(run.run().id())); // it names the subjects: gone once the run is over
        runs.get().save(run.run().finish(error == null ? JobRun.State.SUCCEEDED : JobRun.State.FAILED, now,
                outcome.exitCode(), error));
        Counter.builder("privacy.access.runs").tag("outcome", error == null ? "succeeded" : "failed").register(meters)
                .increment();
        log.info("access run {} {}: {} requests, {} partitions read", run.run().id(),
                error == null ? "succeeded" : "failed", run.requests().size(), partitionsRead);
    }

    /**
     * Whether the first turn has re-queued what a stopped start left RUNNING (the erasure runs wait for it: that
     * turn abandons every RUNNING run of the shared runs table).
     */
    public synchronized boolean recovered() {
        return recovered;
    }

    /** At shutdown: the active run is stopped; its requests are queued again at the next start. */
    public synchronized void stop() {
        if (active != null && active.job() != null) {
            active.job().stop();
        }
    }

    /** The latest runs (newest first). */
    public List<JobRun> latest(int limit) {
        return runs.get().latest(clock.instant().atOffset(java.time.ZoneOffset.UTC).toLocalDate(), 7, limit);
    }
}
