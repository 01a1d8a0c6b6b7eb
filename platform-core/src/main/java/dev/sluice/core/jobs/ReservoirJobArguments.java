package dev.sluice.core.jobs;

import dev.sluice.core.topics.Topics;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * The arguments of the reservoir job ({@code dev.sluice.lake.ReservoirPublishJob}), written by the datapump and read
 * by the job. The reservoirs' policies are not among them: the job reads the latest of each from the compacted
 * {@code governance.changes} itself, and the master key from its environment, never from arguments.
 *
 * @param tierZero tier zero's root ({@code s3a://lake/tier0})
 * @param tierOne tier one's root, under which each reservoir has its own ({@code s3a://lake/tier1})
 * @param master Spark's master when not started by spark-submit
 */
public record ReservoirJobArguments(List<ReservoirTask> tasks, String tierZero, String tierOne, String registry,
        String kafka, String changesTopic, String partitionsTopic, String run, String master) {

    public ReservoirJobArguments {
        tasks = List.copyOf(tasks);
        if (tasks.isEmpty()) {
            throw new IllegalArgumentException("a reservoir run needs at least one task");
        }
        Objects.requireNonNull(tierZero, "tierZero");
        Objects.requireNonNull(tierOne, "tierOne");
        Objects.requireNonNull(registry, "registry");
        Objects.requireNonNull(kafka, "kafka");
        Objects.requireNonNull(run, "run");
        changesTopic = changesTopic == null ? Topics.GOVERNANCE_CHANGES : changesTopic;
        partitionsTopic = partitionsTopic == null ? Topics.PARTITIONS : partitionsTopic;
    }

    public ReservoirJobArguments withMaster(String sparkMaster) {
        return new ReservoirJobArguments(tasks, tierZero, tierOne, registry, kafka, changesTopic, partitionsTopic, run,
                sparkMaster);
    }

    public List<String> toArgs() {
        return JobOptions.create()
                .with("tasks", String.join(",", tasks.stream().map(ReservoirTask::toArg).toList()))
                .with("tier-zero", tierZero).with("tier-one", tierOne).with("registry", registry).with("kafka", kafka)
                .with("changes-topic", changesTopic).with("partitions-topic", partitionsTopic).with("run", run)
                .with("master", master).toArgs();
    }

    public static ReservoirJobArguments parse(String[] args) {
        JobOptions options = JobOptions.parse(args);
        return new ReservoirJobArguments(Arrays.stream(options.required("tasks").split(",")).map(ReservoirTask::parse)
                .toList(), options.required("tier-zero"), options.required("tier-one"), options.required("registry"),
                options.required("kafka"), options.optional("changes-topic"), options.optional("partitions-topic"),
                options.required("run"), options.optional("master"));
    }
}
