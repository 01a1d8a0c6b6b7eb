package dev.sluice.core.jobs;

import java.util.List;
import java.util.Objects;

/**
 * The arguments of the access job ({@code dev.sluice.lake.AccessJob}), written by the privacy-requests service and
 * read by the job. What each request needs (its entities and partitions) is not here: it is personal data and can
 * be long, so it travels as an {@link AccessBatch} in the exports bucket ({@code <exports>/_batches/<run>.json}),
 * which only the service and the jobs may read, and the job answers with {@code <exports>/_batches/<run>.result.json}.
 *
 * @param tierZero tier zero's root ({@code s3a://lake/tier0})
 * @param exports the exports bucket's root ({@code s3a://sluice-exports}); zips go to {@code access/<request>.zip}
 * @param master Spark's master when not started by spark-submit
 */
public record AccessJobArguments(String tierZero, String exports, String registry, String run, String master) {

    public AccessJobArguments {
        Objects.requireNonNull(tierZero, "tierZero");
        Objects.requireNonNull(exports, "exports");
        Objects.requireNonNull(registry, "registry");
        Objects.requireNonNull(run, "run");
        exports = exports.replaceAll("/+$", "");
    }

    public AccessJobArguments withMaster(String sparkMaster) {
        return new AccessJobArguments(tierZero, exports, registry, run, sparkMaster);
    }

    /** Where the batch's spec is, under the exports root. */
    public String batchPath() {
        return exports + "/" + AccessBatch.batchKey(run);
    }

    /** Where the job writes what it did, under the exports root. */
    public String resultPath() {
        return exports + "/" + AccessBatch.resultKey(run);
    }

    public List<String> toArgs() {
        return JobOptions.create().with("tier-zero", tierZero).with("exports", exports).with("registry", registry)
                .with("run", run).with("master", master).toArgs();
    }

    public static AccessJobArguments parse(String[] args) {
        JobOptions options = JobOptions.parse(args);
        return new AccessJobArguments(options.required("tier-zero"), options.required("exports"),
                options.required("registry"), options.required("run"), options.optional("master"));
    }
}
