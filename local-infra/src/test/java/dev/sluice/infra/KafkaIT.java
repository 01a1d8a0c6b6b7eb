package dev.sluice.infra;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.infra.junit.LocalInfraTest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

@LocalInfraTest(Server.KAFKA)
class KafkaIT {

    @Test
    void createsTopicProducesAndConsumes(LocalInfra infra) throws Exception {
        try (Admin admin = Clients.kafkaAdmin(infra)) {
            admin.createTopics(List.of(new NewTopic("events.raw", 3, (short) 1))).all().get();
            assertThat(admin.listTopics().names().get()).contains("events.raw");
            assertThat(admin.describeTopics(Set.of("events.raw")).allTopicNames().get().get("events.raw").partitions())
                    .hasSize(3);
        }
        try (KafkaProducer<String, String> producer = Clients.kafkaProducer(infra, Map.of())) {
            for (int i = 0; i < 10; i++) {
                producer.send(new ProducerRecord<>("events.raw", "id-" + i, "{\"n\":" + i + "}")).get();
            }
        }
        try (KafkaConsumer<String, String> consumer = Clients.kafkaConsumer(infra, "plain", Map.of())) {
            consumer.subscribe(List.of("events.raw"));
            List<String> keys = readUntil(consumer, 10).stream().map(ConsumerRecord::key).toList();
            assertThat(keys).containsExactlyInAnyOrder(
                    "id-0", "id-1", "id-2", "id-3", "id-4", "id-5", "id-6", "id-7", "id-8", "id-9");
        }
    }

    @Test
    void readCommittedConsumerSeesOnlyCommittedTransactions(LocalInfra infra) throws Exception {
        try (Admin admin = Clients.kafkaAdmin(infra)) {
            admin.createTopics(List.of(new NewTopic("tx.test", 1, (short) 1))).all().get();
        }
        try (KafkaProducer<String, String> producer = Clients.kafkaProducer(infra,
                Map.of(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "local-infra-it"))) {
            producer.initTransactions();
            producer.beginTransaction();
            producer.send(new ProducerRecord<>("tx.test", "a", "committed-1"));
            producer.send(new ProducerRecord<>("tx.test", "b", "committed-2"));
            producer.commitTransaction();
            producer.beginTransaction();
            producer.send(new ProducerRecord<>("tx.test", "c", "aborted")).get();
            producer.abortTransaction();
            producer.beginTransaction();
            producer.send(new ProducerRecord<>("tx.test", "d", "committed-3"));
            producer.commitTransaction();
        }
        try (KafkaConsumer<String, String> committed = Clients.kafkaConsumer(infra, "committed",
                Map.of(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"))) {
            committed.subscribe(List.of("tx.test"));
            assertThat(readUntil(committed, 3)).extracting(ConsumerRecord::value)
                    .containsExactly("committed-1", "committed-2", "committed-3");
        }
        // the aborted record was really written: a read_uncommitted consumer sees it
        try (KafkaConsumer<String, String> uncommitted = Clients.kafkaConsumer(infra, "uncommitted",
                Map.of(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_uncommitted"))) {
            uncommitted.subscribe(List.of("tx.test"));
            assertThat(readUntil(uncommitted, 4)).extracting(ConsumerRecord::value)
                    .containsExactly("committed-1", "committed-2", "aborted", "committed-3");
        }
    }

    /** Polls until the expected count arrived, then once more to catch anything unexpected after it. */
    private static List<ConsumerRecord<String, String>> readUntil(KafkaConsumer<String, String> consumer, int expected) {
        List<ConsumerRecord<String, String>> records = new ArrayList<>();
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (records.size() < expected && System.nanoTime() < deadline) {
            consumer.poll(Duration.ofMillis(500)).forEach(records::add);
        }
        consumer.poll(Duration.ofMillis(500)).forEach(records::add);
        return records;
    }
}
