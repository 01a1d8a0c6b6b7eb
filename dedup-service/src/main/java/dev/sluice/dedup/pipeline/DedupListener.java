package dev.sluice.dedup.pipeline;

import dev.sluice.core.lake.DirtyHour;
import dev.sluice.core.privacy.ForgetList;
import dev.sluice.dedup.DedupProperties;
import dev.sluice.dedup.landing.LandingRow;
import dev.sluice.dedup.landing.LandingTable;
import dev.sluice.dedup.pipeline.EventDecoder.Undecodable;
import dev.sluice.dedup.pipeline.RecentIds.Fingerprint;
import dev.sluice.spring.kafka.DeadLetters;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.springframework.kafka.core.KafkaOperations;
import org.springframework.kafka.listener.BatchMessageListener;
import org.springframework.kafka.support.SendResult;

/**
 * Lands every valid event once: per batch, take each event's id and time (from the gatekeeper's key and header,
 * or by decoding), drop the duplicates it knows, write the rest to the landing table and wait for Cassandra's
 * acknowledgements, send the records that cannot land to the dead-letter topic and publish each touched hour to
 * {@code lake.dirty-hours}, and wait for Kafka's; the container commits the offsets after this returns.
 *
 * <p>At least once, made exactly-once in effect by the table: a crash before the commit replays the batch, whose
 * rows overwrite themselves and whose dirty-hour notices repeat, never go missing. Cassandra, the registry or Kafka
 * unreachable: this throws, nothing is committed, and the container retries the batch after the backoff, the
 * consumer paused meanwhile (the stage says so in readiness).
 */
final class DedupListener implements BatchMessageListener<byte[], byte[]> {

    private final DedupProperties properties;
    private final Supplier<LandingTable> table;
    private final EventDecoder decoder;
    private final RecentIds recentIds;
    private final DeadLetters deadLetters;
    private final KafkaOperations<byte[], byte[]> notices;
    private final MeterRegistry meters;
    private final Clock clock;
    private final Map<String, Counter> counters = new ConcurrentHashMap<>();
    private final Timer writeTimer;
    private final Timer batchTimer;
    private final Counter dirtyHours;
    private final Supplier<ForgetList> forgetList;
    private final ForgottenEvents forgottenEvents;

    /**
     * @param table the landing table, open before the container starts
     * @param forgetList the erased subjects as known now; throws until known (the batch is then retried)
     */
    DedupListener(DedupProperties properties, Supplier<LandingTable> table, EventDecoder decoder, DeadLetters deadLetters,
            KafkaOperations<byte[], byte[]> notices, MeterRegistry meters, Clock clock, Supplier<ForgetList> forgetList,
            ForgottenEvents forgottenEvents) {
        this.forgetList = forgetList;
        this.forgottenEvents = forgottenEvents;
        this.properties = properties;
        this.table = table;
        this.decoder = decoder;
        this.recentIds = new RecentIds(properties.recentIds());
        this.deadLetters = deadLetters;
        this.notices = notices;
        this.meters = meters;
        this.clock = clock;
        this.writeTimer = Timer.builder("dedup.write").description("latency of one landing write request to Cassandra")
                .publishPercentiles(0.5, 0.99).register(meters);
        this.batchTimer = Timer.builder("dedup.batch").description("time to land one poll's events")
                .publishPercentiles(0.5, 0.99).register(meters);
        this.dirtyHours = Counter.builder("dedup.dirty.hours").description("dirty-hour notices published").register(meters);
    }

    /** Every {@code <prefix><type>} topic except the dead-letter topic. */
    static Pattern validTopics(String prefix, String deadLetterTopic) {
        return Pattern.compile("(?!" + Pattern.quote(deadLetterTopic) + "$)" + Pattern.quote(prefix) + ".+");
    }

    @Override
    public void onMessage(List<ConsumerRecord<byte[], byte[]>> records) {
        long started = System.nanoTime();
        ForgetList forgotten = forgetList.get();
        Instant landingTime = clock.instant();
        List<LandingRow> rows = new ArrayList<>(records.size());
        List<Fingerprint> fingerprints = new ArrayList<>(records.size());
        Set<Fingerprint> inBatch = new HashSet<>();
        Map<ConsumerRecord<byte[], byte[]>, String> undecodable = new LinkedHashMap<>();
        Map<String, Integer> duplicates = new HashMap<>();
        Map<String, Integer> dropped = new HashMap<>();
        for (ConsumerRecord<byte[], byte[]> record : records) {
            String type = record.topic().substring(properties.validTopicPrefix().length());
            LandingRow row;
            try {
                row = decoder.decode(type, record, landingTime);
                if (!forgotten.isEmpty() && forgottenEvents.mentions(forgotten, record)) {
                    dropped.merge(type, 1, Integer::sum); // an erased subject's event: it lands nowhere
                    continue;
                }
            } catch (Undecodable e) {
                undecodable.put(record, e.getMessage());
                continue;
            }
            Fingerprint fingerprint = recentIds.fingerprint(type, row.eventId());
            if (recentIds.contains(fingerprint) || !inBatch.add(fingerprint)) {
                duplicates.merge(type, 1, Integer::sum);
                continue;
            }
            rows.add(row);
            fingerprints.add(fingerprint);
        }
        try {
            table.get().writeAsync(rows, nanos -> writeTimer.record(nanos, TimeUnit.NANOSECONDS)).join();
        } catch (CompletionException e) {
            throw new LandingUnavailable("Cassandra did not acknowledge the landing writes: " + e.getCause().getMessage(),
                    e.getCause());
        }
        undecodable.forEach(deadLetters::send);
        Map<String, DirtyHour> hours = touchedHours(rows, landingTime);
        publish(hours.values());
        fingerprints.forEach(recentIds::add);
        count(rows, duplicates, undecodable.keySet());
        dropped.forEach((type, n) -> counter("forgotten", type).increment(n));
        dirtyHours.increment(hours.size());
        batchTimer.record(System.nanoTime() - started, TimeUnit.NANOSECONDS);
    }

    private static Map<String, DirtyHour> touchedHours(List<LandingRow> rows, Instant landingTime) {
        Map<String, long[]> counts = new LinkedHashMap<>();
        Map<String, LandingRow> first = new HashMap<>();
        for (LandingRow row : rows) {
            String key = row.eventType() + '/' + row.hour();
            counts.computeIfAbsent(key, k -> new long[1])[0]++;
            first.putIfAbsent(key, row);
        }
        Map<String, DirtyHour> hours = new LinkedHashMap<>();
        counts.forEach((key, n) -> hours.put(key, new DirtyHour(first.get(key).eventType(), first.get(key).hour(),
                landingTime, n[0])));
        return hours;
    }

    /** Sends the notices and waits until Kafka acknowledged every one. */
    private void publish(Iterable<DirtyHour> hours) {
        List<CompletableFuture<SendResult<byte[], byte[]>>> sent = new ArrayList<>();
        for (DirtyHour hour : hours) {
            sent.add(notices.send(new ProducerRecord<>(properties.dirtyHoursTopic(),
                    hour.key().getBytes(StandardCharsets.UTF_8), hour.toJson())));
        }
        try {
            for (CompletableFuture<SendResult<byte[], byte[]>> future : sent) {
                future.get(60, TimeUnit.SECONDS);
            }
        } catch (ExecutionException e) {
            throw new KafkaException("Kafka did not acknowledge the dirty hours: " + e.getCause(), e.getCause());
        } catch (TimeoutException e) {
            throw new KafkaException("Kafka did not acknowledge the dirty hours within 60 s", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new KafkaException("interrupted", e);
        }
    }

    private void count(List<LandingRow> rows, Map<String, Integer> duplicates,
            Iterable<ConsumerRecord<byte[], byte[]>> undecodable) {
        Map<String, Integer> landed = new HashMap<>();
        rows.forEach(row -> landed.merge(row.eventType(), 1, Integer::sum));
        landed.forEach((type, n) -> counter("landed", type).increment(n));
        duplicates.forEach((type, n) -> counter("duplicate", type).increment(n));
        undecodable.forEach(record -> counter("dead_letter",
                record.topic().substring(properties.validTopicPrefix().length())).increment());
    }

    private Counter counter(String outcome, String type) {
        return counters.computeIfAbsent(outcome + '/' + type, key -> Counter.builder("dedup.events")
                .description("events read from the valid topics, by outcome (landed, duplicate, dead_letter, forgotten) and type")
                .tag("outcome", outcome).tag("type", type).register(meters));
    }

    /** Cassandra did not take the batch: nothing is committed, the batch is retried. */
    static final class LandingUnavailable extends RuntimeException {
        LandingUnavailable(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
