package dev.sluice.benchmarks;

import dev.sluice.core.registry.SchemaRegistryClient;
import dev.sluice.infra.LocalInfra;
import dev.sluice.infra.Server;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * End to end through the real broker: the gatekeeper's executable jar in its own JVM, Kafka and the registry from
 * local-infra. Phase 1 offers a steady load (default 10 000 events/s for 60 s) and measures the latency from the
 * send to the event's arrival on {@code events.valid.*} for a read_committed reader (the event time is the send
 * time, and the gatekeeper makes it the record's timestamp). Phase 2 fills the raw topic while the gatekeeper is
 * stopped, starts it, and measures how fast it drains (sustained events/s with nothing else competing).
 *
 * <p>Usage: {@code EndToEndHarness [--rate 10000] [--seconds 60] [--drain 1000000] [--set gatekeeper.setting=value ...]};
 * run by {@code run-end-to-end.sh}.
 */
public final class EndToEndHarness {

    /** Extra gatekeeper settings ({@code --set key=value}), to try tunings. */
    static final List<String> GATEKEEPER_SETTINGS = new ArrayList<>();

    public static void main(String[] args) throws Exception {
        int rate = 10_000;
        int seconds = 60;
        int drain = 1_000_000;
        int warmup = 20;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--set" -> GATEKEEPER_SETTINGS.add("--" + args[++i]);
                case "--rate" -> rate = Integer.parseInt(args[++i]);
                case "--seconds" -> seconds = Integer.parseInt(args[++i]);
                case "--drain" -> drain = Integer.parseInt(args[++i]);
                case "--warmup" -> warmup = Integer.parseInt(args[++i]);
                default -> throw new IllegalArgumentException("unknown argument " + args[i]);
            }
        }
        Path directory = Path.of("benchmarks", "target", "end-to-end");
        try (LocalInfra infra = LocalInfra.builder().directory(directory).build().start(Server.KAFKA, Server.SCHEMA_REGISTRY)) {
            SchemaRegistryClient.builder(infra.schemaRegistryUrl()).userInfo(infra.schemaRegistryUserInfo()).build()
                    .register("events.valid." + SampleEvent.TYPE + "-value", SampleEvent.schema());
            try (Admin admin = Admin.create(Map.of("bootstrap.servers", infra.kafkaBootstrapServers()))) {
                admin.createTopics(List.of(new NewTopic("events.raw", 4, (short) 1))).all().get(30, TimeUnit.SECONDS);
            }
            StringBuilder report = new StringBuilder();
            report.append(String.format("machine: %d cores, %s, %s; gatekeeper settings: %s%n",
                    Runtime.getRuntime().availableProcessors(), System.getProperty("java.vm.name"),
                    System.getProperty("java.version"), GATEKEEPER_SETTINGS.isEmpty() ? "defaults" : GATEKEEPER_SETTINGS));

            // phase 1: steady offered load; the first seconds warm the gatekeeper's JIT up and are not measured
            Process gatekeeper = startGatekeeper(infra, directory);
            Latencies latencies = new Latencies(rate * seconds);
            long total = (long) rate * (warmup + seconds);
            long measuredFrom = System.currentTimeMillis() + warmup * 1000L;
            latencies.fromMillis = measuredFrom;
            Thread reader = new Thread(() -> read(infra, latencies, total));
            reader.start();
            long sent = offer(infra, rate, warmup + seconds);
            reader.join(Duration.ofMinutes(3).toMillis());
            report.append(String.format("phase 1: offered %d events/s for %d s after %d s of warm-up (%d sent in all);"
                            + " latency send -> events.valid (read_committed) of the %d measured: p50 %d ms, p99 %d ms, max %d ms%n",
                    rate, seconds, warmup, sent, latencies.count(), latencies.percentile(50), latencies.percentile(99), latencies.max()));
            gatekeeper.destroy();
            gatekeeper.waitFor();

            // phase 2: drain a full raw topic
            long drainTimestamp = System.currentTimeMillis() + 1000; // after every phase-1 event: only these count
            long filled = fill(infra, drain, drainTimestamp);
            Latencies drained = new Latencies(drain);
            drained.fromMillis = drainTimestamp;
            Thread drainReader = new Thread(() -> read(infra, drained, sent + filled));
            drainReader.start();
            Process second = startGatekeeper(infra, directory);
            drainReader.join(Duration.ofMinutes(10).toMillis());
            double elapsed = (drained.lastArrivalNanos.get() - drained.firstArrivalNanos.get()) / 1e9;
            report.append(String.format("phase 2: %d events drained from a full raw topic in %.1f s from the first"
                    + " arrival to the last: %.0f events/s sustained%n", drained.count(), elapsed, drained.count() / elapsed));
            second.destroy();
            second.waitFor();
            System.out.print(report);
            Files.writeString(Path.of("benchmarks", "target", "end-to-end.txt"), report.toString());
        }
    }

    static Process startGatekeeper(LocalInfra infra, Path directory) throws IOException, InterruptedException {
        List<String> settings = new ArrayList<>(List.of("--spring.kafka.bootstrap-servers=" + infra.kafkaBootstrapServers(),
                "--sluice.gatekeeper.registry.url=" + infra.schemaRegistryUrl(),
                "--sluice.gatekeeper.transactional-id=bench"));
        settings.addAll(GATEKEEPER_SETTINGS);
        return startService("gatekeeper-service", directory, settings);
    }

    /**
     * One of Sluice's services from its executable jar in its own JVM ({@code -Xmx512m}), logging to
     * {@code <directory>/<module>.log}; returns once its health answers 200.
     */
    static Process startService(String module, Path directory, List<String> settings) throws IOException, InterruptedException {
        Path jar;
        try (Stream<Path> files = Files.list(Path.of(module, "target"))) {
            jar = files.filter(f -> f.getFileName().toString().matches(module + "-.*-exec\\.jar")).findFirst()
                    .orElseThrow(() -> new IllegalStateException("build " + module + " first (the run scripts do)"));
        }
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx512m"));
        // extra JVM options for the services, e.g. a flight recording: SLUICE_BENCH_JVM_OPTS="-XX:StartFlightRecording=..."
        String jvmOptions = System.getenv("SLUICE_BENCH_JVM_OPTS");
        if (jvmOptions != null && !jvmOptions.isBlank()) {
            command.addAll(List.of(jvmOptions.trim().split("\\s+")));
        }
        command.addAll(List.of("-jar", jar.toString(), "--server.port=" + port));
        command.addAll(settings);
        Path log = directory.resolve(module + ".log");
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().put("SLUICE_LOCAL_MODE", "true"); // the built-in users: a laptop, not a deployment
        Process process = builder.start();
        Runtime.getRuntime().addShutdownHook(new Thread(process::destroyForcibly));
        HttpClient http = HttpClient.newHttpClient();
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        while (System.nanoTime() < deadline && process.isAlive()) {
            try {
                HttpResponse<String> health = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/actuator/health")).build(),
                        HttpResponse.BodyHandlers.ofString());
                if (health.statusCode() == 200) {
                    return process;
                }
            } catch (IOException e) {
                // not up yet
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException(module + " did not start; see " + log);
    }

    static KafkaProducer<byte[], byte[]> producer(LocalInfra infra) {
        return new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, infra.kafkaBootstrapServers(),
                ProducerConfig.LINGER_MS_CONFIG, 2, ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4",
                ProducerConfig.BATCH_SIZE_CONFIG, 128 * 1024), new ByteArraySerializer(), new ByteArraySerializer());
    }

    /** {@code rate} events a second, in 10 ms ticks; each event's time is its send time. */
    static long offer(LocalInfra infra, int rate, int seconds) throws InterruptedException {
        return offer(infra, 0, rate, seconds, SampleEvent::envelopeBytes);
    }

    /** The raw event number {@code n}, sent at {@code millis}. */
    @FunctionalInterface
    interface RawEvent {
        byte[] of(long n, long millis);
    }

    /**
     * {@link #offer(LocalInfra, int, int)} of other events, the rate rising linearly from 0 over the first
     * {@code rampSeconds} (0: none) of the {@code seconds}.
     */
    static long offer(LocalInfra infra, int rampSeconds, int rate, int seconds, RawEvent events)
            throws InterruptedException {
        long sent = 0;
        try (KafkaProducer<byte[], byte[]> producer = producer(infra)) {
            long start = System.nanoTime();
            long ticks = seconds * 100L;
            for (long tick = 0; tick < ticks; tick++) {
                long due = start + tick * 10_000_000L;
                long wait = due - System.nanoTime();
                if (wait > 0) {
                    Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                }
                long target = offered(tick + 1, rampSeconds * 100L, rate);
                for (; sent < target; sent++) {
                    producer.send(new ProducerRecord<>("events.raw", events.of(sent, System.currentTimeMillis())));
                }
            }
        }
        return sent;
    }

    /** Events due by the end of a 10 ms tick: the area under a rate that rises linearly over {@code rampTicks}. */
    static long offered(long ticks, long rampTicks, int rate) {
        if (ticks <= rampTicks) {
            return ticks * ticks * rate / (200 * rampTicks);
        }
        return (rampTicks * rate / 2 + (ticks - rampTicks) * rate) / 100;
    }

    static long fill(LocalInfra infra, int count, long now) {
        try (KafkaProducer<byte[], byte[]> producer = producer(infra)) {
            for (int i = 0; i < count; i++) {
                producer.send(new ProducerRecord<>("events.raw", SampleEvent.envelopeBytes(10_000_000L + i, now)));
            }
        }
        return count;
    }

    /** Reads the valid topic until {@code total} records (from the beginning) have arrived. */
    static void read(LocalInfra infra, Latencies latencies, long total) {
        Map<String, Object> config = Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, infra.kafkaBootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, "harness-" + System.nanoTime(), ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed", ConsumerConfig.METADATA_MAX_AGE_CONFIG, 1000,
                ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 10);
        long seen = 0;
        long deadline = System.nanoTime() + Duration.ofMinutes(10).toNanos();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            consumer.subscribe(java.util.regex.Pattern.compile("events\\.valid\\..*"));
            while (seen < total && System.nanoTime() < deadline) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(100))) {
                    seen++;
                    if (record.timestamp() >= latencies.fromMillis) {
                        latencies.add(System.currentTimeMillis() - record.timestamp());
                    }
                }
            }
        }
    }

    static final class Latencies {
        private final long[] values;
        private int count;
        volatile long fromMillis;
        final AtomicLong firstArrivalNanos = new AtomicLong();
        final AtomicLong lastArrivalNanos = new AtomicLong();

        Latencies(int capacity) {
            values = new long[capacity];
        }

        int capacity() {
            return values.length;
        }

        void add(long millis) {
            firstArrivalNanos.compareAndSet(0, System.nanoTime());
            if (count < values.length) {
                values[count++] = millis;
            }
            lastArrivalNanos.set(System.nanoTime());
        }

        int count() {
            return count;
        }

        long percentile(int p) {
            if (count == 0) {
                return -1;
            }
            long[] sorted = Arrays.copyOf(values, count);
            Arrays.sort(sorted);
            return sorted[Math.min(count - 1, (int) Math.ceil(p / 100.0 * count) - 1)];
        }

        long max() {
            return count == 0 ? -1 : Arrays.stream(values, 0, count).max().orElse(-1);
        }
    }
}
