package dev.sluice.spring.privacy;

import dev.sluice.core.hashing.KeyedHash;
import dev.sluice.core.hashing.ReservoirKeys;
import dev.sluice.core.privacy.ForgetList;
import dev.sluice.core.topics.Topics;
import dev.sluice.spring.kafka.KafkaClients;
import dev.sluice.spring.kafka.KafkaStages;
import dev.sluice.spring.kafka.ReadFromStart;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.springframework.kafka.listener.BatchMessageListener;
import org.springframework.kafka.listener.ConcurrentMessageListenerContainer;

/**
 * This instance's copy of the forget-list (platform-core's {@link ForgetList}): the compacted
 * {@code privacy.forgotten} read whole at every start and followed, so that a new entry reaches the services that
 * must drop the erased subjects' events (dedup, the indexer) within a poll, without a restart. Each instance reads
 * every partition (a consumer group of its own: the list is not shared out, it is copied).
 *
 * <p>Until the topic has been read to where it ended at start, {@link #current()} throws: a service that asks for the
 * list before it knows it would land or index an erased subject's replayed event. The batch that asked fails and is
 * retried after the backoff, its consumer paused (readiness says so).
 *
 * <p>Entries are keyed hashes; the key (from the master key, {@code SLUICE_MASTER_KEY} or
 * {@code SLUICE_MASTER_KEY_FILE}) is needed to check an event only once the list has entries: without it, a
 * non-empty list fails the batches, rather than let the erased subjects through.
 */
public final class ForgetListFollower implements BatchMessageListener<byte[], byte[]> {

    private final ReadFromStart fromStart = new ReadFromStart();
    private final KeyedHash hash;
    private final String keyProblem;
    private volatile ForgetList list;
    private volatile boolean absentAtStart;

    public ForgetListFollower(KeyedHash hash) {
        this(hash, null);
    }

    private ForgetListFollower(KeyedHash hash, String keyProblem) {
        this.hash = hash;
        this.keyProblem = keyProblem;
        this.list = new ForgetList(hash, List.of());
    }

    /** With the forget-list's key from the master key in the environment, if there is one. */
    public static ForgetListFollower fromEnvironment(Map<String, String> environment) {
        try {
            return new ForgetListFollower(ReservoirKeys.fromEnvironment(environment).forgetListHash(), null);
        } catch (IllegalStateException e) {
            return new ForgetListFollower(null, e.getMessage());
        }
    }

    /**
     * Creates the topic (compacted) unless it exists: the privacy-requests service, its owner, does at start.
     */
    public static void createTopic(KafkaClients kafka, String topic, int partitions, short replicationFactor) {
        try (Admin admin = Admin.create(kafka.common())) {
            Topics.FORGOTTEN_SPEC.named(topic).createIfMissing(admin, partitions, replicationFactor, Duration.ofSeconds(30));
        }
    }

    /**
     * The container that follows the topic; a consumer group of its own per instance, {@code <groupPrefix>-<random>}.
     * A topic that does not exist yet (nobody was ever erased, the privacy-requests service not deployed) is an empty
     * list; the consumer picks the topic up once it is created, and never creates it itself (a topic created by the
     * broker's defaults would not be compacted).
     */
    public ConcurrentMessageListenerContainer<byte[], byte[]> container(KafkaStages stages, KafkaClients kafka,
            String stageName, String topic, String groupPrefix) {
        try (Admin admin = Admin.create(kafka.common())) {
            absentAtStart = !admin.listTopics().names().get(30, TimeUnit.SECONDS).contains(topic);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("cannot tell whether " + topic + " exists: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
        Map<String, Object> consumer = kafka.consumer(groupPrefix + "-" + UUID.randomUUID(), 1000);
        consumer.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false);
        consumer.put(ConsumerConfig.METADATA_MAX_AGE_CONFIG, 5000); // a topic created later is found within seconds
        return stages.container(stageName, consumer)
                .topics(topic)
                .listener(this)
                .onRebalance(fromStart)
                .build();
    }

    @Override
    public void onMessage(List<ConsumerRecord<byte[], byte[]>> records) {
        List<String> entries = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> record : records) {
            if (record.key() != null && record.value() != null) { // a tombstone never un-forgets: it is ignored
                entries.add(new String(record.key(), StandardCharsets.UTF_8));
            }
            fromStart.read(record);
        }
        if (!entries.isEmpty()) {
            list = list.with(entries);
        }
    }

    /** Whether the topic has been read to where it ended at start. */
    public boolean caughtUp() {
        return absentAtStart || fromStart.caughtUp();
    }

    /**
     * The list as known now.
     *
     * @throws IllegalStateException before the topic is read to its end at start, or when the list has entries and
     *         no key is known to check events against them
     */
    public ForgetList current() {
        if (!caughtUp()) {
            throw new IllegalStateException("the forget-list (privacy.forgotten) is not read to its end yet");
        }
        ForgetList known = list;
        if (!known.isEmpty() && hash == null) {
            throw new IllegalStateException("the forget-list has " + known.size() + " entries and no master key is set "
                    + "to check events against them: " + keyProblem);
        }
        return known;
    }
}
