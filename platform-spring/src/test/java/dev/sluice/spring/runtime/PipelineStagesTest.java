package dev.sluice.spring.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.sluice.core.runtime.Backoff;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.springframework.boot.health.contributor.Status;

class PipelineStagesTest {

    final PipelineStages stages = new PipelineStages(Duration.ofMillis(300));

    @Test
    void aStageIsReadyOnceItProgressesAndNotWhilePausedAndAliveWhilePaused() {
        Stage stage = stages.stage("landing");
        assertThat(stages.readiness().health().getStatus()).as("starting").isEqualTo(Status.DOWN);
        stage.progressed();
        assertThat(stages.readiness().health().getStatus()).isEqualTo(Status.UP);
        stage.paused("Cassandra unavailable");
        assertThat(stages.readiness().health().getStatus()).isEqualTo(Status.DOWN);
        assertThat(stages.readiness().health().getDetails().toString()).contains("Cassandra unavailable");
        // a long pause is not a reason to restart: the dependency is away, not the process stuck
        await().pollDelay(Duration.ofMillis(400)).until(() -> true);
        assertThat(stages.liveness().health().getStatus()).isEqualTo(Status.UP);
        stage.progressed();
        assertThat(stage.state()).isEqualTo(Stage.State.RUNNING);
        assertThat(stage.reason()).isNull();
    }

    @Test
    void livenessGoesDownWhenAStageDiesOrMakesNoProgressWhileRunning() {
        Stage stuck = stages.stage("stuck");
        stuck.progressed();
        assertThat(stages.liveness().health().getStatus()).isEqualTo(Status.UP);
        await().atMost(Duration.ofSeconds(5)).until(() -> stages.liveness().health().getStatus().equals(Status.DOWN));
        assertThat(stages.liveness().health().getDetails().toString()).contains("no progress");
        stuck.progressed();
        assertThat(stages.liveness().health().getStatus()).isEqualTo(Status.UP);
        stages.stage("dead").died("its Kafka consumer stopped: ABNORMAL");
        assertThat(stages.liveness().health().getStatus()).isEqualTo(Status.DOWN);
        assertThat(stages.liveness().health().getDetails().toString()).contains("dead");
    }

    @Test
    void aHeartbeatKeepsAPausedStagePausedAndAStoppedStageIsNotStuck() {
        Stage stage = stages.stage("s");
        stage.progressed();
        stage.paused("registry away");
        stage.heartbeat();
        assertThat(stage.state()).isEqualTo(Stage.State.PAUSED);
        stage.stopped();
        await().pollDelay(Duration.ofMillis(400)).until(() -> true);
        assertThat(stage.needsRestart(Duration.ofMillis(300))).isFalse();
        stage.progressed();
        assertThat(stage.state()).as("stopped stays stopped").isEqualTo(Stage.State.STOPPED);
    }

    @Test
    void aGuardedLoopRetriesAFailingTurnWithBackoffAndDiesVisiblyOnAnError() throws Exception {
        AtomicInteger turns = new AtomicInteger();
        Stage loopStage = stages.stage("loop");
        GuardedLoop loop = new GuardedLoop(loopStage, Duration.ofMillis(10),
                new Backoff(Duration.ofMillis(20), 2, Duration.ofMillis(50)), () -> {
                    if (turns.incrementAndGet() < 4) {
                        throw new IllegalStateException("Cassandra unavailable");
                    }
                });
        loop.start();
        try {
            await().atMost(Duration.ofSeconds(5)).until(() -> loopStage.state() == Stage.State.RUNNING && turns.get() > 4);
        } finally {
            loop.stop();
        }
        assertThat(loopStage.state()).isEqualTo(Stage.State.STOPPED);

        CountDownLatch thrown = new CountDownLatch(1);
        Stage dying = stages.stage("dying");
        GuardedLoop fatal = new GuardedLoop(dying, Duration.ofMillis(10), new Backoff(Duration.ofMillis(20), 2,
                Duration.ofMillis(50)), () -> {
                    thrown.countDown();
                    throw new Error("simulated: a turn that cannot go on");
                });
        fatal.start();
        thrown.await();
        await().atMost(Duration.ofSeconds(5)).until(() -> dying.state() == Stage.State.DEAD);
        assertThat(stages.liveness().health().getStatus()).isEqualTo(Status.DOWN);
        fatal.stop();
    }
}
