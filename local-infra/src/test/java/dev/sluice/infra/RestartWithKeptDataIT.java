package dev.sluice.infra;

import static org.assertj.core.api.Assertions.assertThat;

import com.datastax.oss.driver.api.core.CqlSession;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/** Its own set of servers (not the shared one): written, stopped, started again on the same kept directory. */
class RestartWithKeptDataIT {

    @Test
    void whatWasWrittenBeforeARestartIsStillThere() throws Exception {
        Path directory = Path.of("target", "local-infra", "restart-" + ProcessHandle.current().pid());

        try (LocalInfra infra = LocalInfra.builder().directory(directory).keepData(true).build()
                .start(Server.KAFKA, Server.CASSANDRA, Server.S3)) {
            try (Admin admin = Clients.kafkaAdmin(infra)) {
                admin.createTopics(List.of(new NewTopic("kept", 1, (short) 1))).all().get();
            }
            try (KafkaProducer<String, String> producer = Clients.kafkaProducer(infra, Map.of())) {
                producer.send(new ProducerRecord<>("kept", "k", "written before the restart")).get();
            }
            try (CqlSession session = Clients.cqlSession(infra)) {
                session.execute("CREATE KEYSPACE kept WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 1}");
                session.execute("CREATE TABLE kept.notes (id text PRIMARY KEY, body text)");
                session.execute(session.prepare("INSERT INTO kept.notes (id, body) VALUES (?, ?)")
                        .bind("n-1", "written before the restart"));
            }
            try (S3Client s3 = Clients.s3(infra)) {
                s3.createBucket(b -> b.bucket("kept"));
                s3.putObject(p -> p.bucket("kept").key("note.txt"), RequestBody.fromString("written before the restart"));
            }
        }

        try (LocalInfra infra = LocalInfra.builder().directory(directory).keepData(true).build()
                .start(Server.KAFKA, Server.CASSANDRA, Server.S3)) {
            try (KafkaConsumer<String, String> consumer = Clients.kafkaConsumer(infra, "after-restart", Map.of())) {
                consumer.subscribe(List.of("kept"));
                List<String> values = new ArrayList<>();
                long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
                while (values.isEmpty() && System.nanoTime() < deadline) {
                    consumer.poll(Duration.ofMillis(500)).forEach(r -> values.add(r.value()));
                }
                assertThat(values).containsExactly("written before the restart");
            }
            try (CqlSession session = Clients.cqlSession(infra)) {
                assertThat(session.execute(session.prepare("SELECT body FROM kept.notes WHERE id = ?").bind("n-1"))
                        .one().getString("body")).isEqualTo("written before the restart");
            }
            try (S3Client s3 = Clients.s3(infra)) {
                assertThat(s3.getObjectAsBytes(g -> g.bucket("kept").key("note.txt")).asUtf8String())
                        .isEqualTo("written before the restart");
            }
        }
    }
}
