package dev.sluice.datapump.schedule;

import dev.sluice.core.lake.DirtyHour;
import dev.sluice.spring.kafka.DeadLetters;
import dev.sluice.spring.kafka.ReadFromStart;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.springframework.kafka.listener.BatchMessageListener;

/**
 * Reads {@code lake.dirty-hours} from its start at every start (the topic is compacted: the latest notice of every
 * hour is there) and hands each notice to the {@link Pump}; a record that is not a notice goes to the dead-letter
 * topic with the reason, and the rest of the batch is read on. Knows when it has read what was on the topic at
 * start ({@link #caughtUp()}).
 */
public final class DirtyHourListener implements BatchMessageListener<byte[], byte[]> {

    private final Pump pump;
    private final DeadLetters deadLetters;
    private final ReadFromStart fromStart = new ReadFromStart();

    public DirtyHourListener(Pump pump, DeadLetters deadLetters) {
        this.pump = pump;
        this.deadLetters = deadLetters;
    }

    /** The container's rebalance listener: the topic is read from its start at every assignment. */
    public ReadFromStart fromStart() {
        return fromStart;
    }

    @Override
    public void onMessage(List<ConsumerRecord<byte[], byte[]>> records) {
        for (ConsumerRecord<byte[], byte[]> record : records) {
            if (record.value() != null) { // a tombstone: the hour's key was deleted
                try {
                    pump.offer(DirtyHour.fromJson(record.value()));
                } catch (IllegalArgumentException e) {
                    deadLetters.send(record, e.getMessage());
                }
            }
            fromStart.read(record);
        }
    }

    /** Whether every notice that was on the topic when the partitions were assigned has been read. */
    public boolean caughtUp() {
        return fromStart.caughtUp();
    }
}
