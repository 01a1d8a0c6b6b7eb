package dev.sluice.datapump.schedule;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.core.lake.DirtyHour;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class HourTrackerTest {

    static final Instant HOUR = Instant.parse("2026-11-20T13:00:00Z");
    static final Instant T0 = Instant.parse("2026-11-26T10:00:00Z");
    static final Duration QUIET = Duration.ofSeconds(30);
    static final Duration MAX_DELAY = Duration.ofMinutes(10);

    final HourTracker tracker = new HourTracker();

    static DirtyHour notice(String type, Instant landing) {
        return new DirtyHour(type, HOUR, landing, 1);
    }

    @Test
    void anHourIsDueOnceQuietOrOnceItWaitedTheMaximumDelay() {
        tracker.known("a/2026-11-20/13", Optional.empty());
        tracker.notice(notice("a", T0));
        assertThat(tracker.due(T0.plusSeconds(29), QUIET, MAX_DELAY, 10)).isEmpty();
        assertThat(tracker.due(T0.plusSeconds(30), QUIET, MAX_DELAY, 10)).extracting(HourTracker.Pending::key)
                .containsExactly("a/2026-11-20/13");

        // a busy hour: a landing every 10 s keeps it from being quiet, the maximum delay makes it due anyway
        for (int s = 10; s < 600; s += 10) {
            tracker.notice(notice("a", T0.plusSeconds(s)));
        }
        assertThat(tracker.due(T0.plusSeconds(599), QUIET, MAX_DELAY, 10)).isEmpty();
        assertThat(tracker.due(T0.plusSeconds(600), QUIET, MAX_DELAY, 10)).hasSize(1);
    }

    @Test
    void aNoticeCoveredByTheLastDumpIsNotDumpedAgain() {
        tracker.known("a/2026-11-20/13", Optional.of(T0));
        tracker.notice(notice("a", T0));
        tracker.notice(notice("a", T0.minusSeconds(5)));
        assertThat(tracker.pending()).isEmpty();
        tracker.notice(notice("a", T0.plusNanos(999_000)));
        assertThat(tracker.pending()).as("what the store keeps is milliseconds").isEmpty();
        tracker.notice(notice("a", T0.plusMillis(1)));
        assertThat(tracker.pending()).extracting(HourTracker.Pending::key).containsExactly("a/2026-11-20/13");
    }

    @Test
    void whatLandsDuringARunWaitsForTheNextOne() {
        tracker.known("a/2026-11-20/13", Optional.empty());
        tracker.known("b/2026-11-20/13", Optional.empty());
        tracker.notice(notice("a", T0));
        tracker.notice(notice("b", T0));
        Map<String, Instant> covers = tracker.started(tracker.due(T0.plus(QUIET), QUIET, MAX_DELAY, 10));
        assertThat(covers).containsOnlyKeys("a/2026-11-20/13", "b/2026-11-20/13");
        assertThat(tracker.due(T0.plus(QUIET), QUIET, MAX_DELAY, 10)).as("hours in a run are not due").isEmpty();

        tracker.notice(notice("b", T0.plusSeconds(40)));
        tracker.succeeded(covers);
        assertThat(tracker.pending()).extracting(HourTracker.Pending::key, HourTracker.Pending::since)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("b/2026-11-20/13", T0.plusSeconds(40)));
        tracker.notice(notice("a", T0));
        assertThat(tracker.pending()).as("a's notice was covered").hasSize(1);
    }

    @Test
    void aFailedRunsHoursWaitOutABackoffThatGrowsPerFailure() {
        tracker.known("a/2026-11-20/13", Optional.empty());
        tracker.notice(notice("a", T0));
        Instant now = T0.plus(QUIET);
        for (int failure = 1; failure <= 3; failure++) {
            var due = tracker.due(now, QUIET, MAX_DELAY, 10);
            assertThat(due).hasSize(1);
            tracker.started(due);
            tracker.failed(Set.of("a/2026-11-20/13"), now, n -> Duration.ofSeconds(15L << (n - 1)));
            Duration wait = Duration.ofSeconds(15L << (failure - 1));
            assertThat(tracker.due(now.plus(wait).minusMillis(1), QUIET, MAX_DELAY, 10)).isEmpty();
            now = now.plus(wait);
            assertThat(tracker.due(now, QUIET, MAX_DELAY, 10)).extracting(HourTracker.Pending::failures)
                    .containsExactly(failure);
        }
    }

    @Test
    void theLongestWaitingHoursGoFirstUpToTheLimit() {
        for (int i = 0; i < 5; i++) {
            DirtyHour hour = new DirtyHour("t" + i, HOUR, T0.minusSeconds(i * 100L), 1);
            tracker.known(hour.key(), Optional.empty());
            tracker.notice(hour);
        }
        assertThat(tracker.due(T0.plus(QUIET), QUIET, MAX_DELAY, 2)).extracting(HourTracker.Pending::key)
                .containsExactly("t4/2026-11-20/13", "t3/2026-11-20/13");
    }
}
