package dev.sluice.dedup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.sluice.core.lake.DirtyHour;
import dev.sluice.infra.LocalInfra;
import dev.sluice.infra.Server;
import dev.sluice.infra.junit.LocalInfraTest;
import dev.sluice.spring.runtime.PipelineStages;
import dev.sluice.spring.runtime.Stage;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.context.ConfigurableApplicationContext;

/** Cassandra stopped for 30 s in the middle of a stream and started again: every event lands, none twice. */
@LocalInfraTest({Server.KAFKA, Server.CASSANDRA, Server.SCHEMA_REGISTRY})
class CassandraOutageIT {

    static final Instant START = Instant.parse("2026-11-19T00:00:00Z");
    static final int PER_PHASE = 10_000;
    static final int HOURS = 24;

    @Test
    void cassandraAwayForThirtySecondsLosesAndDuplicatesNothing(LocalInfra infra) {
        try (Landing landing = new Landing(infra); ConfigurableApplicationContext dedup = landing.startInJvm()) {
            Stage stage = dedup.getBean(PipelineStages.class).stage("dedup");
            HealthIndicator readiness = dedup.getBean("pipelineReadinessHealthIndicator", HealthIndicator.class);
            HealthIndicator liveness = dedup.getBean("pipelineLivenessHealthIndicator", HealthIndicator.class);
            landing.send(events(landing, 0));
            await().atMost(Duration.ofMinutes(2)).until(() -> DedupIT.count(dedup, "landed") > 0);

            try (LocalInfra.Outage outage = infra.outage(Server.CASSANDRA)) {
                landing.send(events(landing, 1));
                await().atMost(Duration.ofSeconds(60)).until(() -> stage.state() == Stage.State.PAUSED);
                assertThat(stage.reason()).contains("Cassandra");
                assertThat(readiness.health().getStatus()).isEqualTo(Status.DOWN);
                // stays paused, alive, for the whole outage: not ready, but no restart wanted
                await().during(Duration.ofSeconds(30)).atMost(Duration.ofSeconds(45))
                        .until(() -> stage.state() == Stage.State.PAUSED && liveness.health().getStatus() == Status.UP);
            }
            landing.send(events(landing, 2));

            await().atMost(Duration.ofMinutes(3)).until(() -> DedupIT.count(dedup, "landed") >= 3 * PER_PHASE);
            assertThat(stage.state()).isEqualTo(Stage.State.RUNNING);
            assertThat(readiness.health().getStatus()).isEqualTo(Status.UP);
            assertThat(DedupIT.count(dedup, "landed")).isEqualTo(3 * PER_PHASE);
            assertThat(DedupIT.count(dedup, "duplicate")).isZero();
            Set<String> ids = new HashSet<>();
            for (int h = 0; h < HOURS; h++) {
                ids.addAll(landing.landedIds(START.plusSeconds(3600L * h)));
            }
            assertThat(ids).hasSize(3 * PER_PHASE);
            // each event landed once: the notices, published only for acknowledged batches, add up to the events
            List<DirtyHour> notices = landing.dirtyHourNotices();
            assertThat(notices.stream().mapToLong(DirtyHour::events).sum()).isEqualTo(3 * PER_PHASE);
        }
    }

    /** Phase {@code phase}'s events, spread over 24 hours. */
    static List<byte[]> events(Landing landing, int phase) {
        List<byte[]> events = new ArrayList<>(PER_PHASE);
        for (int i = 0; i < PER_PHASE; i++) {
            int n = phase * PER_PHASE + i;
            events.add(landing.event("e-" + n, START.plusSeconds((n * 7L) % (HOURS * 3600L))));
        }
        return events;
    }
}
