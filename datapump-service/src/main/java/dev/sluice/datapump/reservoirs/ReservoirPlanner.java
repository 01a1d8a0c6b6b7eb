package dev.sluice.datapump.reservoirs;

import dev.sluice.core.jobs.ReservoirTask;
import dev.sluice.core.lake.PartitionNotice;
import dev.sluice.core.policy.Action;
import dev.sluice.core.policy.EffectiveColumns;
import dev.sluice.core.policy.ReservoirPolicy;
import dev.sluice.core.registry.SchemaRegistryClient;
import dev.sluice.core.runtime.Backoff;
import dev.sluice.core.topics.Topics;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the reservoirs need done, decided on the datapump's loop (one thread) and kept in Cassandra until done:
 * <ul>
 * <li>a tier-zero partition written (new, late events, erasure): that hour in every reservoir receiving the type;</li>
 * <li>a key rotation: every type with a hashed column, over the reservoir's retention;</li>
 * <li>a new policy revision, or time passing (a grant's expiry): each event type whose column actions changed
 * ({@link EffectiveColumns}, compared with what was planned last) is recomputed over the reservoir's retention —
 * a grant that flips {@code user_id} in one reservoir recomputes that reservoir's types that have {@code user_id}
 * and nothing else;</li>
 * <li>a new reservoir: every type it receives, backfilled over its retention;</li>
 * <li>a reservoir gone from the change feed: its data deleted (and unregistered by the catalog);</li>
 * <li>daily and at start: each reservoir's partitions past its retention deleted, and tier zero's if it has one.</li>
 * </ul>
 * Planning waits until the whole change feed is read at start: a reservoir missing from a partly read feed is not
 * deleted.
 */
public final class ReservoirPlanner {

    private static final Logger log = LoggerFactory.getLogger(ReservoirPlanner.class);

    /**
     * @param evaluateEvery how often every reservoir's column actions are compared again without a new revision
     * @param retentionEvery how often retention runs (and once at start)
     * @param tierZeroRetentionDays tier zero's retention; 0 keeps tier zero forever
     * @param maxTasksPerRun reservoir tasks in one run at most
     */
    public record Settings(Duration evaluateEvery, Duration retentionEvery, int tierZeroRetentionDays, int maxTasksPerRun,
            Backoff backoff) {
    }

    /** Work handed to one run of the reservoir job, and the tasks it expanded to. */
    public record Batch(List<ReservoirWork> work, List<ReservoirTask> tasks) {
    }

    private record PolicyChange(String reservoir, ReservoirPolicy policy) {
    }

    private record Failure(int failures, Instant notBefore) {
    }

    private final Settings settings;
    private final SchemaRegistryClient registry;
    private final BooleanSupplier feedCaughtUp;
    private final Clock clock;
    private final ConcurrentLinkedQueue<PolicyChange> incomingPolicies = new ConcurrentLinkedQueue<>();
    private final ConcurrentLinkedQueue<ReservoirWork> incomingWork = new ConcurrentLinkedQueue<>();
    private final Map<String, ReservoirPolicy> policies = new TreeMap<>();
    private final Map<String, ReservoirWork> work = new LinkedHashMap<>();
    private final Map<String, Failure> failures = new HashMap<>();
    private final Set<String> running = new HashSet<>();
    /** What was planned per reservoir and event type, as stored; loaded per reservoir when first needed. */
    private final Map<String, Map<String, Map<String, Action>>> planned = new HashMap<>();
    private Map<String, ReservoirStore.Planned> plannedReservoirs;
    private volatile ReservoirStore store;
    private volatile List<ReservoirWork> workView = List.of();
    private boolean policiesChanged = true;
    private Instant nextEvaluation = Instant.MIN;
    private Instant nextRetention = Instant.MIN;

    public ReservoirPlanner(Settings settings, SchemaRegistryClient registry, BooleanSupplier feedCaughtUp, Clock clock) {
        this.settings = settings;
        this.registry = registry;
        this.feedCaughtUp = feedCaughtUp;
        this.clock = clock;
    }

    /** The store is open (on the loop, at its first turn): the work left by an earlier start is taken up again. */
    public void open(ReservoirStore opened) {
        opened.work().forEach(this::take);
        plannedReservoirs = new HashMap<>(opened.planned());
        store = opened;
        log.info("{} pieces of reservoir work left from an earlier start", work.size());
    }

    /** A policy read from the change feed (listener thread); null: the reservoir was deleted. */
    public void offerPolicy(String reservoir, ReservoirPolicy policy) {
        incomingPolicies.add(new PolicyChange(reservoir, policy));
    }

    /** Stores the work, then hands it to the loop (listener thread); fails when the store is not open yet. */
    public void queue(Collection<ReservoirWork> items) {
        ReservoirStore opened = store;
        if (opened == null) {
            throw new IllegalStateException("the datapump's store is not open yet: the notices are read again");
        }
        opened.queue(items);
        incomingWork.addAll(items);
    }

    /** One turn of the loop: takes what was read, and plans when the feed is read and something may have changed. */
    public void turn() {
        for (PolicyChange change = incomingPolicies.poll(); change != null; change = incomingPolicies.poll()) {
            if (change.policy() == null) {
                policies.remove(change.reservoir());
            } else {
                policies.merge(change.reservoir(), change.policy(), (a, b) -> b.revision() >= a.revision() ? b : a);
            }
            policiesChanged = true;
        }
        for (ReservoirWork item = incomingWork.poll(); item != null; item = incomingWork.poll()) {
            take(item);
        }
        Instant now = clock.instant();
        if (store != null && feedCaughtUp.getAsBoolean()) {
            if (policiesChanged || !now.isBefore(nextEvaluation)) {
                try {
                    plan(now);
                    policiesChanged = false;
                    nextEvaluation = now.plus(settings.evaluateEvery());
                } catch (RuntimeException e) {
                    // the registry or the store did not answer: planned again later, the dumps go on meanwhile
                    log.warn("reservoir planning failed, tried again in {}: {}", settings.backoff().initial(), e.toString());
                    nextEvaluation = now.plus(settings.backoff().initial());
                }
            }
            if (!now.isBefore(nextRetention)) {
                retention(now);
                nextRetention = now.plus(settings.retentionEvery());
            }
        }
        workView = List.copyOf(work.values());
    }

    private void take(ReservoirWork item) {
        work.merge(item.key(), item, (old, fresh) -> {
            ReservoirWork newest = fresh.queuedAt().isAfter(old.queuedAt()) ? fresh : old;
            ReservoirWork other = newest == fresh ? old : fresh;
            // an erasure stays one when later work asks for the same hour: its recompute must drop the old versions
            return !newest.erases() && other.erases() ? newest.withReason(other.reason()) : newest;
        });
    }

    /** Compares every reservoir's column actions with what was planned; queues what changed. */
    void plan(Instant now) {
        LocalDate today = today(now);
        List<String> types = registry.subjects().stream().map(Topics::eventTypeOfSubject).flatMap(Optional::stream)
                .sorted().toList();
        List<ReservoirWork> queued = new ArrayList<>();
        for (ReservoirPolicy policy : policies.values()) {
            String reservoir = policy.reservoir();
            ReservoirStore.Planned last = plannedReservoirs.get(reservoir);
            boolean isNew = last == null;
            Map<String, Map<String, Action>> before = planned.computeIfAbsent(reservoir,
                    name -> isNew ? new HashMap<>() : new HashMap<>(store.columns(name)));
            Map<String, Map<String, Action>> changed = new TreeMap<>();
            List<ReservoirWork> tasks = new ArrayList<>();
            for (String type : types) {
                if (!policy.receives(type)) {
                    continue;
                }
                Map<String, Action> actions = EffectiveColumns.of(registry, type, policy, now);
                Map<String, Action> previous = before.get(type);
                // a rotated key changes every hashed value: the type is recomputed though its actions are the same
                boolean rotated = !isNew && last.keyVersion() != null && last.keyVersion() != policy.keyVersion()
                        && actions.containsValue(Action.HASH);
                if (!actions.equals(previous) || rotated) {
                    changed.put(type, actions);
                    PartitionNotice.Reason reason = previous == null ? PartitionNotice.Reason.BACKFILL
                            : PartitionNotice.Reason.POLICY_CHANGE;
                    tasks.add(ReservoirWork.of(ReservoirTask.days(reservoir, type, firstDayKept(policy.retentionDays(), today),
                            today, reason), now));
                    log.info("reservoir {}: {} of {} ({} columns; revision {})", reservoir, reason.wire(), type,
                            previous == null ? "new" : "changed", policy.revision());
                }
            }
            if (!isNew && last.retentionDays() > policy.retentionDays()) {
                // a shorter retention takes effect now, not at the next daily pass
                tasks.add(ReservoirWork.of(ReservoirTask.retention(reservoir, firstDayKept(policy.retentionDays(), today)),
                        now));
            } else if (!isNew && last.retentionDays() < policy.retentionDays()) {
                // a longer one backfills the days it adds (the types recomputed whole above have them already)
                LocalDate oldFirst = firstDayKept(last.retentionDays(), today);
                for (String type : types) {
                    if (policy.receives(type) && !changed.containsKey(type)) {
                        tasks.add(ReservoirWork.of(ReservoirTask.days(reservoir, type,
                                firstDayKept(policy.retentionDays(), today), oldFirst.minusDays(1),
                                PartitionNotice.Reason.BACKFILL), now));
                    }
                }
            }
            if (isNew || !tasks.isEmpty() || last.revision() != policy.revision()
                    || !Integer.valueOf(policy.keyVersion()).equals(last.keyVersion())) {
                // the work first: a stop between the two plans it again, never loses it
                store.queue(tasks);
                store.planned(reservoir, policy.revision(), policy.retentionDays(), policy.keyVersion(), changed, now);
                before.putAll(changed);
                plannedReservoirs.put(reservoir, new ReservoirStore.Planned(policy.revision(), policy.retentionDays(),
                        policy.keyVersion()));
                queued.addAll(tasks);
            }
        }
        for (String gone : new ArrayList<>(plannedReservoirs.keySet())) {
            if (!policies.containsKey(gone)) {
                ReservoirWork delete = ReservoirWork.of(ReservoirTask.delete(gone), now);
                store.queue(List.of(delete));
                store.forget(gone);
                plannedReservoirs.remove(gone);
                planned.remove(gone);
                queued.add(delete);
                log.info("reservoir {} was deleted: its data is deleted and unregistered", gone);
            }
        }
        queued.forEach(this::take);
    }

    /** Each reservoir's partitions past its retention, and tier zero's when it has one. */
    private void retention(Instant now) {
        LocalDate today = today(now);
        List<ReservoirWork> tasks = new ArrayList<>();
        for (ReservoirPolicy policy : policies.values()) {
            tasks.add(ReservoirWork.of(ReservoirTask.retention(policy.reservoir(), firstDayKept(policy.retentionDays(),
                    today)), now));
        }
        if (settings.tierZeroRetentionDays() > 0) {
            tasks.add(ReservoirWork.of(ReservoirTask.tierZeroRetention(firstDayKept(settings.tierZeroRetentionDays(),
                    today)), now));
        }
        store.queue(tasks);
        tasks.forEach(this::take);
    }

    /** A retention of n days keeps today and the n - 1 days before. */
    static LocalDate firstDayKept(int retentionDays, LocalDate today) {
        return today.minusDays(Math.max(1, retentionDays) - 1L);
    }

    private static LocalDate today(Instant now) {
        return now.atOffset(ZoneOffset.UTC).toLocalDate();
    }

    /**
     * The next run's work, the longest waiting first, and its tasks: a tier-zero partition becomes its hour in each
     * reservoir that receives its type now. Empty while the change feed is not read whole, while everything waits
     * out a failure's backoff, or when there is nothing to do. Work that expands to no task (no reservoir receives
     * the type) is done at once.
     */
    public Optional<Batch> next() {
        if (store == null || !feedCaughtUp.getAsBoolean()) {
            return Optional.empty();
        }
        Instant now = clock.instant();
        List<ReservoirWork> taken = new ArrayList<>();
        List<ReservoirWork> nothingToDo = new ArrayList<>();
        Set<ReservoirTask> tasks = new LinkedHashSet<>();
        Map<String, ReservoirTask> byKey = new HashMap<>();
        List<ReservoirWork> waiting = work.values().stream().filter(item -> !running.contains(item.key()))
                .filter(item -> !failures.getOrDefault(item.key(), new Failure(0, Instant.MIN)).notBefore().isAfter(now))
                .sorted(Comparator.comparing(ReservoirWork::queuedAt)).toList();
        for (ReservoirWork item : waiting) {
            List<ReservoirTask> expanded = expand(item);
            if (expanded.isEmpty()) {
                nothingToDo.add(item);
                continue;
            }
            if (!tasks.isEmpty() && tasks.size() + expanded.size() > settings.maxTasksPerRun()) {
                break;
            }
            taken.add(item);
            expanded.forEach(task -> byKey.putIfAbsent(task.key(), task));
            tasks.addAll(expanded);
        }
        if (!nothingToDo.isEmpty()) {
            store.done(nothingToDo);
            nothingToDo.forEach(item -> work.remove(item.key()));
        }
        if (taken.isEmpty()) {
            return Optional.empty();
        }
        taken.forEach(item -> running.add(item.key()));
        return Optional.of(new Batch(List.copyOf(taken), List.copyOf(byKey.values())));
    }

    private List<ReservoirTask> expand(ReservoirWork item) {
        if (item.task() == null) {
            return policies.values().stream().filter(policy -> policy.receives(item.partition().eventType()))
                    .map(policy -> item.hourIn(policy.reservoir())).toList();
        }
        ReservoirTask task = item.task();
        boolean publishToGone = task.kind() == ReservoirTask.Kind.PUBLISH && !policies.containsKey(task.reservoir());
        return publishToGone ? List.of() : List.of(task);
    }

    /** The run did its work: what was not asked for again meanwhile is done. */
    public void succeeded(Batch batch) {
        List<ReservoirWork> done = new ArrayList<>();
        for (ReservoirWork item : batch.work()) {
            running.remove(item.key());
            failures.remove(item.key());
            ReservoirWork current = work.get(item.key());
            if (current != null && !current.queuedAt().isAfter(item.queuedAt())) {
                work.remove(item.key());
                done.add(item);
            }
        }
        store.done(done);
        workView = List.copyOf(work.values());
    }

    /** The run failed: its work waits, each piece not tried again before its backoff is over. */
    public void failed(Batch batch) {
        Instant now = clock.instant();
        for (ReservoirWork item : batch.work()) {
            running.remove(item.key());
            int count = failures.getOrDefault(item.key(), new Failure(0, Instant.MIN)).failures() + 1;
            failures.put(item.key(), new Failure(count, now.plus(settings.backoff().after(count))));
        }
    }

    /** 1 + the most failures of the batch's work before. */
    public int attempt(Batch batch) {
        return 1 + batch.work().stream().mapToInt(item -> failures.getOrDefault(item.key(), new Failure(0, Instant.MIN))
                .failures()).max().orElse(0);
    }

    /** The work not done yet, as of the last turn. */
    public List<ReservoirWork> work() {
        return workView;
    }
}
