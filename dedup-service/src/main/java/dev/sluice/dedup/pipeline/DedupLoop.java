package dev.sluice.dedup.pipeline;

import dev.sluice.core.lake.DirtyHour;
import dev.sluice.core.registry.SchemaRegistryException;
import dev.sluice.dedup.DedupProperties;
import dev.sluice.dedup.landing.LandingRow;
import dev.sluice.dedup.landing.LandingTable;
import dev.sluice.dedup.pipeline.EventDecoder.Undecodable;
import dev.sluice.dedup.pipeline.RecentIds.Fingerprint;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
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
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import org.apache.kafka.clients.consumer.CommitFailedException;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Lands every valid event once: per poll, decode the events, drop the duplicates it knows, write the rest to the
 * landing table and wait for Cassandra's acknowledgements, publish each touched hour to {@code lake.dirty-hours}
 * (and undecodable records to the dead-letter topic) and wait for Kafka's, and only then commit the offsets.
 *
 * <p>At least once, made exactly-once in effect by the table: a crash before the commit replays the batch, whose
 * rows overwrite themselves and whose dirty-hour notices repeat, never go missing. Cassandra or the registry
 * unreachable: the batch is rewound, consumption paused (still polling, so the group keeps this member) for a
 * growing pause, then retried.
 *
 * <p>Pipelined by one batch: while Cassandra writes batch N, the loop polls and decodes batch N+1 and starts its
 * writes; batch N is then finished (notices, commit) before batch N+1, so commits stay in order. If batch N
 * fails, both are rewound.
 */
public final class DedupLoop implements Runnable {

    private static final Logger log = LoggerFactory.getLogger(DedupLoop.class);
    static final String REASON_HEADER = "sluice.dlt.reason";

    private final DedupProperties properties;
    private final Consumer<byte[], byte[]> consumer;
    private final Producer<byte[], byte[]> producer;
    private final Supplier<LandingTable> landing;
    private final EventDecoder decoder;
    private final RecentIds recentIds;
    private final MeterRegistry meters;
    private final Clock clock;
    private final Pattern topics;
    private final Map<String, Counter> counters = new ConcurrentHashMap<>();
    private final Timer writeTimer;
    private final Timer batchTimer;
    private final Counter dirtyHours;
    private final AtomicReference<String> pausedBecause = new AtomicReference<>("starting");
    private volatile LandingTable table;
    /** The batch whose writes are in flight; only the loop thread touches it. */
    private Batch pending;
    private volatile boolean running = true;
    private volatile boolean alive = true;
    private Duration backoff;

    /** @param landing connects to Cassandra and opens the table; called until it succeeds */
    public DedupLoop(DedupProperties properties, Consumer<byte[], byte[]> consumer, Producer<byte[], byte[]> producer,
            Supplier<LandingTable> landing, EventDecoder decoder, MeterRegistry meters, Clock clock) {
        this.properties = properties;
        this.consumer = consumer;
        this.producer = producer;
        this.landing = landing;
        this.decoder = decoder;
        this.recentIds = new RecentIds(properties.recentIds());
        this.meters = meters;
        this.clock = clock;
        this.topics = validTopics(properties.validTopicPrefix(), properties.deadLetterTopic());
        this.backoff = properties.backoff().initial();
        this.writeTimer = Timer.builder("dedup.write").description("latency of one landing write request to Cassandra")
                .publishPercentiles(0.5, 0.99).register(meters);
        this.batchTimer = Timer.builder("dedup.batch").description("time to land and commit one poll's events")
                .publishPercentiles(0.5, 0.99).register(meters);
        this.dirtyHours = Counter.builder("dedup.dirty.hours").description("dirty-hour notices published").register(meters);
        Gauge.builder("dedup.paused", () -> pausedBecause.get() == null ? 0 : 1)
                .description("1 while landing waits for Cassandra or the schema registry").register(meters);
        new KafkaClientMetrics(consumer).bindTo(meters); // records-lag-max and friends: the consumer lag
    }

    /** Every {@code <prefix><type>} topic except the dead-letter topic. */
    static Pattern validTopics(String prefix, String deadLetterTopic) {
        return Pattern.compile("(?!" + Pattern.quote(deadLetterTopic) + "$)" + Pattern.quote(prefix) + ".+");
    }

    /** Why the loop is waiting (connecting, Cassandra or the registry unreachable), or null while it lands events. */
    public String pausedBecause() {
        return pausedBecause.get();
    }

    public boolean isAlive() {
        return alive;
    }

    /** The landing table, once connected (null before). */
    public LandingTable table() {
        return table;
    }

    public void stop() {
        running = false;
        consumer.wakeup();
    }

    @Override
    public void run() {
        try {
            table = connect();
            if (table == null) {
                return;
            }
            consumer.subscribe(topics, new ConsumerRebalanceListener() {
                @Override
                public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
                    // commit what is in flight while the partitions are still ours; if it fails, the next owner
                    // lands it again from the last commit
                    finishPending();
                }

                @Override
                public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
                    if (pausedBecause.get() != null) {
                        consumer.pause(partitions);
                    }
                }
            });
            pausedBecause.set(null);
            while (running) {
                ConsumerRecords<byte[], byte[]> records = consumer.poll(pending == null ? Duration.ofMillis(200) : Duration.ZERO);
                Batch next = null;
                String failure = null;
                if (!records.isEmpty()) {
                    try {
                        next = prepare(records);
                    } catch (SchemaRegistryException e) {
                        failure = "schema registry unavailable: " + e.getMessage();
                    }
                }
                Batch previous = pending;
                pending = null;
                if (previous != null) {
                    String previousFailure = finish(previous);
                    failure = previousFailure != null ? previousFailure : failure;
                }
                if (failure != null) {
                    List<ConsumerRecords<byte[], byte[]>> rewound = new ArrayList<>();
                    if (previous != null && !previous.finished) {
                        rewound.add(previous.records);
                    }
                    rewound.add(records);
                    if (next != null) {
                        next.writes.exceptionally(e -> null).join(); // idempotent: let them end before the retry
                    }
                    pause(rewound, failure);
                    continue;
                }
                pending = next;
            }
        } catch (WakeupException e) {
            // stopping
        } catch (RuntimeException e) {
            log.error("the dedup loop stopped", e);
            throw e;
        } finally {
            try {
                finishPending();
            } catch (RuntimeException e) {
                log.warn("the last batch was not committed ({}); it will be landed again", e.toString());
            }
            alive = false;
            producer.close(Duration.ofSeconds(5));
            consumer.close(Duration.ofSeconds(5));
        }
    }

    /** Connects with growing pauses until Cassandra answers and the table is ready; null when stopped first. */
    private LandingTable connect() {
        Duration pause = properties.backoff().initial();
        while (running) {
            try {
                LandingTable opened = landing.get();
                log.info("landing into {}.landing", opened.keyspace());
                return opened;
            } catch (RuntimeException e) {
                pausedBecause.set("connecting to Cassandra: " + e.getMessage());
                log.warn("cannot open the landing table yet ({}); retrying in {}", e.getMessage(), pause);
                sleep(pause);
                pause = properties.backoff().next(pause);
            }
        }
        return null;
    }

    /** One poll's events on their way: decoded, duplicates dropped, writes started. */
    private static final class Batch {
        final ConsumerRecords<byte[], byte[]> records;
        final long startedNanos = System.nanoTime();
        final List<LandingRow> rows;
        final List<Fingerprint> fingerprints;
        final Set<Fingerprint> ids = new HashSet<>();
        final List<ProducerRecord<byte[], byte[]>> deadLetters = new ArrayList<>();
        final Map<String, Integer> duplicates = new HashMap<>();
        final Map<String, Integer> undecodable = new HashMap<>();
        final Instant landingTime;
        CompletableFuture<Void> writes;
        boolean finished;

        Batch(ConsumerRecords<byte[], byte[]> records, Instant landingTime) {
            this.records = records;
            this.landingTime = landingTime;
            this.rows = new ArrayList<>(records.count());
            this.fingerprints = new ArrayList<>(records.count());
        }
    }

    /** Decodes a poll's events, drops the duplicates it knows of, and starts writing the rest. */
    private Batch prepare(ConsumerRecords<byte[], byte[]> records) {
        Batch batch = new Batch(records, clock.instant());
        Batch inFlight = pending;
        for (ConsumerRecord<byte[], byte[]> record : records) {
            String type = record.topic().substring(properties.validTopicPrefix().length());
            LandingRow row;
            try {
                row = decoder.decode(type, record, batch.landingTime);
            } catch (Undecodable e) {
                batch.deadLetters.add(deadLetter(record, e.getMessage()));
                batch.undecodable.merge(type, 1, Integer::sum);
                continue;
            }
            Fingerprint fingerprint = recentIds.fingerprint(type, row.eventId());
            if (recentIds.contains(fingerprint) || (inFlight != null && inFlight.ids.contains(fingerprint))
                    || !batch.ids.add(fingerprint)) {
                batch.duplicates.merge(type, 1, Integer::sum);
                continue;
            }
            batch.rows.add(row);
            batch.fingerprints.add(fingerprint);
        }
        batch.writes = table.writeAsync(batch.rows, nanos -> writeTimer.record(nanos, TimeUnit.NANOSECONDS));
        return batch;
    }

    /** Finishes the batch in flight, if any; a failure leaves its offsets uncommitted (it is landed again). */
    private void finishPending() {
        Batch batch = pending;
        pending = null;
        if (batch != null) {
            String failure = finish(batch);
            if (failure != null) {
                log.warn("a batch was not committed ({}); it will be landed again", failure);
                rewind(List.of(batch.records));
            }
        }
    }

    /**
     * Waits for the batch's writes, publishes its dirty hours and dead letters and waits for them, then commits its
     * offsets. Returns null when done, else why not (nothing committed).
     */
    private String finish(Batch batch) {
        try {
            batch.writes.join();
        } catch (CompletionException e) {
            return "Cassandra unavailable: " + e.getCause().getMessage();
        }
        Map<HourKey, DirtyHour> hours = touchedHours(batch.rows, batch.landingTime);
        try {
            publish(batch.deadLetters, hours.values());
        } catch (KafkaException e) {
            return "Kafka did not acknowledge the dirty hours: " + e.getMessage();
        }
        commit(batch.records);
        batch.finished = true;
        batch.fingerprints.forEach(recentIds::add);
        count(batch.rows, batch.duplicates, batch.undecodable);
        dirtyHours.increment(hours.size());
        batchTimer.record(System.nanoTime() - batch.startedNanos, TimeUnit.NANOSECONDS);
        if (pausedBecause.getAndSet(null) != null) {
            log.info("landing again");
        }
        backoff = properties.backoff().initial();
        return null;
    }

    private record HourKey(String eventType, Instant hour) {
    }

    private static Map<HourKey, DirtyHour> touchedHours(List<LandingRow> rows, Instant landingTime) {
        Map<HourKey, int[]> counts = new LinkedHashMap<>();
        for (LandingRow row : rows) {
            counts.computeIfAbsent(new HourKey(row.eventType(), row.hour()), k -> new int[1])[0]++;
        }
        Map<HourKey, DirtyHour> hours = new LinkedHashMap<>();
        counts.forEach((key, n) -> hours.put(key, new DirtyHour(key.eventType(), key.hour(), landingTime, n[0])));
        return hours;
    }

    /** Sends the notices and dead letters and waits until Kafka acknowledged every one. */
    private void publish(List<ProducerRecord<byte[], byte[]>> deadLetters, Collection<DirtyHour> hours) {
        List<Future<RecordMetadata>> sent = new ArrayList<>(deadLetters.size() + hours.size());
        deadLetters.forEach(letter -> sent.add(producer.send(letter)));
        for (DirtyHour hour : hours) {
            sent.add(producer.send(new ProducerRecord<>(properties.dirtyHoursTopic(),
                    hour.key().getBytes(StandardCharsets.UTF_8), hour.toJson())));
        }
        try {
            for (Future<RecordMetadata> future : sent) {
                future.get(60, TimeUnit.SECONDS);
            }
        } catch (ExecutionException e) {
            throw e.getCause() instanceof KafkaException k ? k : new KafkaException(e.getCause());
        } catch (TimeoutException e) {
            throw new KafkaException("no acknowledgement within 60 s", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new KafkaException("interrupted", e);
        }
    }

    private void commit(ConsumerRecords<byte[], byte[]> records) {
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        for (TopicPartition partition : records.partitions()) {
            List<ConsumerRecord<byte[], byte[]>> inPartition = records.records(partition);
            offsets.put(partition, new OffsetAndMetadata(inPartition.get(inPartition.size() - 1).offset() + 1));
        }
        try {
            consumer.commitSync(offsets);
        } catch (CommitFailedException e) {
            // the partitions moved to another member, which lands the batch again: harmless, rows are idempotent
            log.warn("offsets not committed, the group rebalanced: {}", e.getMessage());
        }
    }

    private ProducerRecord<byte[], byte[]> deadLetter(ConsumerRecord<byte[], byte[]> record, String reason) {
        RecordHeaders headers = new RecordHeaders();
        for (Header header : record.headers()) {
            headers.add(header);
        }
        headers.add(REASON_HEADER, reason.getBytes(StandardCharsets.UTF_8));
        headers.add("sluice.dlt.topic", record.topic().getBytes(StandardCharsets.UTF_8));
        headers.add("sluice.dlt.partition", Integer.toString(record.partition()).getBytes(StandardCharsets.UTF_8));
        headers.add("sluice.dlt.offset", Long.toString(record.offset()).getBytes(StandardCharsets.UTF_8));
        log.warn("{}-{}@{} cannot land, sent to {}: {}", record.topic(), record.partition(), record.offset(),
                properties.deadLetterTopic(), reason);
        return new ProducerRecord<>(properties.deadLetterTopic(), null, record.timestamp(), record.key(), record.value(),
                headers);
    }

    private void count(List<LandingRow> rows, Map<String, Integer> duplicates, Map<String, Integer> undecodable) {
        Map<String, Integer> landed = new HashMap<>();
        rows.forEach(row -> landed.merge(row.eventType(), 1, Integer::sum));
        landed.forEach((type, n) -> counter("landed", type).increment(n));
        duplicates.forEach((type, n) -> counter("duplicate", type).increment(n));
        undecodable.forEach((type, n) -> counter("dead_letter", type).increment(n));
    }

    private Counter counter(String outcome, String type) {
        return counters.computeIfAbsent(outcome + '/' + type, key -> Counter.builder("dedup.events")
                .description("events read from the valid topics, by outcome (landed, duplicate, dead_letter) and type")
                .tag("outcome", outcome).tag("type", type).register(meters));
    }

    /** Back to the first offsets of these polls; consumption paused (polling on, so the group keeps us) for a while. */
    private void pause(List<ConsumerRecords<byte[], byte[]>> polls, String reason) {
        rewind(polls);
        if (pausedBecause.getAndSet(reason) == null) {
            log.warn("pausing: {}; nothing is committed, the batch will be landed again", reason);
        }
        consumer.pause(consumer.assignment());
        long until = System.nanoTime() + backoff.toNanos();
        while (running && System.nanoTime() < until) {
            ConsumerRecords<byte[], byte[]> unexpected = consumer.poll(Duration.ofMillis(100));
            rewind(List.of(unexpected));
        }
        consumer.resume(consumer.paused());
        backoff = properties.backoff().next(backoff);
    }

    /** Seeks every partition of these polls back to the first offset any of them holds. */
    private void rewind(List<ConsumerRecords<byte[], byte[]>> polls) {
        Map<TopicPartition, Long> first = new HashMap<>();
        for (ConsumerRecords<byte[], byte[]> records : polls) {
            for (TopicPartition partition : records.partitions()) {
                first.merge(partition, records.records(partition).get(0).offset(), Math::min);
            }
        }
        first.forEach((partition, offset) -> {
            if (consumer.assignment().contains(partition)) {
                consumer.seek(partition, offset);
            }
        });
    }

    private void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        }
    }
}
