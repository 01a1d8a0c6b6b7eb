package dev.sluice.spring.jobs;

import java.time.Instant;
import java.util.List;

/**
 * One run of a lake job, as the service that launched it records it ({@link JobRunStore}): the tier-zero dump of
 * some hours, the reservoir job with some tasks, the access job with some requests.
 *
 * @param hours (dump) the hours, {@code <type>/<yyyy-MM-dd>/<HH>}
 * @param tasks (reservoir) what it did and why, e.g. {@code publish:marketing:page_viewed:2026-11-20:2026-11-20:13:new},
 *        {@code publish:marketing:page_viewed:2026-10-22:2026-11-20:-:policy-change}, {@code retention:marketing:-:...};
 *        (access, erasure) the ids of the requests it serves
 * @param attempt 1 + the most failures any of its hours (or pieces of work) had before
 * @param error the end of the job's output when it failed
 * @param log the file holding the job's whole output
 */
public record JobRun(String id, Kind kind, State state, List<String> hours, List<String> tasks, int attempt, Instant started,
        Instant finished, Integer exitCode, String error, String log) {

    public JobRun {
        hours = hours == null ? List.of() : List.copyOf(hours);
        tasks = tasks == null ? List.of() : List.copyOf(tasks);
    }

    public enum Kind {
        /** The tier-zero dump job. */
        DUMP,
        /** The reservoir job. */
        RESERVOIR,
        /** The access job (privacy requests). */
        ACCESS,
        /** The erasure job (privacy requests). */
        ERASURE
    }

    public enum State {
        RUNNING, SUCCEEDED, FAILED,
        /** the service stopped while the run was going on; its work is done again */
        ABANDONED
    }

    public JobRun finish(State state, Instant finished, Integer exitCode, String error) {
        return new JobRun(id, kind, state, hours, tasks, attempt, started, finished, exitCode, error, log);
    }
}
