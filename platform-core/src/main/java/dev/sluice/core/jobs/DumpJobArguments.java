package dev.sluice.core.jobs;

import dev.sluice.core.lake.HourPartition;
import dev.sluice.core.topics.Topics;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * The arguments of the tier-zero dump job ({@code dev.sluice.lake.TierZeroDumpJob}), written by the datapump and
 * read by the job.
 *
 * @param hours the dirty hours to dump
 * @param lake tier zero's root: {@code file:///...} or {@code s3a://bucket/prefix}
 * @param cassandra the landing table's contact points, {@code host:port[,host:port]}
 * @param registry the schema registry's URL
 * @param run the run id, which names the versions written
 * @param kafka where the job announces the partitions it wrote; null: no notices
 * @param partitionsTopic the topic of those notices
 * @param forgottenTopic the forget-list (compacted), read from Kafka before the dump: the erased subjects' rows are
 *        erased again
 * @param master Spark's master when the job is not started by spark-submit (a child JVM: {@code local[2]}); else null
 */
public record DumpJobArguments(List<HourPartition> hours, String lake, String cassandra, String datacenter,
        String keyspace, String registry, String run, String kafka, String partitionsTopic, String forgottenTopic, String master) {

    public DumpJobArguments {
        hours = List.copyOf(hours);
        if (hours.isEmpty()) {
            throw new IllegalArgumentException("a dump needs at least one hour");
        }
        Objects.requireNonNull(lake, "lake");
        Objects.requireNonNull(cassandra, "cassandra");
        Objects.requireNonNull(registry, "registry");
        Objects.requireNonNull(run, "run");
        datacenter = datacenter == null ? "datacenter1" : datacenter;
        keyspace = keyspace == null ? "sluice" : keyspace;
        partitionsTopic = partitionsTopic == null ? Topics.PARTITIONS : partitionsTopic;
        forgottenTopic = forgottenTopic == null ? Topics.FORGOTTEN : forgottenTopic;
    }

    public DumpJobArguments withMaster(String master) {
        return new DumpJobArguments(hours, lake, cassandra, datacenter, keyspace, registry, run, kafka, partitionsTopic,
                forgottenTopic, master);
    }

    public List<String> toArgs() {
        return JobOptions.create()
                .with("hours", String.join(",", hours.stream().map(HourPartition::key).toList()))
                .with("lake", lake).with("cassandra", cassandra).with("datacenter", datacenter)
                .with("keyspace", keyspace).with("registry", registry).with("run", run)
                .with("kafka", kafka).with("partitions-topic", partitionsTopic)
                .with("forgotten-topic", forgottenTopic).with("master", master)
                .toArgs();
    }

    public static DumpJobArguments parse(String[] args) {
        JobOptions options = JobOptions.parse(args);
        List<HourPartition> hours = Arrays.stream(options.required("hours").split(","))
                .map(HourPartition::parseKey).toList();
        return new DumpJobArguments(hours, options.required("lake"), options.required("cassandra"),
                options.optional("datacenter"), options.optional("keyspace"), options.required("registry"),
                options.required("run"), options.optional("kafka"), options.optional("partitions-topic"),
                options.optional("forgotten-topic"), options.optional("master"));
    }
}
