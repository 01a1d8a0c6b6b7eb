package dev.sluice.core.jobs;

import dev.sluice.core.topics.Topics;
import java.util.List;
import java.util.Objects;

/**
 * The arguments of the erasure job ({@code dev.sluice.lake.ErasureJob}), written by the privacy-requests service.
 * The requests travel as an {@link ErasureBatch} in the exports bucket ({@code <exports>/_batches/erasure-<run>.json});
 * the master key (reservoir hashes, forget-list) in the job's environment, never here.
 *
 * @param tierZero tier zero's root
 * @param tierOne tier one's root (the reservoirs are {@code <tierOne>/<reservoir>}), scanned by a verification
 * @param exports the exports bucket's root: the batch and its result
 * @param legalHold the legal-hold bucket's root: {@code <legalHold>/<request id>/…}
 * @param cassandra the landing table's contact points
 * @param kafka where the rewrite's partition notices go, and where the verification reads the reservoirs' policies
 */
public record ErasureJobArguments(String tierZero, String tierOne, String exports, String legalHold, String registry,
        String cassandra, String datacenter, String keyspace, String kafka, String partitionsTopic, String changesTopic,
        String run, String master) {

    public ErasureJobArguments {
        Objects.requireNonNull(tierZero, "tierZero");
        Objects.requireNonNull(tierOne, "tierOne");
        Objects.requireNonNull(exports, "exports");
        Objects.requireNonNull(legalHold, "legalHold");
        Objects.requireNonNull(registry, "registry");
        Objects.requireNonNull(cassandra, "cassandra");
        Objects.requireNonNull(kafka, "kafka");
        Objects.requireNonNull(run, "run");
        exports = exports.replaceAll("/+$", "");
        legalHold = legalHold.replaceAll("/+$", "");
        datacenter = datacenter == null ? "datacenter1" : datacenter;
        keyspace = keyspace == null ? "sluice" : keyspace;
        partitionsTopic = partitionsTopic == null ? Topics.PARTITIONS : partitionsTopic;
        changesTopic = changesTopic == null ? Topics.GOVERNANCE_CHANGES : changesTopic;
    }

    public ErasureJobArguments withMaster(String sparkMaster) {
        return new ErasureJobArguments(tierZero, tierOne, exports, legalHold, registry, cassandra, datacenter, keyspace,
                kafka, partitionsTopic, changesTopic, run, sparkMaster);
    }

    public String batchPath() {
        return exports + "/" + ErasureBatch.batchKey(run);
    }

    public String resultPath() {
        return exports + "/" + ErasureBatch.resultKey(run);
    }

    public List<String> toArgs() {
        return JobOptions.create().with("tier-zero", tierZero).with("tier-one", tierOne).with("exports", exports)
                .with("legal-hold", legalHold).with("registry", registry).with("cassandra", cassandra)
                .with("datacenter", datacenter).with("keyspace", keyspace).with("kafka", kafka)
                .with("partitions-topic", partitionsTopic).with("changes-topic", changesTopic).with("run", run)
                .with("master", master).toArgs();
    }

    public static ErasureJobArguments parse(String[] args) {
        JobOptions o = JobOptions.parse(args);
        return new ErasureJobArguments(o.required("tier-zero"), o.required("tier-one"), o.required("exports"),
                o.required("legal-hold"), o.required("registry"), o.required("cassandra"), o.optional("datacenter"),
                o.optional("keyspace"), o.required("kafka"), o.optional("partitions-topic"),
                o.optional("changes-topic"), o.required("run"), o.optional("master"));
    }
}
