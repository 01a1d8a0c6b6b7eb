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
 * Registers the partition of every notice on {@code lake.partitions} — tier zero's in its database, each reservoir's
 * in its own — with the same {@link PointerRegistration} as the Lambda, and unregisters the partitions a notice says
 * are gone (retention, a deleted reservoir, an hour with no row left). A notice that is not one, or names a partition
 * the lake does not have, goes to the dead-letter topic with the reason and the rest of the batch is registered; a
 * lake or catalog that does not answer fails the batch, which is registered again after the backoff (registration
 * is idempotent).
 */
final class PartitionNoticeListener implements BatchMessageListener<byte[], byte[]> {

    private final PointerRegistration registration;
    private final String tierZeroPrefix;
    private final String tierOnePrefix;
    private final DeadLetters deadLetters;
    private final MeterRegistry meters;

    /** @param tierZeroPrefix tier zero's key prefix in the lake ("" or ending with /), and tierOnePrefix tier one's */
    PartitionNoticeListener(PointerRegistration registration, String tierZeroPrefix, String tierOnePrefix,
            DeadLetters deadLetters, MeterRegistry meters) {
        this.registration = registration;
        this.tierZeroPrefix = tierZeroPrefix;
        this.tierOnePrefix = tierOnePrefix;
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
            String key = (PartitionNotice.TIER_ZERO.equals(notice.tier()) ? tierZeroPrefix
                    : tierOnePrefix + notice.reservoir() + "/") + LakeLayout.relativePointer(notice.partition());
            try {
                var outcome = notice.reason().removed() ? registration.unregister(key) : registration.register(key);
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
