package dev.sluice.datapump.reservoirs;

import dev.sluice.core.policy.ReservoirPolicy;
import dev.sluice.spring.kafka.DeadLetters;
import dev.sluice.spring.kafka.ReadFromStart;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.springframework.kafka.listener.BatchMessageListener;

/**
 * Reads {@code governance.changes} from its start at every start (compacted: the latest policy of every reservoir,
 * a deleted reservoir a tombstone) and hands each to the {@link ReservoirPlanner}, which plans only once everything
 * that was on the topic at start is read: a reservoir missing from a partly read topic is not deleted. A record that
 * is not a policy goes to the dead-letter topic with the reason.
 */
public final class PolicyListener implements BatchMessageListener<byte[], byte[]> {

    private final ReservoirPlanner planner;
    private final DeadLetters deadLetters;
    private final ReadFromStart fromStart;

    public PolicyListener(ReservoirPlanner planner, DeadLetters deadLetters, ReadFromStart fromStart) {
        this.planner = planner;
        this.deadLetters = deadLetters;
        this.fromStart = fromStart;
    }

    @Override
    public void onMessage(List<ConsumerRecord<byte[], byte[]>> records) {
        for (ConsumerRecord<byte[], byte[]> record : records) {
            if (record.key() == null) {
                deadLetters.send(record, "a policy change without a key (the reservoir)");
            } else if (record.value() == null) {
                planner.offerPolicy(new String(record.key(), StandardCharsets.UTF_8), null);
            } else {
                try {
                    ReservoirPolicy policy = ReservoirPolicy.fromJson(record.value());
                    planner.offerPolicy(policy.reservoir(), policy);
                } catch (IllegalArgumentException e) {
                    deadLetters.send(record, e.getMessage());
                }
            }
            fromStart.read(record);
        }
    }
}
