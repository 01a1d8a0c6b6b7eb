package dev.sluice.benchmarks;

import dev.sluice.core.registry.SchemaRegistryClient;
import dev.sluice.infra.LocalInfra;
import dev.sluice.infra.Server;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Does the reverse index keep up? The gatekeeper and the privacy-requests service from their executable jars, Kafka,
 * Cassandra and the registry from local-infra. Raw events are offered to the gatekeeper at a steady rate (default
 * 10 000 events/s for 60 s after 60 s of warm-up, over whose first 40 s the rate rises from 0, so that the JITs of
 * the services and of Cassandra warm up without a backlog; {@code --ramp 0} offers the full rate from the start);
 * the event time is the send time, which the gatekeeper makes the valid record's timestamp. Every event is by one
 * user unless {@code --users N} spreads them over N. Every 500 ms the harness reads the indexer's committed offsets
 * and, for each partition of the valid topic, the record at that offset: the oldest event not yet indexed. The index
 * lag is now minus its timestamp (0 when every record is committed). A committed offset moves only after the batch's
 * index writes are acknowledged, so this is an upper bound of the lag from the send to the index in Cassandra.
 *
 * <p>Usage: {@code IndexLagHarness [--rate 10000] [--seconds 60] [--warmup 60] [--ramp 40] [--users 1]
 * [--set privacy.setting=value ...]};
 * run by {@code run-index-lag.sh}.
 */
public final class IndexLagHarness {

    static final String TOPIC = "events.valid." + SampleEvent.TYPE;
    static final String GROUP = "privacy-indexer";

    public static void main(String[] args) throws Exception {
        int rate = 10_000;
        int seconds = 60;
        int warmup = 60;
        int users = 1;
        int ramp = 40;
        List<String> extra = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--set" -> extra.add("--" + args[++i]);
                case "--rate" -> rate = Integer.parseInt(args[++i]);
                case "--seconds" -> seconds = Integer.parseInt(args[++i]);
                case "--warmup" -> warmup = Integer.parseInt(args[++i]);
                case "--users" -> users = Integer.parseInt(args[++i]);
                case "--ramp" -> ramp = Integer.parseInt(args[++i]);
                default -> throw new IllegalArgumentException("unknown argument " + args[i]);
            }
        }
        Path directory = Path.of("benchmarks", "target", "index-lag");
        try (LocalInfra infra = LocalInfra.builder().directory(directory).build()
                .start(Server.KAFKA, Server.CASSANDRA, Server.SCHEMA_REGISTRY)) {
            SchemaRegistryClient.builder(infra.schemaRegistryUrl()).userInfo(infra.schemaRegistryUserInfo()).build()
                    .register(TOPIC + "-value", SampleEvent.schema());
            try (Admin admin = Admin.create(Map.of("bootstrap.servers", infra.kafkaBootstrapServers()))) {
                admin.createTopics(List.of(new NewTopic("events.raw", 4, (short) 1), new NewTopic(TOPIC, 4, (short) 1)))
                        .all().get(30, TimeUnit.SECONDS);
            }
            Process gatekeeper = EndToEndHarness.startGatekeeper(infra, directory);
            List<String> settings = new ArrayList<>(List.of("--spring.kafka.bootstrap-servers=" + infra.kafkaBootstrapServers(),
                    "--spring.cassandra.contact-points=" + infra.cassandraContactPoint(),
                    "--spring.cassandra.local-datacenter=" + infra.cassandraLocalDatacenter(),
                    "--sluice.privacy.registry.url=" + infra.schemaRegistryUrl(),
                    "--sluice.privacy.index.group-id=" + GROUP));
            settings.addAll(extra);
            Process privacy = EndToEndHarness.startService("privacy-requests-service", directory, settings);

            List<Long> lags = Collections.synchronizedList(new ArrayList<>());
            AtomicBoolean measuring = new AtomicBoolean(true);
            long measureFrom = System.currentTimeMillis() + warmup * 1000L;
            Thread sampler = new Thread(() -> sample(infra, lags, measuring, measureFrom));
            sampler.start();
            int senders = users;
            EndToEndHarness.RawEvent events = users == 1 ? SampleEvent::envelopeBytes
                    : (n, millis) -> SampleEvent.envelopeBytes(n, millis, senders);
            long sent = EndToEndHarness.offer(infra, Math.min(ramp, warmup), rate, warmup + seconds, events);
            // the tail: until a sample finds nothing unindexed (or 2 minutes); its samples count too
            int before = lags.size();
            long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
            while (System.nanoTime() < deadline && (lags.size() == before || lags.get(lags.size() - 1) != 0)) {
                Thread.sleep(500);
            }
            long caughtUp = committed(infra);
            measuring.set(false);
            sampler.join();
            List<Long> sorted = new ArrayList<>(lags);
            Collections.sort(sorted);
            String report = String.format("machine: %d cores, %s; privacy settings: %s%n"
                            + "offered %d events/s for %d s after %d s of warm-up (%s), %s (%d sent); "
                            + "committed offsets at the end %d "
                            + "(the gatekeeper's transaction markers included);%n"
                            + "index lag (now - the oldest unindexed event's send time), %d samples every 500 ms: "
                            + "p50 %d ms, p99 %d ms, max %d ms%n",
                    Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"),
                    extra.isEmpty() ? "defaults" : extra, rate, seconds, warmup,
                    ramp == 0 ? "at the full rate" : "the rate rising from 0 over its first " + Math.min(ramp, warmup) + " s",
                    users == 1 ? "every event by one user" : "events spread over " + users + " users", sent, caughtUp,
                    sorted.size(),
                    percentile(sorted, 50), percentile(sorted, 99), sorted.isEmpty() ? 0 : sorted.get(sorted.size() - 1));
            System.out.print(report);
            Files.writeString(Path.of("benchmarks", "target", "index-lag.txt"), report);
            privacy.destroy();
            privacy.waitFor();
            gatekeeper.destroy();
            gatekeeper.waitFor();
        }
    }

    /** Samples the lag every 500 ms while measuring (after the warm-up). */
    static void sample(LocalInfra infra, List<Long> lags, AtomicBoolean measuring, long from) {
        Map<String, Object> config = Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, infra.kafkaBootstrapServers(),
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed", ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 1,
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(config, new ByteArrayDeserializer(),
                new ByteArrayDeserializer()); Admin admin = Admin.create(Map.of("bootstrap.servers",
                infra.kafkaBootstrapServers()))) {
            List<TopicPartition> partitions = consumer.partitionsFor(TOPIC).stream()
                    .map(p -> new TopicPartition(TOPIC, p.partition())).toList();
            while (measuring.get()) {
                long now = System.currentTimeMillis();
                if (now >= from) {
                    Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(GROUP)
                            .partitionsToOffsetAndMetadata().get();
                    long oldest = Long.MAX_VALUE;
                    for (TopicPartition partition : partitions) {
                        OffsetAndMetadata offset = committed.get(partition);
                        consumer.assign(List.of(partition));
                        consumer.seek(partition, offset == null ? 0 : offset.offset());
                        for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                            oldest = Math.min(oldest, record.timestamp());
                            break;
                        }
                    }
                    lags.add(oldest == Long.MAX_VALUE ? 0 : Math.max(0, now - oldest));
                }
                Thread.sleep(500);
            }
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** The indexer's committed offsets on the valid topic, summed (the gatekeeper's commit markers included). */
    static long committed(LocalInfra infra) throws Exception {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", infra.kafkaBootstrapServers()))) {
            return admin.listConsumerGroupOffsets(GROUP).partitionsToOffsetAndMetadata().get().values().stream()
                    .mapToLong(OffsetAndMetadata::offset).sum();
        }
    }

    static long percentile(List<Long> sorted, int p) {
        return sorted.isEmpty() ? 0 : sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(p / 100.0 * sorted.size()) - 1));
    }
}
