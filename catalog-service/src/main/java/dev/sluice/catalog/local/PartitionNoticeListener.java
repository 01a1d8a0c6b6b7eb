package dev.sluice.catalog.local;

import dev.sluice.catalog.LakeObjects;
import dev.sluice.catalog.PointerRegistration;
import dev.sluice.core.lake.LakeLayout;
import dev.sluice.core.lake.PartitionNotice;
import dev.sluice.spring.kafka.DeadLetters;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.springframework.kafka.listener.BatchMessageListener;

/**
 * Registers the partition of every tier-zero notice on {@code lake.partitions}, with the same
 * {@link PointerRegistration} as the Lambda. A notice that is not one, or names a partition the lake does not have,
 * goes to the dead-letter topic with the reason and the rest of the batch is registered; a lake or catalog that does
 * not answer fails the batch, which is registered again after the backoff (registration is idempotent).
 */
final class PartitionNoticeListener implements BatchMessageListener<byte[], byte[]> {

    private final PointerRegistration registration;
    private final String prefix;
    private final DeadLetters deadLetters;
    private final MeterRegistry meters;

    /** @param prefix tier zero's key prefix in its bucket ("" or ending with /) */
    PartitionNoticeListener(PointerRegistration registration, String prefix, DeadLetters deadLetters, MeterRegistry meters) {
        this.registration = registration;
        this.prefix = prefix;
        this.deadLetters = deadLetters;
        this.meters = meters;
    }

    @Override
    public void onMessage(List<ConsumerRecord<byte[], byte[]>> records) {
        for (ConsumerRecord<byte[], byte[]> record : records) {
            PartitionNotice notice;
            try {
                notice = PartitionNotice.fromJson(record.value() == null ? new byte[0] : record.value());
            } catch (IllegalArgumentException e) {
                deadLetter(record, e.getMessage());
                continue;
            }
            if (!"zero".equals(notice.tier())) {
                continue; // reservoirs are registered by their own tier's catalog
            }
            try {
                var outcome = registration.register(prefix + LakeLayout.relativePointer(notice.partition()));
                meters.counter("catalog.registrations", "outcome", outcome.name().toLowerCase()).increment();
            } catch (LakeObjects.MissingObject | IllegalArgumentException | IllegalStateException e) {
                deadLetter(record, e.getMessage()); // the notice names what is not there, or not a partition
            }
        }
    }

    private void deadLetter(ConsumerRecord<byte[], byte[]> record, String reason) {
        deadLetters.send(record, reason);
        meters.counter("catalog.registrations", "outcome", "dead_letter").increment();
    }
}
