package dev.sluice.benchmarks;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.config.DefaultDriverOption;
import com.datastax.oss.driver.api.core.config.DriverConfigLoader;
import com.datastax.oss.driver.api.core.cql.BatchStatement;
import com.datastax.oss.driver.api.core.cql.BatchStatementBuilder;
import com.datastax.oss.driver.api.core.cql.BatchType;
import com.datastax.oss.driver.api.core.cql.BoundStatement;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import com.datastax.oss.driver.api.core.cql.Row;
import com.datastax.oss.driver.api.core.cql.SimpleStatement;
import com.datastax.oss.driver.api.core.cql.Statement;
import dev.sluice.core.lake.DirtyHour;
import dev.sluice.core.registry.SchemaRegistryClient;
import dev.sluice.core.serde.AvroWireFormat;
import dev.sluice.core.topics.EventHeaders;
import dev.sluice.dedup.landing.LandingRow;
import dev.sluice.dedup.landing.LandingTable;
import dev.sluice.infra.LocalInfra;
import dev.sluice.infra.Server;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import tech.allegro.schema.json2avro.converter.JsonAvroConverter;

/**
 * The dedup service's landing throughput against the Cassandra driver alone, and the latency from
 * {@code events.raw} to the landing row, on the servers of local-infra (all on this machine):
 *
 * <ol>
 *   <li><b>service</b>: {@code events.valid.checkout_completed} pre-filled with N Avro events over 24 hours; the
 *       dedup service's executable jar starts and lands them; events/s between its first and last offset commit.
 *   <li><b>driver</b>: the same N rows (same partitions, same columns, built in memory beforehand) written with the
 *       Java driver alone, asynchronously with the same concurrency and the same single-partition batches — and
 *       once more row by row, for reference.
 *   <li><b>end to end</b>: the gatekeeper and the dedup service running, raw JSON offered at a steady rate with
 *       the send time as event time; after a warm-up, each landed row's latency is its write time in Cassandra
 *       ({@code WRITETIME(payload)}, stamped by the driver when the write leaves) minus its event time.
 * </ol>
 *
 * <p>The service's records are written as the gatekeeper writes them (key = event id, the event time in a header), so
 * the service lands them without decoding; {@code --decode} writes them bare, as another producer might, and the
 * service decodes each one.
 *
 * <p>Usage: {@code LandingHarness [--events 300000] [--rate 10000] [--warmup 20] [--seconds 60] [--phases single,end-to-end]
 * [--decode] [--set dedup.setting=value ...]};
 * run by {@code run-landing.sh}.
 */
public final class LandingHarness {

    static final String TOPIC = "events.valid." + SampleEvent.TYPE;

    public static void main(String[] args) throws Exception {
        int events = 300_000;
        int rate = 10_000;
        int warmup = 20;
        int seconds = 60;
        int maxInFlight = 32;
        int batchRows = 50;
        List<String> dedupSettings = new ArrayList<>();
        java.util.Set<String> phases = new java.util.HashSet<>(List.of("single", "end-to-end"));
        boolean decode = false;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--events" -> events = Integer.parseInt(args[++i]);
                case "--rate" -> rate = Integer.parseInt(args[++i]);
                case "--warmup" -> warmup = Integer.parseInt(args[++i]);
                case "--seconds" -> seconds = Integer.parseInt(args[++i]);
                case "--phases" -> phases = new java.util.HashSet<>(List.of(args[++i].split(",")));
                case "--decode" -> decode = true;
                case "--set" -> {
                    String setting = args[++i];
                    dedupSettings.add("--" + setting);
                    if (setting.startsWith("sluice.dedup.landing.max-in-flight=")) {
                        maxInFlight = Integer.parseInt(setting.substring(setting.indexOf('=') + 1));
                    } else if (setting.startsWith("sluice.dedup.landing.batch-rows=")) {
                        batchRows = Integer.parseInt(setting.substring(setting.indexOf('=') + 1));
                    }
                }
                default -> throw new IllegalArgumentException("unknown argument " + args[i]);
            }
        }
        Path directory = Path.of("benchmarks", "target", "landing");
        try (LocalInfra infra = LocalInfra.builder().directory(directory).build()
                .start(Server.KAFKA, Server.CASSANDRA, Server.SCHEMA_REGISTRY)) {
            Schema schema = SampleEvent.schema();
            int schemaId = SchemaRegistryClient.builder(infra.schemaRegistryUrl()).userInfo(infra.schemaRegistryUserInfo())
                    .build().register("events.valid." + SampleEvent.TYPE + "-value", schema);
            try (Admin admin = Admin.create(Map.of("bootstrap.servers", infra.kafkaBootstrapServers()))) {
                admin.createTopics(List.of(new NewTopic(TOPIC, 4, (short) 1).configs(Map.of("retention.ms", "-1")),
                        new NewTopic("events.raw", 4, (short) 1))).all().get(30, TimeUnit.SECONDS);
            }
            StringBuilder report = new StringBuilder(String.format("machine: %d cores, %s %s; dedup settings: %s%n",
                    Runtime.getRuntime().availableProcessors(), System.getProperty("java.vm.name"),
                    System.getProperty("java.version"), dedupSettings.isEmpty() ? "defaults" : dedupSettings));

            // the events, and the rows the service should make of them
            Instant base = Instant.now().minus(Duration.ofDays(1)).truncatedTo(java.time.temporal.ChronoUnit.HOURS);
            JsonAvroConverter converter = new JsonAvroConverter();
            GenericDatumWriter<GenericRecord> writer = new GenericDatumWriter<>(schema);
            List<byte[]> values = new ArrayList<>(events);
            List<LandingRow> rows = new ArrayList<>(events);
            Instant landingTime = Instant.now();
            for (int n = 0; n < events; n++) {
                long eventTime = base.toEpochMilli() + (n * 7919L) % 86_400_000L;
                GenericRecord record = converter.convertToGenericDataRecord(
                        SampleEvent.data(n, eventTime).getBytes(StandardCharsets.UTF_8), schema);
                byte[] value = AvroWireFormat.encode(schemaId, writer, record);
                values.add(value);
                rows.add(new LandingRow(SampleEvent.TYPE, DirtyHour.hourOf(Instant.ofEpochMilli(eventTime)),
                        record.get("id").toString(), schemaId, ByteBuffer.wrap(value, 5, value.length - 5).slice(),
                        Instant.ofEpochMilli(eventTime), landingTime));
            }

            // 0. Cassandra's write path warmed up (JIT, memtables) by the same rows into a keyspace of their own: whichever
            // phase came first would otherwise pay for it (the service ran at half its speed that way)
            try (CqlSession session = session(infra)) {
                LandingTable.open(session, "bench_warmup", "{'class': 'SimpleStrategy', 'replication_factor': 1}",
                        Duration.ofDays(7), Map.of(), maxInFlight, batchRows);
                report.append(String.format("warm-up: the rows written once with the driver into another keyspace: %.0f events/s%n",
                        writeWithDriver(session, "bench_warmup", rows, maxInFlight, batchRows)));
            }

            // 1. the driver alone: the same rows, concurrency and batches; before the service and again after it, as
            // Cassandra's state (memtables, flushes, compactions) changes with every phase
            double driverBefore = driverPhase(infra, "bench_driver_1", rows, maxInFlight, batchRows, report);

            // 2. the service, from a full topic
            try (KafkaProducer<byte[], byte[]> producer = EndToEndHarness.producer(infra)) {
                for (int n = 0; n < values.size(); n++) {
                    LandingRow row = rows.get(n);
                    ProducerRecord<byte[], byte[]> record = decode ? new ProducerRecord<>(TOPIC, values.get(n))
                            : new ProducerRecord<>(TOPIC, row.eventId().getBytes(StandardCharsets.UTF_8), values.get(n));
                    if (!decode) {
                        record.headers().add(EventHeaders.EVENT_TIME, EventHeaders.eventTimeValue(
                                row.eventTime().toEpochMilli() * 1000));
                    }
                    producer.send(record);
                }
            }
            report.append(decode ? "service records: bare (decoded by the service)\n"
                    : "service records: as the gatekeeper writes them (key and event-time header: not decoded)\n");
            List<String> settings = new ArrayList<>(List.of("--spring.kafka.bootstrap-servers=" + infra.kafkaBootstrapServers(),
                    "--spring.cassandra.contact-points=" + infra.cassandraContactPoint(),
                    "--spring.cassandra.local-datacenter=" + infra.cassandraLocalDatacenter(),
                    "--sluice.dedup.registry.url=" + infra.schemaRegistryUrl(),
                    "--sluice.dedup.landing.keyspace=bench_service", "--sluice.dedup.group-id=bench"));
            settings.addAll(dedupSettings);
            quiesce(infra);
            Process dedup = EndToEndHarness.startService("dedup-service", directory, settings);
            double[] cpuBefore = cpu(infra, dedup);
            double serviceRate = drainRate(infra, events, report);
            String serviceCpu = cpuReport(cpuBefore, cpu(infra, dedup), events, "dedup");
            dedup.destroy(); // stopped now so that the driver has the machine to itself; restarted for end to end
            dedup.waitFor();
            report.append(String.format("service: %d events landed from a full topic at %.0f events/s (first to last offset commit); %s%n",
                    events, serviceRate, serviceCpu));

            double driverAfter = driverPhase(infra, "bench_driver_2", rows, maxInFlight, batchRows, report);
            if (phases.contains("single")) {
                driverPhase(infra, "bench_single", rows, maxInFlight, 1, report);
            }
            report.append(String.format("ratio service / driver (same batches, mean of the two driver runs): %.2f%n",
                    serviceRate / ((driverBefore + driverAfter) / 2)));

            if (!phases.contains("end-to-end")) {
                System.out.print(report);
                return;
            }
            // 3. end to end at a steady offered rate: raw JSON -> gatekeeper -> dedup -> landing row
            dedup = EndToEndHarness.startService("dedup-service", directory, settings);
            Process gatekeeper = EndToEndHarness.startGatekeeper(infra, directory);
            long measuredFrom = System.currentTimeMillis() + warmup * 1000L;
            long sent = EndToEndHarness.offer(infra, rate, warmup + seconds);
            long expected = events + sent;
            long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
            while (committed(infra) < expected && System.nanoTime() < deadline) {
                Thread.sleep(200);
            }
            long[] latencies;
            try (CqlSession session = session(infra)) {
                latencies = landingLatencies(session, measuredFrom);
            }
            report.append(String.format("end to end: offered %d events/s for %d s after %d s of warm-up; events.raw -> landing row"
                            + " (write time - event time) of the %d measured: p50 %d ms, p99 %d ms, max %d ms%n",
                    rate, seconds, warmup, latencies.length, percentile(latencies, 50), percentile(latencies, 99),
                    latencies.length == 0 ? -1 : latencies[latencies.length - 1]));
            gatekeeper.destroy();
            dedup.destroy();
            gatekeeper.waitFor();
            dedup.waitFor();
            System.out.print(report);
            Files.writeString(Path.of("benchmarks", "target", "landing.txt"), report.toString());
        }
    }

    /**
     * Waits (at most 2 minutes) until Cassandra is idle: under 10 % of a core over 3 s, so that the flushes and
     * compactions of the previous phase are not billed to the next one.
     */
    static void quiesce(LocalInfra infra) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        double before = cpu(infra)[0];
        while (System.nanoTime() < deadline) {
            Thread.sleep(3000);
            double after = cpu(infra)[0];
            if (after - before < 0.3) {
                return;
            }
            before = after;
        }
    }

    /** The rows written with the driver alone into a keyspace of their own; events/s. */
    static double driverPhase(LocalInfra infra, String keyspace, List<LandingRow> rows, int maxInFlight, int batchRows,
            StringBuilder report) throws InterruptedException {
        quiesce(infra);
        try (CqlSession session = session(infra)) {
            LandingTable.open(session, keyspace, "{'class': 'SimpleStrategy', 'replication_factor': 1}",
                    Duration.ofDays(7), Map.of(), maxInFlight, batchRows);
            double[] before = cpu(infra);
            double rate = writeWithDriver(session, keyspace, rows, maxInFlight, batchRows);
            report.append(String.format("driver (%s): the same %d rows, %d requests in flight, %s: %.0f events/s; %s%n",
                    keyspace, rows.size(), maxInFlight, batchRows == 1 ? "one row per request"
                            : "batches of up to " + batchRows + " rows of one partition", rate,
                    cpuReport(before, cpu(infra), rows.size())));
            return rate;
        }
    }

    /** CPU seconds used so far by Cassandra, Kafka, this JVM and the given processes (a phase's cost: the difference). */
    static double[] cpu(LocalInfra infra, Process... others) {
        double[] seconds = new double[3 + others.length];
        seconds[0] = cpuSeconds(ProcessHandle.of(infra.pid(Server.CASSANDRA)));
        seconds[1] = cpuSeconds(ProcessHandle.of(infra.pid(Server.KAFKA)));
        seconds[2] = cpuSeconds(java.util.Optional.of(ProcessHandle.current()));
        for (int i = 0; i < others.length; i++) {
            seconds[3 + i] = cpuSeconds(java.util.Optional.of(others[i].toHandle()));
        }
        return seconds;
    }

    private static double cpuSeconds(java.util.Optional<ProcessHandle> process) {
        return process.flatMap(p -> p.info().totalCpuDuration()).map(d -> d.toNanos() / 1e9).orElse(0.0);
    }

    /** "cassandra 12.3 s, kafka 2.1 s, ..." per event: the CPU a phase cost. */
    static String cpuReport(double[] before, double[] after, long events, String... names) {
        StringBuilder text = new StringBuilder("CPU per event:");
        String[] all = new String[3 + names.length];
        all[0] = "cassandra";
        all[1] = "kafka";
        all[2] = "harness";
        System.arraycopy(names, 0, all, 3, names.length);
        for (int i = 0; i < before.length; i++) {
            text.append(String.format(" %s %.1f µs", all[i], (after[i] - before[i]) * 1e6 / events));
        }
        return text.toString();
    }

    static CqlSession session(LocalInfra infra) {
        String[] hostPort = infra.cassandraContactPoint().split(":");
        return CqlSession.builder().addContactPoint(new InetSocketAddress(hostPort[0], Integer.parseInt(hostPort[1])))
                .withLocalDatacenter(infra.cassandraLocalDatacenter())
                .withConfigLoader(DriverConfigLoader.programmaticBuilder()
                        .withDuration(DefaultDriverOption.REQUEST_TIMEOUT, Duration.ofSeconds(30)).build())
                .build();
    }

    /**
     * Events/s between the service's first offset commit and the one that covers every event; also printed: the
     * rate over the second half alone, when the service's JIT has warmed up.
     */
    static double drainRate(LocalInfra infra, long events, StringBuilder report) throws InterruptedException {
        long firstCount = 0;
        long firstNanos = 0;
        long halfCount = 0;
        long halfNanos = 0;
        long deadline = System.nanoTime() + Duration.ofMinutes(15).toNanos();
        long committed = 0;
        while (committed < events && System.nanoTime() < deadline) {
            Thread.sleep(100);
            committed = committed(infra);
            if (firstNanos == 0 && committed > 0) {
                firstNanos = System.nanoTime();
                firstCount = committed;
            }
            if (halfNanos == 0 && committed >= events / 2) {
                halfNanos = System.nanoTime();
                halfCount = committed;
            }
        }
        report.append(String.format("service: second half of the drain at %.0f events/s%n",
                (committed - halfCount) / ((System.nanoTime() - halfNanos) / 1e9)));
        if (committed < events) {
            throw new IllegalStateException("the service landed only " + committed + " of " + events + " events");
        }
        return (committed - firstCount) / ((System.nanoTime() - firstNanos) / 1e9);
    }

    private static Admin admin;

    /** The offsets the service committed, summed (one admin client for the run: creating one costs CPU the service needs). */
    static synchronized long committed(LocalInfra infra) {
        if (admin == null) {
            admin = Admin.create(Map.of("bootstrap.servers", infra.kafkaBootstrapServers()));
        }
        try {
            return admin.listConsumerGroupOffsets("bench").partitionsToOffsetAndMetadata().get(30, TimeUnit.SECONDS)
                    .values().stream().filter(Objects::nonNull).mapToLong(o -> o.offset()).sum();
        } catch (Exception e) {
            return 0;
        }
    }

    /**
     * The rows written with the driver's async API alone: grouped by partition in order of appearance, batches of
     * up to {@code batchRows} rows (1: plain inserts), at most {@code maxInFlight} requests outstanding.
     */
    static double writeWithDriver(CqlSession session, String keyspace, List<LandingRow> rows, int maxInFlight, int batchRows)
            throws InterruptedException {
        PreparedStatement insert = session.prepare(SimpleStatement.newInstance("INSERT INTO " + keyspace + ".landing "
                + "(event_type, hour, event_id, schema_id, payload, event_time, landing_time) VALUES (?, ?, ?, ?, ?, ?, ?)")
                .setIdempotent(true));
        long started = System.nanoTime(); // binding counts: the service binds its rows too
        Map<Instant, List<BoundStatement>> partitions = new LinkedHashMap<>();
        for (LandingRow row : rows) {
            partitions.computeIfAbsent(row.hour(), h -> new ArrayList<>()).add(insert.bind(row.eventType(), row.hour(),
                    row.eventId(), row.schemaId(), row.payload(), row.eventTime(), row.landingTime()));
        }
        List<Statement<?>> statements = new ArrayList<>();
        for (List<BoundStatement> partition : partitions.values()) {
            for (int from = 0; from < partition.size(); from += batchRows) {
                List<BoundStatement> chunk = partition.subList(from, Math.min(partition.size(), from + batchRows));
                if (chunk.size() == 1) {
                    statements.add(chunk.get(0));
                } else {
                    BatchStatementBuilder batch = BatchStatement.builder(BatchType.UNLOGGED).setIdempotence(true);
                    chunk.forEach(batch::addStatement);
                    statements.add(batch.build());
                }
            }
        }
        Semaphore inFlight = new Semaphore(maxInFlight);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        for (Statement<?> statement : statements) {
            inFlight.acquire();
            session.executeAsync(statement).whenComplete((result, error) -> {
                inFlight.release();
                if (error != null) {
                    failure.compareAndSet(null, error);
                }
            });
        }
        inFlight.acquire(maxInFlight);
        double seconds = (System.nanoTime() - started) / 1e9;
        if (failure.get() != null) {
            throw new IllegalStateException("a driver write failed", failure.get());
        }
        return rows.size() / seconds;
    }

    /** WRITETIME(payload) - event_time of the rows whose event time is at or after {@code fromMillis}, sorted. */
    static long[] landingLatencies(CqlSession session, long fromMillis) {
        TreeSet<Instant> hours = new TreeSet<>();
        for (Instant hour = DirtyHour.hourOf(Instant.ofEpochMilli(fromMillis)); !hour.isAfter(Instant.now());
                hour = hour.plus(Duration.ofHours(1))) {
            hours.add(hour);
        }
        List<Long> latencies = new ArrayList<>();
        for (Instant hour : hours) {
            for (Row row : session.execute(SimpleStatement.newInstance("SELECT event_time, WRITETIME(payload) FROM "
                    + "bench_service.landing WHERE event_type = ? AND hour = ?", SampleEvent.TYPE, hour).setPageSize(5000))) {
                long eventTime = row.getInstant(0).toEpochMilli();
                if (eventTime >= fromMillis) {
                    latencies.add(row.getLong(1) / 1000 - eventTime);
                }
            }
        }
        return latencies.stream().mapToLong(Long::longValue).sorted().toArray();
    }

    static long percentile(long[] sorted, int p) {
        return sorted.length == 0 ? -1 : sorted[Math.min(sorted.length - 1, (int) Math.ceil(p / 100.0 * sorted.length) - 1)];
    }
}
