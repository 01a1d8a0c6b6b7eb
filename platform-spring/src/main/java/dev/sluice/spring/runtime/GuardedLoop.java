package dev.sluice.spring.runtime;

import dev.sluice.core.runtime.Backoff;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * The platform's one hand-written loop, for work that is not consuming a topic (the datapump's scheduling of runs,
 * grant expiry, batching of privacy requests): a thread that runs one turn every {@code tick}. A turn that throws
 * pauses the stage and the next turn waits out the {@link Backoff}; an {@link Error} or a turn that never returns
 * shows in liveness (dead, or no progress), never as a thread that ended quietly.
 */
public final class GuardedLoop implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(GuardedLoop.class);

    /** One turn of the loop. */
    @FunctionalInterface
    public interface Turn {
        void run() throws Exception;
    }

    private final Stage stage;
    private final Duration tick;
    private final Backoff backoff;
    private final Turn turn;
    private volatile boolean running;
    private volatile Thread thread;

    public GuardedLoop(Stage stage, Duration tick, Backoff backoff, Turn turn) {
        this.stage = stage;
        this.tick = tick;
        this.backoff = backoff;
        this.turn = turn;
    }

    @Override
    public synchronized void start() {
        if (running) {
            return;
        }
        running = true;
        thread = new Thread(this::loop, stage.name());
        thread.start();
    }

    private void loop() {
        Duration wait = null;
        try {
            while (running) {
                try {
                    turn.run();
                    stage.progressed();
                    wait = null;
                    if (!Backoff.sleep(tick)) {
                        break;
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                } catch (Exception e) {
                    if (!running) {
                        break;
                    }
                    wait = wait == null ? backoff.initial() : backoff.next(wait);
                    stage.paused(String.valueOf(e.getMessage() == null ? e : e.getMessage()));
                    log.warn("{}: turn failed, next in {}: {}", stage.name(), wait, e.toString());
                    if (!Backoff.sleep(wait)) {
                        break;
                    }
                }
            }
            stage.stopped();
        } catch (Throwable e) {
            // the thread ends here: the stage says so (liveness DOWN), and the log has the whole story
            log.error("{}: the loop ended", stage.name(), e);
            stage.died(e.toString());
        }
    }

    @Override
    public void stop() {
        running = false;
        Thread current = thread;
        if (current != null) {
            current.interrupt();
            try {
                current.join(30_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    public Stage stage() {
        return stage;
    }
}
