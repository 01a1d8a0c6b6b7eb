package dev.sluice.privacy;

import dev.sluice.privacy.access.AccessRuns;
import dev.sluice.spring.jobs.JobRun;
import dev.sluice.spring.web.ApiError;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.List;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

@RestController
@Tag(name = "Runs", description = "The runs of the access job")
class RunsController {

    private final AccessRuns runs;

    RunsController(AccessRuns runs) {
        this.runs = runs;
    }

    @GetMapping("/runs")
    @Operation(summary = "The latest runs of the access job, newest first (the last 7 days)")
    List<JobRun> runs(@RequestParam(defaultValue = "50") int limit) {
        if (limit < 1 || limit > 1000) {
            throw ApiError.badRequest("limit must be 1..1000");
        }
        return runs.latest(limit);
    }
}
