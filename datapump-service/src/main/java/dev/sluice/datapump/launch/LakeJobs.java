package dev.sluice.datapump.launch;

import dev.sluice.core.jobs.DumpJobArguments;
import dev.sluice.core.jobs.ReservoirJobArguments;
import dev.sluice.core.jobs.ReservoirTask;
import dev.sluice.core.lake.HourPartition;
import dev.sluice.datapump.DatapumpProperties;
import dev.sluice.spring.jobs.JobLauncher;
import dev.sluice.spring.jobs.RunningJob;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

/**
 * The datapump's two lake jobs — the tier-zero dump ({@code dev.sluice.lake.TierZeroDumpJob}) and the reservoir job
 * ({@code dev.sluice.lake.ReservoirPublishJob}) — their arguments built from the settings, started through the
 * platform's {@link JobLauncher}.
 */
public final class LakeJobs {

    static final String DUMP_JOB = "dev.sluice.lake.TierZeroDumpJob";
    static final String RESERVOIR_JOB = "dev.sluice.lake.ReservoirPublishJob";

    private final DatapumpProperties.Job job;
    private final JobLauncher launcher;
    private final String cassandra;
    private final String datacenter;
    private final String keyspace;
    private final String kafka;
    private final String partitionsTopic;
    private final String changesTopic;
    private final String forgottenTopic;

    /**
     * @param cassandra the landing table's contact points as the job sees them
     * @param kafka where the job announces the partitions it wrote, as the job sees it
     */
    public LakeJobs(DatapumpProperties.Job job, String cassandra, String datacenter, String keyspace, String kafka,
            String partitionsTopic, String changesTopic, String forgottenTopic) {
        this.job = job;
        this.launcher = new JobLauncher(job.toLaunchSettings());
        this.cassandra = cassandra;
        this.datacenter = datacenter;
        this.keyspace = keyspace;
        this.kafka = kafka;
        this.partitionsTopic = partitionsTopic;
        this.changesTopic = changesTopic;
        this.forgottenTopic = forgottenTopic;
    }

    public Path log(String runId) {
        return launcher.log(runId);
    }

    /** Starts a run of the dump job on the hours. */
    public RunningJob startDump(String runId, List<HourPartition> hours, Instant now) throws IOException {
        DumpJobArguments arguments = dumpArguments(runId, hours);
        return launcher.start(runId, DUMP_JOB, arguments.toArgs(), arguments.withMaster(launcher.localMaster()).toArgs(),
                now);
    }

    /** Starts a run of the reservoir job with the tasks. */
    public RunningJob startReservoirs(String runId, List<ReservoirTask> tasks, Instant now) throws IOException {
        ReservoirJobArguments arguments = reservoirArguments(runId, tasks);
        return launcher.start(runId, RESERVOIR_JOB, arguments.toArgs(),
                arguments.withMaster(launcher.localMaster()).toArgs(), now);
    }

    /** The whole command of a dump run (without secrets). */
    public List<String> dumpCommand(String runId, List<HourPartition> hours) {
        DumpJobArguments arguments = dumpArguments(runId, hours);
        return launcher.command(DUMP_JOB, arguments.toArgs(), arguments.withMaster(launcher.localMaster()).toArgs());
    }

    /** The whole command of a reservoir run (without secrets). */
    public List<String> reservoirCommand(String runId, List<ReservoirTask> tasks) {
        ReservoirJobArguments arguments = reservoirArguments(runId, tasks);
        return launcher.command(RESERVOIR_JOB, arguments.toArgs(), arguments.withMaster(launcher.localMaster()).toArgs());
    }

    private DumpJobArguments dumpArguments(String runId, List<HourPartition> hours) {
        return new DumpJobArguments(hours, job.lake(), cassandra, datacenter, keyspace, job.registryUrl(), runId, kafka,
                partitionsTopic, forgottenTopic, null);
    }

    private ReservoirJobArguments reservoirArguments(String runId, List<ReservoirTask> tasks) {
        return new ReservoirJobArguments(tasks, job.lake(), job.tierOne(), job.registryUrl(), kafka, changesTopic,
                partitionsTopic, runId, null);
    }
}
