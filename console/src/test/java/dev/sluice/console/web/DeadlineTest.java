package dev.sluice.console.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class DeadlineTest {

    static final Instant NOW = Instant.parse("2026-11-29T12:00:00Z");
    static final Duration WEEK = Duration.ofDays(7);

    @Test
    void greenUntilTheLastWeekThenAmberThenRed() {
        assertThat(Deadline.of(NOW.plus(Duration.ofDays(30)), "QUEUED", NOW, WEEK))
                .isEqualTo(new Deadline("ok", "30 days left"));
        assertThat(Deadline.of(NOW.plus(Duration.ofDays(7)).plusSeconds(1), "RUNNING", NOW, WEEK).state()).isEqualTo("ok");
        assertThat(Deadline.of(NOW.plus(Duration.ofDays(7)), "RUNNING", NOW, WEEK))
                .isEqualTo(new Deadline("soon", "7 days left"));
        assertThat(Deadline.of(NOW.plus(Duration.ofHours(5)), "FAILED", NOW, WEEK))
                .isEqualTo(new Deadline("soon", "5 hours left"));
        assertThat(Deadline.of(NOW.minus(Duration.ofDays(2)), "QUEUED", NOW, WEEK))
                .isEqualTo(new Deadline("overdue", "overdue by 2 days"));
        assertThat(Deadline.of(NOW.minusSeconds(10), "QUEUED", NOW, WEEK))
                .isEqualTo(new Deadline("overdue", "overdue by 1 minute"));
    }

    @Test
    void aClosedRequestHasNoCountdown() {
        assertThat(Deadline.of(NOW.minus(Duration.ofDays(2)), "COMPLETED", NOW, WEEK).state()).isEqualTo("over");
        assertThat(Deadline.of(NOW.plus(Duration.ofDays(2)), "CANCELED", NOW, WEEK).text()).isEqualTo("closed");
        assertThat(Deadline.of(null, "QUEUED", NOW, WEEK).state()).isEqualTo("none");
    }
}
