package dev.sluice.spring.runtime;

import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What one pipeline stage of a service (a listener container, a hand-written loop) says about itself, for the
 * health groups: it made progress (a batch done, an idle poll, a turn of its loop), it is paused because a dependency
 * is down (readiness DOWN, nothing is lost: it retries), or it died (liveness DOWN: only a restart helps).
 *
 * <p>Written by the stage's own thread, read by health checks: every field is volatile, each update is one write.
 */
public final class Stage {

    private static final Logger log = LoggerFactory.getLogger(Stage.class);

    /** The stage as a health check sees it. */
    public enum State { STARTING, RUNNING, PAUSED, STOPPED, DEAD }

    private final String name;
    private volatile State state = State.STARTING;
    private volatile String reason = "starting";
    private volatile long lastProgressNanos = System.nanoTime();

    Stage(String name) {
        this.name = name;
    }

    public String name() {
        return name;
    }

    /** Work got done (or there was none to do and the stage looked): clears a pause. */
    public void progressed() {
        lastProgressNanos = System.nanoTime();
        if (state != State.RUNNING && state != State.DEAD && state != State.STOPPED) {
            if (state == State.PAUSED) {
                log.info("{}: running again", name);
            }
            reason = null;
            state = State.RUNNING;
        }
    }

    /** Alive (it polled, it looked), without clearing a pause. */
    public void heartbeat() {
        lastProgressNanos = System.nanoTime();
    }

    /** The stage is alive but waits, e.g. for a dependency; it retries by itself. */
    public void paused(String why) {
        if (state == State.DEAD || state == State.STOPPED) {
            return;
        }
        if (state != State.PAUSED) {
            log.warn("{}: paused, nothing is lost, retrying: {}", name, why);
        }
        reason = why;
        state = State.PAUSED;
        lastProgressNanos = System.nanoTime();
    }

    /** The stage cannot go on in this process. */
    public void died(String why) {
        log.error("{}: stopped for good, the service needs a restart: {}", name, why);
        reason = why;
        state = State.DEAD;
    }

    /** The application stops it: neither dead nor stuck. */
    public void stopped() {
        if (state != State.DEAD) {
            state = State.STOPPED;
            reason = "stopped";
        }
    }

    public State state() {
        return state;
    }

    /** Why it is paused, starting or dead; null while running. */
    public String reason() {
        return reason;
    }

    public Duration sinceProgress() {
        return Duration.ofNanos(System.nanoTime() - lastProgressNanos);
    }

    /** Dead, or running without progress for longer than {@code stallTimeout}: a restart is what helps. */
    public boolean needsRestart(Duration stallTimeout) {
        return state == State.DEAD || (state == State.RUNNING && sinceProgress().compareTo(stallTimeout) > 0);
    }

    /** Serving: running normally. */
    public boolean isReady() {
        return state == State.RUNNING;
    }
}
