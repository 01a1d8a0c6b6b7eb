package dev.sluice.datapump.runs;

import java.time.Instant;
import java.util.List;

/**
 * One run of the tier-zero dump job.
 *
 * @param attempt 1 + the most failures any of its hours had before
 * @param error the end of the job's output when it failed
 * @param log the file holding the job's whole output
 */
public record Run(String id, State state, List<String> hours, int attempt, Instant started, Instant finished,
        Integer exitCode, String error, String log) {

    public enum State {
        RUNNING, SUCCEEDED, FAILED,
        /** the service stopped while the run was going on; its hours were dumped again */
        ABANDONED
    }

    public Run finish(State state, Instant finished, Integer exitCode, String error) {
        return new Run(id, state, hours, attempt, started, finished, exitCode, error, log);
    }
}
