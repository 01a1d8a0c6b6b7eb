package dev.sluice.datapump.reservoirs;

import dev.sluice.core.jobs.ReservoirTask;
import dev.sluice.core.lake.HourPartition;
import dev.sluice.core.lake.PartitionNotice;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Objects;

/**
 * Reservoir work not done yet, as kept in {@code reservoir_work}: a tier-zero partition to propagate to every
 * reservoir that receives its event type (which ones is decided when the work runs, with the policies of then), or
 * one {@link ReservoirTask}. Two pieces of work with the same {@link #key} do the same thing; the later one's reason
 * and time replace the earlier's.
 *
 * @param partition the tier-zero partition to propagate, or null
 * @param task the reservoir task, or null
 * @param queuedAt when it was asked for (last)
 */
public record ReservoirWork(HourPartition partition, PartitionNotice.Reason reason, ReservoirTask task, Instant queuedAt) {

    private static final String PROPAGATE = "zero";

    public ReservoirWork {
        if ((partition == null) == (task == null)) {
            throw new IllegalArgumentException("reservoir work is a tier-zero partition or a reservoir task");
        }
        if (partition != null) {
            Objects.requireNonNull(reason, "reason");
        }
        Objects.requireNonNull(queuedAt, "queuedAt");
    }

    /** A tier-zero partition was written (new, late events, erasure): every reservoir of its type follows. */
    public static ReservoirWork propagate(PartitionNotice notice, Instant now) {
        return new ReservoirWork(notice.partition(), notice.reason(), null, now);
    }

    /** Whether this is a tier-zero hour an erasure rewrote or emptied. */
    public boolean erases() {
        return reason == PartitionNotice.Reason.ERASURE || reason == PartitionNotice.Reason.EMPTIED;
    }

    /** The same partition's work for another reason (a propagation only). */
    public ReservoirWork withReason(PartitionNotice.Reason other) {
        return new ReservoirWork(partition, other, task, queuedAt);
    }

    public static ReservoirWork of(ReservoirTask task, Instant now) {
        return new ReservoirWork(null, null, task, now);
    }

    public String key() {
        return partition != null ? PROPAGATE + ":" + partition.key() : task.key();
    }

    /** The work with its reason, one line: {@code zero:<type>/<date>/<HH>:<reason>} or {@link ReservoirTask#toArg}. */
    public String text() {
        return partition != null ? key() + ":" + reason.wire() : task.toArg();
    }

    public static ReservoirWork parse(String text, Instant queuedAt) {
        if (text.startsWith(PROPAGATE + ":")) {
            int reasonAt = text.lastIndexOf(':');
            return new ReservoirWork(HourPartition.parseKey(text.substring(PROPAGATE.length() + 1, reasonAt)),
                    PartitionNotice.Reason.ofWire(text.substring(reasonAt + 1)), null, queuedAt);
        }
        return of(ReservoirTask.parse(text), queuedAt);
    }

    /** The tasks of a propagation: the partition's hour, in each reservoir given. */
    public ReservoirTask hourIn(String reservoir) {
        LocalDate date = partition.date();
        return ReservoirTask.hour(reservoir, partition.eventType(), date, partition.hour(), reason);
    }
}
