package dev.sluice.datapump.reservoirs;

import dev.sluice.core.lake.PartitionNotice;
import dev.sluice.spring.kafka.DeadLetters;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.springframework.kafka.listener.BatchMessageListener;

/**
 * Reads {@code lake.partitions} in its own consumer group: every tier-zero partition written (new, late events,
 * erasure) becomes reservoir work, stored in Cassandra before the batch's offsets are committed, so that a restart
 * loses none; the reservoirs follow when the work runs. Tier-one notices (the reservoir job's own) and removals are
 * not work; a record that is not a notice goes to the dead-letter topic with the reason. The store not being open
 * yet, or not answering, fails the batch, which the container retries after its backoff.
 */
public final class TierZeroNoticeListener implements BatchMessageListener<byte[], byte[]> {

    private final ReservoirPlanner planner;
    private final DeadLetters deadLetters;
    private final Clock clock;

    public TierZeroNoticeListener(ReservoirPlanner planner, DeadLetters deadLetters, Clock clock) {
        this.planner = planner;
        this.deadLetters = deadLetters;
        this.clock = clock;
    }

    @Override
    public void onMessage(List<ConsumerRecord<byte[], byte[]>> records) {
        List<ReservoirWork> work = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> record : records) {
            PartitionNotice notice;
            try {
                notice = PartitionNotice.fromJson(record.value() == null ? new byte[0] : record.value());
            } catch (IllegalArgumentException e) {
                deadLetters.send(record, e.getMessage());
                continue;
            }
            // a tier-zero hour erased whole (emptied) takes the reservoirs' hour with it; retention is their own
            if (PartitionNotice.TIER_ZERO.equals(notice.tier())
                    && (!notice.reason().removed() || notice.reason() == PartitionNotice.Reason.EMPTIED)) {
                work.add(ReservoirWork.propagate(notice, clock.instant()));
            }
        }
        if (!work.isEmpty()) {
            planner.queue(work);
        }
    }
}
