package dev.sluice.datapump.schedule;

import dev.sluice.core.lake.DirtyHour;
import dev.sluice.spring.kafka.DeadLetters;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.springframework.kafka.listener.BatchMessageListener;
import org.springframework.kafka.listener.ConsumerAwareRebalanceListener;

/**
 * Reads {@code lake.dirty-hours} from its start at every start (the topic is compacted: the latest notice of every
 * hour is there) and hands each notice to the {@link Pump}; a record that is not a notice goes to the dead-letter
 * topic with the reason, and the rest of the batch is read on. Knows when it has read what was on the topic at
 * start ({@link #caughtUp()}).
 */
public final class DirtyHourListener implements BatchMessageListener<byte[], byte[]>, ConsumerAwareRebalanceListener {

    private final Pump pump;
    private final DeadLetters deadLetters;
    /** Per partition: the end offset at assignment, and the next offset to read. */
    private final Map<TopicPartition, Long> endAtStart = new ConcurrentHashMap<>();
    private final Map<TopicPartition, Long> read = new ConcurrentHashMap<>();
    private volatile boolean assigned;

    public DirtyHourListener(Pump pump, DeadLetters deadLetters) {
        this.pump = pump;
        this.deadLetters = deadLetters;
    }

    @Override
    public void onPartitionsAssigned(Consumer<?, ?> consumer, Collection<TopicPartition> partitions) {
        endAtStart.putAll(consumer.endOffsets(partitions));
        consumer.seekToBeginning(partitions);
        assigned = true;
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
            read.merge(new TopicPartition(record.topic(), record.partition()), record.offset() + 1, Math::max);
        }
    }

    /** Whether every notice that was on the topic when the partitions were assigned has been read. */
    public boolean caughtUp() {
        return assigned && endAtStart.entrySet().stream().allMatch(end -> read.getOrDefault(end.getKey(), 0L) >= end.getValue()
                || end.getValue() == 0);
    }
}
