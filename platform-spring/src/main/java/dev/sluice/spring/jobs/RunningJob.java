package dev.sluice.spring.jobs;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/** A started run of a lake job, looked at by its service's loop until it ends: exit code, timeout, the log's end. */
public final class RunningJob {

    private final String runId;
    private final Process process;
    private final Path log;
    private final Instant started;
    private final Duration timeout;

    /** How a run ended: {@code error} is null when it succeeded. */
    public record Outcome(Integer exitCode, String error) {

        public boolean succeeded() {
            return error == null;
        }
    }

    RunningJob(String runId, Process process, Path log, Instant started, Duration timeout) {
        this.runId = runId;
        this.process = process;
        this.log = log;
        this.started = started;
        this.timeout = timeout;
    }

    public String runId() {
        return runId;
    }

    /** Empty while the run goes on; its outcome once it ended or was killed for taking longer than the timeout. */
    public Optional<Outcome> poll(Instant now) {
        if (process.isAlive()) {
            if (now.isAfter(started.plus(timeout))) {
                process.destroyForcibly();
                waitFor(process);
                return Optional.of(new Outcome(null, "timed out after " + timeout));
            }
            return Optional.empty();
        }
        int exit = process.exitValue();
        return Optional.of(new Outcome(exit, exit == 0 ? null : "exit code " + exit + ": " + tail(log)));
    }

    /** At shutdown: the run is stopped; its work is not recorded as done, so the next start does it again. */
    public void stop() {
        process.destroy();
    }

    /** The last 20 lines (at most 4000 characters) of a run's output. */
    static String tail(Path log) {
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
}
