package dev.sluice.datapump.schedule;

import dev.sluice.core.lake.DirtyHour;
import dev.sluice.datapump.DatapumpProperties;
import dev.sluice.datapump.launch.JobLauncher;
import dev.sluice.datapump.runs.Run;
import dev.sluice.datapump.runs.RunStore;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The datapump's loop, on one thread: reads every dirty-hour notice (the compacted topic from its start, then as
 * they come), keeps track of which hours wait and which are due, runs the dump job on the due ones — one run at a
 * time, the Spark job itself being the parallel part — and records each run and each hour's last dump, so that a
 * restart dumps exactly the hours that landed more since their last dump.
 *
 * <p>A failed run's hours are tried again after a backoff that doubles per failure. While Cassandra is unreachable
 * the loop waits (with the same kind of backoff) and reports it in {@link #pausedBecause()}; notices read meanwhile
 * are kept, not lost.
 */
public final class PumpLoop implements Runnable {

    private static final Logger log = LoggerFactory.getLogger(PumpLoop.class);

    private final DatapumpProperties properties;
    private final Consumer<byte[], byte[]> consumer;
    private final Supplier<RunStore> storeOpener;
    private final JobLauncher launcher;
    private final Clock clock;
    private final HourTracker tracker = new HourTracker();
    private final List<DirtyHour> unresolved = new ArrayList<>();
    private final MeterRegistry meters;
    private final Timer runTime;
    private volatile boolean running = true;
    private volatile boolean alive = true;
    private volatile String pausedBecause = "starting";
    private volatile boolean caughtUp;
    private volatile List<HourTracker.Pending> pendingView = List.of();
    private RunStore store;
    private ActiveRun active;

    private record ActiveRun(Run run, Process process, Map<String, Instant> covers) {
    }

    public PumpLoop(DatapumpProperties properties, Consumer<byte[], byte[]> consumer, Supplier<RunStore> storeOpener,
            JobLauncher launcher, MeterRegistry meters, Clock clock) {
        this.properties = properties;
        this.consumer = consumer;
        this.storeOpener = storeOpener;
        this.launcher = launcher;
        this.meters = meters;
        this.clock = clock;
        this.runTime = Timer.builder("datapump_run_seconds").description("How long runs of the dump job take")
                .publishPercentiles(0.5, 0.99).register(meters);
        meters.gauge("datapump_hours_pending", this, loop -> loop.pendingView.size());
        meters.gauge("datapump_run_active", this, loop -> loop.active == null ? 0 : 1);
    }

    @Override
    public void run() {
        try {
            List<TopicPartition> partitions = consumer.partitionsFor(properties.dirtyHoursTopic()).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Duration backoff = properties.backoff().initial();
            while (running) {
                try {
                    if (store == null) {
                        store = storeOpener.get();
                        abandonRunsOfAnEarlierStart();
                    }
                    step();
                    pausedBecause = null;
                    backoff = properties.backoff().initial();
                } catch (RuntimeException e) {
                    pausedBecause = String.valueOf(e.getMessage());
                    log.warn("datapump paused for {}: {}", backoff, e.toString());
                    sleep(backoff);
                    backoff = backoff.multipliedBy(2).compareTo(Duration.ofMinutes(1)) > 0
                            ? Duration.ofMinutes(1) : backoff.multipliedBy(2);
                }
            }
        } catch (RuntimeException | Error e) {
            log.error("datapump loop stopped", e);
            throw e;
        } finally {
            alive = false;
            if (active != null) {
                // the run's hours are not recorded as dumped; the next start dumps them again
                active.process().destroy();
            }
            consumer.close(Duration.ofSeconds(5));
        }
    }

    /** One turn: new notices, the active run's end, and a new run when hours are due. */
    private void step() {
        if (unresolved.isEmpty()) {
            var records = consumer.poll(properties.tick());
            for (ConsumerRecord<byte[], byte[]> record : records) {
                if (record.value() != null) {
                    unresolved.add(DirtyHour.fromJson(record.value()));
                }
            }
            caughtUp = caughtUp || records.isEmpty();
        } else {
            sleep(properties.tick());
        }
        resolve();
        if (active != null && finish(active)) {
            active = null;
        }
        if (active == null) {
            List<HourTracker.Pending> due = tracker.due(clock.instant(), properties.quiet(), properties.maxDelay(),
                    properties.maxHoursPerRun());
            if (!due.isEmpty()) {
                launch(due);
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

    private void launch(List<HourTracker.Pending> due) {
        Instant now = clock.instant();
        String id = RunStore.newRunId(now);
        List<String> hours = due.stream().map(HourTracker.Pending::key).toList();
        int attempt = 1 + due.stream().mapToInt(HourTracker.Pending::failures).max().orElse(0);
        Run run = new Run(id, Run.State.RUNNING, hours, attempt, now, null, null, null, launcher.log(id).toString());
        store.save(run);
        Map<String, Instant> covers = tracker.started(due);
        try {
            active = new ActiveRun(run, launcher.start(id, hours), covers);
            log.info("run {} started: {} hours, attempt {}", id, hours.size(), attempt);
        } catch (IOException | RuntimeException e) {
            ended(run, covers, null, "the job could not be started: " + e);
        }
    }

    /** @return whether the active run is over (and recorded) */
    private boolean finish(ActiveRun run) {
        Instant now = clock.instant();
        if (run.process().isAlive()) {
            if (now.isAfter(run.run().started().plus(properties.job().timeout()))) {
                run.process().destroyForcibly();
                waitFor(run.process());
                ended(run.run(), run.covers(), null, "timed out after " + properties.job().timeout());
                return true;
            }
            return false;
        }
        int exit = run.process().exitValue();
        ended(run.run(), run.covers(), exit, exit == 0 ? null : "exit code " + exit + ": " + tail(Path.of(run.run().log())));
        return true;
    }

    private void ended(Run run, Map<String, Instant> covers, Integer exit, String error) {
        Instant now = clock.instant();
        if (error == null) {
            store.dumped(run.id(), covers, now);
            store.save(run.finish(Run.State.SUCCEEDED, now, exit, null));
            tracker.succeeded(covers);
            Counter.builder("datapump_hours_dumped_total").register(meters).increment(covers.size());
            log.info("run {} succeeded: {} hours", run.id(), covers.size());
        } else {
            tracker.failed(covers.keySet(), now, properties.backoff()::after);
            store.save(run.finish(Run.State.FAILED, now, exit, error));
            log.warn("run {} failed ({} hours): {}", run.id(), covers.size(), error);
        }
        Counter.builder("datapump_runs_total").tag("outcome", error == null ? "succeeded" : "failed").register(meters)
                .increment();
        runTime.record(Duration.between(run.started(), now));
    }

    /** Runs still RUNNING were left by a start of this service that stopped; their hours are dumped again. */
    private void abandonRunsOfAnEarlierStart() {
        Instant now = clock.instant();
        for (Run run : store.latest(now.atOffset(ZoneOffset.UTC).toLocalDate(), 2, 1000)) {
            if (run.state() == Run.State.RUNNING) {
                store.save(run.finish(Run.State.ABANDONED, now, null, "the datapump stopped during the run"));
            }
        }
    }

    private static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            String tail = String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
            return tail.length() > 4000 ? tail.substring(tail.length() - 4000) : tail;
        } catch (IOException e) {
            return "(no output: " + e + ")";
        }
    }

    private static void waitFor(Process process) {
        try {
            process.waitFor(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        }
    }

    public void stop() {
        running = false;
    }

    public boolean isAlive() {
        return alive;
    }

    /** Why the loop waits (Cassandra unreachable, ...), or null. */
    public String pausedBecause() {
        return pausedBecause;
    }

    /** Whether the notices that were on the topic at start have all been read. */
    public boolean caughtUp() {
        return caughtUp;
    }

    /** The hours waiting for a dump, as of the last turn. */
    public List<HourTracker.Pending> pending() {
        return pendingView;
    }

    public RunStore store() {
        return store;
    }
}
