package dev.sluice.spring.kafka;

import java.util.Collection;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.springframework.kafka.listener.ConsumerAwareRebalanceListener;

/**
 * For a listener that reads a compacted topic whole at every start (the latest record of every key is there):
 * seeks each assigned partition to its beginning, and knows when everything that was on the topic at assignment has
 * been read ({@link #caughtUp()}), so that decisions that need the whole topic wait for it. Give it to the container
 * as its rebalance listener and call {@link #read} for every record handled.
 */
public final class ReadFromStart implements ConsumerAwareRebalanceListener {

    /** Per partition: the end offset at assignment, and the next offset to read. */
    private final Map<TopicPartition, Long> endAtStart = new ConcurrentHashMap<>();
    private final Map<TopicPartition, Long> read = new ConcurrentHashMap<>();
    private volatile boolean assigned;

    @Override
    public void onPartitionsAssigned(Consumer<?, ?> consumer, Collection<TopicPartition> partitions) {
        endAtStart.putAll(consumer.endOffsets(partitions));
        consumer.seekToBeginning(partitions);
        assigned = true;
    }

    /** The record was handled. */
    public void read(ConsumerRecord<?, ?> record) {
        read.merge(new TopicPartition(record.topic(), record.partition()), record.offset() + 1, Math::max);
    }

    /** Whether every record that was on the topic when the partitions were assigned has been read. */
    public boolean caughtUp() {
        return assigned && endAtStart.entrySet().stream()
                .allMatch(end -> end.getValue() == 0 || read.getOrDefault(end.getKey(), 0L) >= end.getValue());
    }
}
