package dev.sluice.core.topics;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.TopicExistsException;

/** Creating the topics a service owns at start, whichever instance or service gets there first. */
public final class TopicCreation {

    private TopicCreation() {
    }

    /**
     * Creates the topic unless it exists (an existing topic is left as it is, configs included).
     *
     * @return whether this call created it
     * @throws KafkaException when Kafka refuses or does not answer in time
     */
    public static boolean createIfMissing(Admin admin, NewTopic topic, Duration timeout) {
        try {
            admin.createTopics(List.of(topic)).all().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (ExecutionException e) {
            if (e.getCause() instanceof TopicExistsException) {
                return false;
            }
            throw new KafkaException("cannot create topic " + topic.name() + ": " + e.getCause(), e.getCause());
        } catch (TimeoutException e) {
            throw new KafkaException("timed out creating topic " + topic.name(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new KafkaException("interrupted creating topic " + topic.name(), e);
        }
    }
}
