package dev.sluice.datapump.schedule;

import dev.sluice.core.lake.DirtyHour;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.IntFunction;

/**
 * Which hours wait for a dump, and which are due. An hour waits from the first dirty-hour notice whose last landing
 * time is later than what its last dump covered; it is due once it has been quiet (no landing) for {@code quiet},
 * or has waited {@code maxDelay}, and is not in a running job or waiting out a failure's backoff.
 *
 * <p>Not thread-safe: one loop owns it.
 */
public final class HourTracker {

    /**
     * An hour waiting for a dump.
     *
     * @param lastLanding the latest landing time the notices gave
     * @param since when it started waiting (the landing time of the first notice not covered)
     * @param failures runs that failed with it since its last dump
     * @param notBefore not tried again before this (a failure's backoff)
     */
    public record Pending(String key, Instant lastLanding, Instant since, int failures, Instant notBefore) {
    }

    private final Map<String, Instant> covered = new HashMap<>();
    private final Map<String, Pending> pending = new LinkedHashMap<>();
    private final Map<String, Instant> running = new HashMap<>();

    /** Whether what the last dump of this hour covered is known (from the store) or must be looked up first. */
    public boolean knows(String key) {
        return covered.containsKey(key);
    }

    /** What the hour's last dump covered, as looked up in the store; {@link Instant#MIN} when never dumped. */
    public void known(String key, Optional<Instant> coveredLanding) {
        covered.put(key, coveredLanding.orElse(Instant.MIN));
    }

    /** A dirty-hour notice; the hour waits if the notice says something landed after what the last dump covered. */
    public void notice(DirtyHour hour) {
        String key = hour.key();
        // in milliseconds, as Cassandra keeps what a dump covered (found by DatapumpIT: a restart dumped everything
        // again because the notices' microseconds were later than the stored milliseconds)
        Instant landing = hour.lastLandingTime().truncatedTo(ChronoUnit.MILLIS);
        if (!landing.isAfter(covered.getOrDefault(key, Instant.MIN))) {
            return;
        }
        pending.merge(key, new Pending(key, landing, landing, 0, Instant.MIN), (old, fresh) -> new Pending(key,
                max(old.lastLanding(), landing), old.since(), old.failures(), old.notBefore()));
    }

    /** Up to {@code limit} due hours, the longest waiting first. */
    public List<Pending> due(Instant now, Duration quiet, Duration maxDelay, int limit) {
        return pending.values().stream()
                .filter(p -> !running.containsKey(p.key()) && !p.notBefore().isAfter(now))
                .filter(p -> !p.lastLanding().plus(quiet).isAfter(now) || !p.since().plus(maxDelay).isAfter(now))
                .sorted(Comparator.comparing(Pending::since).thenComparing(Pending::key))
                .limit(limit)
                .toList();
    }

    /** The hours go into a run, which will cover what landed up to each hour's {@code lastLanding} now. */
    public Map<String, Instant> started(Collection<Pending> hours) {
        Map<String, Instant> covers = new LinkedHashMap<>();
        for (Pending hour : hours) {
            covers.put(hour.key(), hour.lastLanding());
            running.put(hour.key(), hour.lastLanding());
        }
        return covers;
    }

    /**
     * The run dumped its hours: each stops waiting unless a notice came in during the run with a later landing
     * time, in which case it waits on (from then).
     */
    public void succeeded(Map<String, Instant> covers) {
        covers.forEach((key, landing) -> {
            running.remove(key);
            covered.merge(key, landing, HourTracker::max);
            Pending waiting = pending.get(key);
            if (waiting != null) {
                if (waiting.lastLanding().isAfter(landing)) {
                    pending.put(key, new Pending(key, waiting.lastLanding(), waiting.lastLanding(), 0, Instant.MIN));
                } else {
                    pending.remove(key);
                }
            }
        });
    }

    /** The run failed: its hours wait on, each not tried again before its backoff is over. */
    public void failed(Set<String> keys, Instant now, IntFunction<Duration> backoff) {
        for (String key : keys) {
            running.remove(key);
            pending.computeIfPresent(key, (k, p) -> new Pending(k, p.lastLanding(), p.since(), p.failures() + 1,
                    now.plus(backoff.apply(p.failures() + 1))));
        }
    }

    public Collection<Pending> pending() {
        return List.copyOf(pending.values());
    }

    public int pendingCount() {
        return pending.size();
    }

    private static Instant max(Instant a, Instant b) {
        return a.isAfter(b) ? a : b;
    }
}
