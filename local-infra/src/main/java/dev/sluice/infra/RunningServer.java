package dev.sluice.infra;

import java.time.Duration;

/** A started server: a child process ({@link ServerProcess}) or a container ({@link ServerContainer}). */
interface RunningServer {

    ManagedServer server();

    boolean isAlive();

    /** The process id on this machine (a container's main process as the host sees it). */
    long pid();

    /** How long it took from launch to ready. */
    Duration startupTime();

    /** Stops it gracefully, forcibly after the grace period. */
    void stop(Duration grace);
}
