package dev.sluice.datapump.schedule;

import dev.sluice.core.lake.DirtyHour;
import dev.sluice.core.lake.HourPartition;
import dev.sluice.datapump.DatapumpProperties;
import dev.sluice.core.jobs.ReservoirTask;
import dev.sluice.datapump.launch.LakeJobs;
import dev.sluice.datapump.reservoirs.ReservoirPlanner;
import dev.sluice.datapump.runs.RunStore;
import dev.sluice.spring.jobs.JobRun;
import dev.sluice.spring.jobs.JobRunStore;
import dev.sluice.spring.jobs.RunningJob;
import dev.sluice.spring.jobs.WriterLease;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The datapump's scheduling, one turn at a time on the service's guarded loop: takes the dirty-hour notices the
 * listener container has read (the compacted topic from its start, then as they come), keeps track of which hours
 * wait and which are due, runs the dump job on the due ones, and records each run and each hour's last dump, so
 * that a restart dumps exactly the hours that landed more since their last dump. When no hour is due, it runs the
 * reservoir job on the work its {@link ReservoirPlanner} has waiting. One run at a time, of either job: the Spark
 * job itself is the parallel part, and tier zero goes first, since the reservoirs follow it.
 *
 * <p>A failed run's hours (or work) are tried again after a backoff that grows per failure. A turn that throws
 * (Cassandra unreachable) is retried by the loop after its backoff; notices read meanwhile are kept, not lost.
 */
public final class Pump {

    private static final Logger log = LoggerFactory.getLogger(Pump.class);

    private final DatapumpProperties properties;
    private final Supplier<RunStore> storeOpener;
    private final LakeJobs launcher;
    private final Clock clock;
    private final HourTracker tracker = new HourTracker();
    private final ConcurrentLinkedQueue<DirtyHour> incoming = new ConcurrentLinkedQueue<>();
    private final List<DirtyHour> unresolved = new ArrayList<>();
    private final MeterRegistry meters;
    private final Timer runTime;
    private volatile List<HourTracker.Pending> pendingView = List.of();
    private volatile RunStore store;
    private volatile ActiveRun active;
    private WriterLease lease;
    private Instant leaseRenewed = Instant.MIN;
    private String waitingFor;

    private final ReservoirPlanner reservoirs;

    /** @param covers (dump) what each hour's dump covers; @param batch (reservoir) the work */
    private record ActiveRun(JobRun run, RunningJob process, Map<String, Instant> covers, ReservoirPlanner.Batch batch) {
    }

    public Pump(DatapumpProperties properties, Supplier<RunStore> storeOpener, LakeJobs launcher,
            ReservoirPlanner reservoirs, MeterRegistry meters, Clock clock) {
        this.properties = properties;
        this.reservoirs = reservoirs;
        this.storeOpener = storeOpener;
        this.launcher = launcher;
        this.meters = meters;
        this.clock = clock;
        this.runTime = Timer.builder("datapump.run").description("How long runs of the dump job take")
                .publishPercentiles(0.5, 0.99).register(meters);
        meters.gauge("datapump.hours.pending", this, pump -> pump.pendingView.size());
        meters.gauge("datapump.run.active", this, pump -> pump.active == null ? 0 : 1);
    }

    /** A notice read from the topic (by the listener container's thread). */
    public void offer(DirtyHour hour) {
        incoming.add(hour);
    }

    /** One turn: new notices, the active run's end, and a new run when hours are due. */
    public void turn() {
        if (store == null) {
            RunStore opened = storeOpener.get();
            opened.runs().abandonRunning(clock.instant(), "the datapump stopped during the run");
            reservoirs.open(opened.reservoirs(properties.keyspace()));
            lease = opened.tierZeroLease(properties.keyspace(), properties.writerLease());
            store = opened;
        }
        for (DirtyHour hour = incoming.poll(); hour != null; hour = incoming.poll()) {
            unresolved.add(hour);
        }
        resolve();
        reservoirs.turn();
        if (active != null && finish(active)) {
            active = null;
        }
        renewLease();
        if (active == null) {
            List<HourTracker.Pending> due = tracker.due(clock.instant(), properties.quiet(), properties.maxDelay(),
                    properties.maxHoursPerRun());
            if (due.isEmpty() || !launch(due)) { // the reservoirs need no lease: they run while an erasure holds it
                reservoirs.next().ifPresent(this::launch);
            }
        }
        pendingView = List.copyOf(tracker.pending());
    }

    /** Looks up the last dump of hours seen for the first time, then lets the tracker see their notices. */
    private void resolve() {
        Set<String> unknown = new LinkedHashSet<>();
        unresolved.stream().map(DirtyHour::key).filter(key -> !tracker.knows(key)).forEach(unknown::add);
        if (!unknown.isEmpty()) {
            store.covered(unknown).forEach(tracker::known);
        }
        unresolved.forEach(tracker::notice);
        unresolved.clear();
    }

    /** @return whether the run started (or was tried); false when an erasure holds tier zero's lease */
    private boolean launch(List<HourTracker.Pending> due) {
        Instant now = clock.instant();
        String id = JobRunStore.newRunId(now);
        Optional<String> holder = lease.acquire(holder(id), now);
        if (holder.isPresent()) {
            if (!holder.get().equals(waitingFor)) {
                log.info("{} hours wait: tier zero's writer lease is held by {}", due.size(), holder.get());
                waitingFor = holder.get();
            }
            return false; // an erasure rewrites tier zero: the hours are dumped after it
        }
        waitingFor = null;
        leaseRenewed = now;
        List<String> hours = due.stream().map(HourTracker.Pending::key).toList();
        int attempt = 1 + due.stream().mapToInt(HourTracker.Pending::failures).max().orElse(0);
        JobRun run = new JobRun(id, JobRun.Kind.DUMP, JobRun.State.RUNNING, hours, null, attempt, now, null, null, null,
                launcher.log(id).toString());
        store.runs().save(run);
        Map<String, Instant> covers = tracker.started(due);
        try {
            active = new ActiveRun(run, launcher.startDump(id, hours.stream().map(HourPartition::parseKey).toList(), now), covers,
                    null);
            log.info("run {} started: {} hours, attempt {}", id, hours.size(), attempt);
        } catch (IOException | RuntimeException e) {
            ended(new ActiveRun(run, null, covers, null), null, "the job could not be started: " + e);
        }
        return true;
    }

    private void launch(ReservoirPlanner.Batch batch) {
        Instant now = clock.instant();
        String id = JobRunStore.newRunId(now);
        JobRun run = new JobRun(id, JobRun.Kind.RESERVOIR, JobRun.State.RUNNING, null,
                batch.tasks().stream().map(ReservoirTask::toArg).toList(), reservoirs.attempt(batch), now, null, null, null,
                launcher.log(id).toString());
        store.runs().save(run);
        try {
            active = new ActiveRun(run, launcher.startReservoirs(id, batch.tasks(), now), null, batch);
            log.info("reservoir run {} started: {} tasks, attempt {}", id, batch.tasks().size(), run.attempt());
        } catch (IOException | RuntimeException e) {
            ended(new ActiveRun(run, null, null, batch), null, "the job could not be started: " + e);
        }
    }

    /** @return whether the active run is over (and recorded) */
    private boolean finish(ActiveRun run) {
        Optional<RunningJob.Outcome> outcome = run.process().poll(clock.instant());
        outcome.ifPresent(ended -> ended(run, ended.exitCode(), ended.error()));
        return outcome.isPresent();
    }

    private void ended(ActiveRun active, Integer exit, String error) {
        if (active.batch() != null) {
            reservoirEnded(active.run(), active.batch(), exit, error);
            return;
        }
        JobRun run = active.run();
        Map<String, Instant> covers = active.covers();
        Instant now = clock.instant();
        lease.release(holder(run.id()));
        if (error == null) {
            store.dumped(run.id(), covers, now);
            store.runs().save(run.finish(JobRun.State.SUCCEEDED, now, exit, null));
            tracker.succeeded(covers);
            Counter.builder("datapump.hours.dumped").register(meters).increment(covers.size());
            log.info("run {} succeeded: {} hours", run.id(), covers.size());
        } else {
            tracker.failed(covers.keySet(), now, properties.backoff().toBackoff()::after);
            store.runs().save(run.finish(JobRun.State.FAILED, now, exit, error));
            log.warn("run {} failed ({} hours): {}", run.id(), covers.size(), error);
        }
        Counter.builder("datapump.runs").tag("job", "dump").tag("outcome", error == null ? "succeeded" : "failed")
                .register(meters).increment();
        runTime.record(Duration.between(run.started(), now));
    }

    private void reservoirEnded(JobRun run, ReservoirPlanner.Batch batch, Integer exit, String error) {
        Instant now = clock.instant();
        if (error == null) {
            reservoirs.succeeded(batch);
            store.runs().save(run.finish(JobRun.State.SUCCEEDED, now, exit, null));
            log.info("reservoir run {} succeeded: {} tasks", run.id(), batch.tasks().size());
        } else {
            reservoirs.failed(batch);
            store.runs().save(run.finish(JobRun.State.FAILED, now, exit, error));
            log.warn("reservoir run {} failed ({} tasks): {}", run.id(), batch.tasks().size(), error);
        }
        Counter.builder("datapump.runs").tag("job", "reservoir").tag("outcome", error == null ? "succeeded" : "failed")
                .register(meters).increment();
        runTime.record(Duration.between(run.started(), now));
    }

    private static String holder(String runId) {
        return "datapump dump run " + runId;
    }

    /** While a dump runs, its lease is renewed a few times within its time to live. */
    private void renewLease() {
        ActiveRun run = active;
        Instant now = clock.instant();
        if (run != null && run.batch() == null && now.isAfter(leaseRenewed.plus(properties.writerLease().dividedBy(4)))) {
            if (!lease.renew(holder(run.run().id()), now)) {
                log.warn("run {} lost tier zero's writer lease (Cassandra unreachable longer than {}?)", run.run().id(),
                        properties.writerLease());
            }
            leaseRenewed = now;
        }
    }

    /** At shutdown: the active run's hours are not recorded as dumped (nor its work as done); the next start redoes them. */
    public void stop() {
        ActiveRun run = active;
        if (run != null) {
            run.process().stop();
            if (run.batch() == null && lease != null) {
                lease.release(holder(run.run().id()));
            }
        }
    }

    /** The hours waiting for a dump, as of the last turn. */
    public List<HourTracker.Pending> pending() {
        return pendingView;
    }

    /** The reservoir work not done yet. */
    public ReservoirPlanner reservoirs() {
        return reservoirs;
    }

    /** The run store, once open (null before). */
    public RunStore store() {
        return store;
    }
}
