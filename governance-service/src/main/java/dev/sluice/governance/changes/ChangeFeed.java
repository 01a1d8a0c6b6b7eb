package dev.sluice.governance.changes;

import dev.sluice.core.policy.ReservoirPolicy;
import dev.sluice.governance.GovernanceStore;
import dev.sluice.governance.grants.StoredGrant;
import dev.sluice.governance.reservoirs.Reservoir;
import dev.sluice.governance.rules.StoredRule;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;

import java.util.Collection;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.core.KafkaOperations;

/**
 * The change feed: every change of a reservoir's effective policy gives it a new revision, and the reservoir's whole
 * policy ({@link ReservoirPolicy}, never a key) goes to the compacted {@code governance.changes}, keyed by reservoir;
 * a deleted reservoir is a tombstone. A publication that fails is not lost: the reservoir's revision is ahead of its
 * published revision, and the upkeep publishes it again ({@link #publishBehind()}).
 */
public final class ChangeFeed {

    private static final Logger log = LoggerFactory.getLogger(ChangeFeed.class);

    private final GovernanceStore store;
    private final KafkaOperations<byte[], byte[]> kafka;
    private final String topic;
    private final Clock clock;
    private final List<String> subjectPrefixes;

    /** @param subjectPrefixes the entity types that identify people, published with every policy */
    public ChangeFeed(GovernanceStore store, KafkaOperations<byte[], byte[]> kafka, String topic, Clock clock,
            Collection<String> subjectPrefixes) {
        this.store = store;
        this.kafka = kafka;
        this.topic = topic;
        this.clock = clock;
        this.subjectPrefixes = subjectPrefixes.stream().sorted().toList();
    }

    /** The reservoirs' policies changed: a new revision each, published. */
    public void changed(Collection<String> reservoirs) {
        Instant now = clock.instant();
        for (String name : reservoirs) {
            store.bumpRevision(name, now).ifPresent(revision -> publishQuietly(name));
        }
    }

    /** Every reservoir (a change of an all-reservoirs rule). */
    public void changedAll() {
        changed(store.reservoirs().stream().map(Reservoir::name).toList());
    }

    /** Publishes the reservoirs whose last revision was not acknowledged. */
    public void publishBehind() {
        for (Reservoir reservoir : store.reservoirs()) {
            if (reservoir.publishedRevision() < reservoir.revision()) {
                publish(reservoir.name());
            }
        }
    }

    public void deleted(String reservoir) {
        send(reservoir, null);
    }

    /** The reservoir's current policy, as published. */
    public ReservoirPolicy policy(Reservoir reservoir) {
        Instant now = clock.instant();
        List<StoredRule> rules = store.rules();
        List<StoredGrant> grants = store.grants();
        return new ReservoirPolicy(reservoir.name(), reservoir.revision(), reservoir.owningTeam(), reservoir.retentionDays(),
                reservoir.keyVersion(), reservoir.eventTypes().stream().sorted().toList(),
                rules.stream().filter(r -> r.inEffect(now) && r.appliesTo(reservoir.name())).map(StoredRule::toRule).toList(),
                grants.stream().filter(g -> g.inEffect(now) && g.reservoir().equals(reservoir.name()))
                        .map(StoredGrant::toGrant).toList(), now, subjectPrefixes);
    }

    private void publishQuietly(String reservoir) {
        try {
            publish(reservoir);
        } catch (RuntimeException e) {
            // stored, not yet published: the upkeep publishes it again
            log.warn("reservoir {} changed, its publication failed and will be retried: {}", reservoir, e.toString());
        }
    }

    private void publish(String name) {
        Reservoir reservoir = store.reservoir(name).orElse(null);
        if (reservoir == null) {
            return;
        }
        send(name, policy(reservoir).toJson());
        store.published(name, reservoir.revision());
    }

    private void send(String reservoir, byte[] value) {
        try {
            kafka.send(new ProducerRecord<>(topic, reservoir.getBytes(StandardCharsets.UTF_8), value)).get(30, TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException("the change of reservoir " + reservoir + " was not acknowledged: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

}
