package dev.sluice.datapump.web;

import dev.sluice.datapump.runs.RunStore;
import dev.sluice.spring.jobs.JobRun;
import dev.sluice.spring.jobs.JobRunStore;
import dev.sluice.datapump.schedule.HourTracker;
import dev.sluice.datapump.schedule.Pump;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;

/** The runs of the lake jobs, the hours waiting for a dump, and the reservoir work waiting for a run. */
@RestController
class RunsController {

    private final Pump pump;

    RunsController(Pump pump) {
        this.pump = pump;
    }

    /** The latest runs, newest first (of the last {@code days} days). */
    @GetMapping("/runs")
    List<JobRun> runs(@RequestParam(defaultValue = "50") int limit, @RequestParam(defaultValue = "2") int days) {
        if (limit < 1 || limit > 1000 || days < 1 || days > 31) {
            throw new ResponseStatusException(HttpStatus.BAD_REQUEST, "limit must be 1..1000 and days 1..31");
        }
        return store().latest(LocalDate.now(ZoneOffset.UTC), days, limit);
    }

    @GetMapping("/runs/{id}")
    JobRun run(@PathVariable String id) {
        return store().run(id).orElseThrow(() -> new ResponseStatusException(HttpStatus.NOT_FOUND, "no run " + id));
    }

    /** The hours waiting for a dump: since when, the latest landing, failures and backoff. */
    @GetMapping("/hours/pending")
    List<HourTracker.Pending> pending() {
        return pump.pending();
    }

    /** The reservoir work not done yet: tier-zero partitions to propagate and reservoir tasks, with their reasons. */
    @GetMapping("/reservoirs/work")
    List<Map<String, Object>> reservoirWork() {
        return pump.reservoirs().work().stream().map(work -> Map.<String, Object>of("work", work.text(),
                "queued_at", work.queuedAt())).toList();
    }

    private JobRunStore store() {
        RunStore store = pump.store();
        if (store == null) {
            throw new ResponseStatusException(HttpStatus.SERVICE_UNAVAILABLE, "the run store is not open yet "
                    + "(see /actuator/health/readiness)");
        }
        return store.runs();
    }
}
