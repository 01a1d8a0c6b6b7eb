package dev.sluice.spring.kafka;

import java.time.Duration;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.core.KafkaOperations;
import org.springframework.kafka.listener.DeadLetterPublishingRecoverer;

/**
 * A dead-letter topic: a record that cannot be processed goes there unchanged, with spring-kafka's standard
 * headers ({@code kafka_dlt-original-topic}, {@code -partition}, {@code -offset}, {@code kafka_dlt-exception-message}
 * with the reason, ...), and the stage goes on with the rest of its batch. The send is acknowledged before this
 * returns, so the record's offset can be committed after it.
 */
public final class DeadLetters {

    private static final Logger log = LoggerFactory.getLogger(DeadLetters.class);

    private final DeadLetterPublishingRecoverer recoverer;
    private final String topic;

    public DeadLetters(KafkaOperations<byte[], byte[]> template, String topic) {
        this.topic = topic;
        // partition -1: the producer chooses, so the dead-letter topic needs no more partitions than its sources
        this.recoverer = new DeadLetterPublishingRecoverer(template, (record, e) -> new TopicPartition(topic, -1));
        this.recoverer.setWaitForSendResultTimeout(Duration.ofSeconds(60));
        this.recoverer.setFailIfSendResultIsError(true);
    }

    /** Sends the record with the reason; throws when Kafka does not acknowledge it (the batch is then retried). */
    public void send(ConsumerRecord<?, ?> record, String reason) {
        log.warn("{}-{}@{} goes to {}: {}", record.topic(), record.partition(), record.offset(), topic, reason);
        recoverer.accept(record, new BadRecord(reason));
    }

    public String topic() {
        return topic;
    }

    /** Why a record was dead-lettered (its message is the reason; no stack trace: it is not a failure of ours). */
    public static final class BadRecord extends RuntimeException {
        public BadRecord(String reason) {
            super(reason, null, false, false);
        }
    }
}
