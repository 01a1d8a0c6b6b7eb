package dev.sluice.privacy.erasure;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import com.datastax.oss.driver.api.core.cql.SimpleStatement;
import dev.sluice.core.hashing.KeyedHash;
import dev.sluice.core.privacy.EntityRef;
import dev.sluice.core.privacy.ForgetList;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.springframework.kafka.core.KafkaOperations;

/**
 * Puts erased subjects on the forget-list: the keyed hash of each into Cassandra ({@code forget_list}, which the
 * tier-zero dump reads), then onto the compacted topic (which dedup and the indexer follow), both acknowledged
 * before the erasure goes on. Adding an entry twice changes nothing.
 */
public final class ForgetLists {

    private final CqlSession session;
    private final PreparedStatement insert;
    private final PreparedStatement select;
    private final KafkaOperations<byte[], byte[]> kafka;
    private final String topic;
    private final KeyedHash hash;

    public ForgetLists(CqlSession session, String keyspace, KafkaOperations<byte[], byte[]> kafka, String topic,
            KeyedHash hash) {
        this.session = session;
        this.insert = session.prepare(SimpleStatement.newInstance("INSERT INTO " + keyspace + ".forget_list (entry, added) "
                + "VALUES (?, ?)").setIdempotent(true));
        this.select = session.prepare("SELECT entry FROM " + keyspace + ".forget_list WHERE entry = ?");
        this.kafka = kafka;
        this.topic = topic;
        this.hash = hash;
    }

    /** The subject's entry, now on the list in both places. */
    public String add(EntityRef subject, Instant now) {
        String entry = ForgetList.entry(hash, subject);
        session.execute(insert.bind(entry, now));
        byte[] value = ("{\"entry\":\"" + entry + "\",\"added\":\"" + now + "\"}").getBytes(StandardCharsets.UTF_8);
        try {
            kafka.send(new ProducerRecord<>(topic, entry.getBytes(StandardCharsets.UTF_8), value)).get(60, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw new IllegalStateException("Kafka did not acknowledge the forget-list entry: " + e.getCause(), e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException("Kafka did not acknowledge the forget-list entry within 60 s", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
        return entry;
    }

    /** Whether the subject is on the list (in Cassandra, which the dump reads). */
    public boolean contains(EntityRef subject) {
        return session.execute(select.bind(ForgetList.entry(hash, subject))).one() != null;
    }
}
