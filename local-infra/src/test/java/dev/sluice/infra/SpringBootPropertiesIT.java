package dev.sluice.infra;

import static org.assertj.core.api.Assertions.assertThat;

import com.datastax.oss.driver.api.core.CqlSession;
import dev.sluice.infra.junit.LocalInfraTest;
import java.util.List;
import org.apache.kafka.clients.admin.NewTopic;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Bean;
import org.springframework.kafka.core.KafkaAdmin;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.support.SendResult;

/**
 * The extension's properties are what Spring Boot's own auto-configuration reads: the Kafka template and the
 * Cassandra session that Boot builds reach the real servers without any configuration in the test.
 */
@LocalInfraTest({Server.KAFKA, Server.CASSANDRA})
@SpringBootTest(classes = SpringBootPropertiesIT.App.class)
class SpringBootPropertiesIT {

    @SpringBootApplication
    static class App {
        @Bean
        NewTopic bootTopic() {
            return new NewTopic("boot.test", 1, (short) 1);
        }
    }

    @Autowired
    KafkaTemplate<String, String> kafka;

    @Autowired
    KafkaAdmin kafkaAdmin;

    @Autowired
    CqlSession cassandra;

    @Test
    void bootsKafkaTemplateSendsToTheLocalBroker(LocalInfra infra) throws Exception {
        SendResult<String, String> sent = kafka.send("boot.test", "k", "from spring boot").get();

        assertThat(sent.getRecordMetadata().topic()).isEqualTo("boot.test");
        assertThat(sent.getRecordMetadata().offset()).isZero();
        assertThat(kafkaAdmin.describeTopics("boot.test")).containsKey("boot.test");
        assertThat(List.of(infra.kafkaBootstrapServers()))
                .isEqualTo(kafka.getProducerFactory().getConfigurationProperties().get("bootstrap.servers"));
    }

    @Test
    void bootsCqlSessionQueriesTheLocalCassandra() {
        String version = cassandra.execute("SELECT release_version FROM system.local").one().getString(0);

        assertThat(version).startsWith("5.0.");
    }
}
