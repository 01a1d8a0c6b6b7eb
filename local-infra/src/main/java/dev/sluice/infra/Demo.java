package dev.sluice.infra;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The demo of {@code ./sluice run}: registers {@code <dir>/schemas/<type>.avsc} as the schemas of their event types,
 * sends {@code <dir>/events.jsonl} (one raw event per line, some invalid on purpose) to {@code events.raw}, and
 * reports what the gatekeeper made of them.
 */
final class Demo {

    private static final Pattern REASON = Pattern.compile("\"reason\":\"([A-Z_]+)\",\"path\":\"([^\"]*)\"");

    private Demo() {
    }

    static void run(LocalInfra infra, Path directory) throws IOException, InterruptedException {
        List<String> types = List.of();
        if (infra.isRunning(Server.SCHEMA_REGISTRY)) {
            types = registerSchemas(infra, directory.resolve("schemas"));
        }
        Path events = directory.resolve("events.jsonl");
        if (infra.isRunning(Server.GATEKEEPER) && Files.isRegularFile(events)) {
            int valid = sendEvents(infra, events);
            if (infra.isRunning(Server.DEDUP) && valid > 0) {
                Set<String> hours = showLanded(infra, valid);
                if (infra.isRunning(Server.DATAPUMP) && infra.isRunning(Server.CATALOG) && !hours.isEmpty()) {
                    showLake(infra, hours);
                }
            }
        }
        if (infra.isRunning(Server.GOVERNANCE) && !types.isEmpty()) {
            new GovernanceDemo(infra).run(types);
            if (infra.isRunning(Server.DATAPUMP) && infra.isRunning(Server.CATALOG)) {
                new ReservoirDemo(infra).run();
            }
        }
        if (infra.isRunning(Server.PRIVACY) && infra.isRunning(Server.DATAPUMP) && !types.isEmpty()) {
            new AccessDemo(infra).run();
            new ErasureDemo(infra).run();
        }
    }

    /** @return the event types registered */
    private static List<String> registerSchemas(LocalInfra infra, Path directory) throws IOException, InterruptedException {
        HttpClient http = HttpClient.newHttpClient();
        String authorization = "Basic " + Base64.getEncoder().encodeToString(
                infra.schemaRegistryUserInfo().getBytes(StandardCharsets.UTF_8));
        List<Path> files;
        try (Stream<Path> listing = Files.list(directory)) {
            files = listing.filter(f -> f.getFileName().toString().endsWith(".avsc")).sorted().toList();
        }
        System.out.printf("%nRegistering the demo schemas of %s:%n", directory);
        for (Path file : files) {
            String type = file.getFileName().toString().replaceFirst("\\.avsc$", "");
            String subject = "events.valid." + type + "-value";
            HttpRequest request = HttpRequest.newBuilder(URI.create(infra.schemaRegistryUrl() + "/subjects/" + subject + "/versions"))
                    .header("Content-Type", "application/vnd.schemaregistry.v1+json")
                    .header("Authorization", authorization)
                    .POST(HttpRequest.BodyPublishers.ofString("{\"schema\":" + jsonString(Files.readString(file)) + "}")).build();
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            System.out.printf("  %-42s HTTP %d %s%n", subject, response.statusCode(), response.body());
        }
        System.out.printf("  try: curl %s/subjects%n", infra.schemaRegistryUrl());
        return files.stream().map(f -> f.getFileName().toString().replaceFirst("\\.avsc$", "")).toList();
    }

    /** @return how many of the events the gatekeeper found valid */
    private static int sendEvents(LocalInfra infra, Path file) throws IOException {
        List<String> lines = Files.readAllLines(file).stream().filter(line -> !line.isBlank()).toList();
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, infra.kafkaBootstrapServers()), new StringSerializer(), new StringSerializer())) {
            lines.forEach(line -> producer.send(new ProducerRecord<>("events.raw", line)));
        }
        System.out.printf("%nSent %d demo events (%s) to events.raw; the gatekeeper says:%n", lines.size(), file);
        Map<String, Integer> valid = new TreeMap<>();
        Map<String, Integer> rejected = new TreeMap<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, infra.kafkaBootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, "demo-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.METADATA_MAX_AGE_CONFIG, 1000), new StringDeserializer(), new StringDeserializer())) {
            consumer.subscribe(Pattern.compile("events\\.(rejected|valid\\..*)"));
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            int seen = 0;
            while (seen < lines.size() && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(500))) {
                    seen++;
                    if (record.topic().equals("events.rejected")) {
                        Matcher reason = REASON.matcher(record.value());
                        rejected.merge(reason.find() ? reason.group(1) + " at " + reason.group(2) : "?", 1, Integer::sum);
                    } else {
                        valid.merge(record.topic(), 1, Integer::sum);
                    }
                }
            }
        }
        System.out.printf("  valid:    %d%n", valid.values().stream().mapToInt(Integer::intValue).sum());
        valid.forEach((topic, count) -> System.out.printf("            %3d on %s%n", count, topic));
        System.out.printf("  rejected: %d (on events.rejected, each with its reason, JSON path, message and original)%n",
                rejected.values().stream().mapToInt(Integer::intValue).sum());
        rejected.forEach((reason, count) -> System.out.printf("            %3d %s%n", count, reason));
        System.out.printf("  metrics:  curl %s/actuator/prometheus | grep gatekeeper_events%n", infra.gatekeeperUrl());
        System.out.printf("  send your own: KAFKA_BOOTSTRAP_SERVERS above, topic events.raw, {\"data\": {\"type\": ..., ...}}%n");
        return valid.values().stream().mapToInt(Integer::intValue).sum();
    }

    private static final Pattern DIRTY_KEY = Pattern.compile("\"key\":\"([^\"]+)\"");
    private static final Pattern LANDED = Pattern.compile("\"eventId\":\"([^\"]+)\".*?\"ttlSeconds\":(\\d+|null)");

    /** Waits until the dedup service landed the valid events, then shows the dirty hours and their rows. */
    private static Set<String> showLanded(LocalInfra infra, int valid) throws IOException, InterruptedException {
        HttpClient http = HttpClient.newHttpClient();
        Map<String, List<String>> landed = new TreeMap<>();
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (landed.values().stream().mapToInt(List::size).sum() < valid && System.nanoTime() < deadline) {
            Thread.sleep(500);
            landed.clear();
            Matcher keys = DIRTY_KEY.matcher(get(http, infra.dedupUrl() + "/dirty-hours"));
            while (keys.find()) {
                List<String> rows = new java.util.ArrayList<>();
                Matcher row = LANDED.matcher(get(http, infra.dedupUrl() + "/landing/" + keys.group(1)));
                while (row.find()) {
                    rows.add(row.group(1) + " (expires in " + ("null".equals(row.group(2)) ? "?"
                            : Duration.ofSeconds(Long.parseLong(row.group(2))).toString().substring(2).toLowerCase()) + ")");
                }
                landed.put(keys.group(1), rows);
            }
        }
        System.out.printf("%nThe dedup service landed %d events in Cassandra (sluice.landing) and marked %d hours dirty "
                + "on lake.dirty-hours:%n", landed.values().stream().mapToInt(List::size).sum(), landed.size());
        landed.forEach((hour, rows) -> System.out.printf("  %-36s %s%n", hour, String.join(", ", rows)));
        System.out.printf("  dirty hours:  curl %s/dirty-hours%n", infra.dedupUrl());
        System.out.printf("  landed rows:  curl %s/landing/<type>/<yyyy-MM-dd>/<HH>%n", infra.dedupUrl());
        System.out.printf("  metrics:      curl %s/actuator/prometheus | grep dedup_events%n", infra.dedupUrl());
        return landed.keySet();
    }

    private static final Pattern PARTITION = Pattern.compile(
            "\\{\"values\":\\[\"([^\"]+)\",\"(\\d{2})\"\\],\"location\":\"([^\"]+)\"");
    private static final Pattern TABLE = Pattern.compile("\"table\":\\{\"name\":\"([^\"]+)\"");
    private static final Pattern RUN = Pattern.compile("\"id\":\"([^\"]+)\",\"state\":\"([A-Z]+)\",\"hours\":\\[([^\\]]*)\\]");

    /**
     * Waits until the datapump dumped the dirty hours to tier zero and the catalog registered their partitions, then
     * shows the runs and the catalog's partitions.
     */
    private static void showLake(LocalInfra infra, Set<String> hours) throws IOException, InterruptedException {
        HttpClient http = HttpClient.newHttpClient();
        System.out.printf("%nWaiting for the datapump to dump the %d dirty hours to tier zero (after 5 s of quiet; a "
                + "Spark job in a child JVM) and for the catalog to register them ...%n", hours.size());
        Map<String, String> partitions = new TreeMap<>();
        long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
        while (!partitions.keySet().containsAll(hours) && System.nanoTime() < deadline) {
            Thread.sleep(2000);
            partitions.clear();
            String catalog = get(http, infra.catalogUrl() + "/catalog");
            // one table document after another: each table's name, then its partitions
            for (String table : catalog.split("(?=\\{\\s*\"table\")")) {
                Matcher name = TABLE.matcher(table.replaceAll("\\s", ""));
                if (!name.find()) {
                    continue;
                }
                Matcher partition = PARTITION.matcher(table.replaceAll("\\s", ""));
                while (partition.find()) {
                    partitions.put(name.group(1) + "/" + partition.group(1) + "/" + partition.group(2), partition.group(3));
                }
            }
        }
        // the job announces its partitions (and the catalog registers them) just before it exits
        String runs = get(http, infra.datapumpUrl() + "/runs");
        for (int i = 0; i < 30 && runs.contains("\"state\":\"RUNNING\""); i++) {
            Thread.sleep(1000);
            runs = get(http, infra.datapumpUrl() + "/runs");
        }
        Matcher run = RUN.matcher(runs);
        System.out.printf("The datapump's runs of the tier-zero dump job:%n");
        while (run.find()) {
            System.out.printf("  %s %-10s %s%n", run.group(1), run.group(2), run.group(3).replace("\"", ""));
        }
        System.out.printf("The catalog (database sluice_tier0) has %d partitions%s:%n", partitions.size(),
                partitions.keySet().containsAll(hours) ? "" : " (not all yet: see the datapump's runs and logs)");
        partitions.forEach((hour, location) -> System.out.printf("  %-36s %s%n", hour, location));
        System.out.printf("  runs:        curl %s/runs%n", infra.datapumpUrl());
        System.out.printf("  waiting:     curl %s/hours/pending%n", infra.datapumpUrl());
        System.out.printf("  catalog:     curl %s/catalog%n", infra.catalogUrl());
        System.out.printf("  the Parquet: s3a://%s/tier0/events/<type>/date=<yyyy-MM-dd>/hour=<HH>/_current names the "
                + "current version (S3 endpoint above)%n", S3Server.LAKE_BUCKET);
    }

    /** A GET as the local mode's platform admin (the services' operational endpoints need that role). */
    private static String get(HttpClient http, String url) throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30))
                .header("Authorization", basic(LocalInfra.LOCAL_ADMIN)).GET().build(), HttpResponse.BodyHandlers.ofString());
        return response.statusCode() == 200 ? response.body() : "";
    }

    static String basic(String userInfo) {
        return "Basic " + java.util.Base64.getEncoder().encodeToString(userInfo.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    /** Text as a JSON string literal. */
    static String jsonString(String text) {
        StringBuilder out = new StringBuilder("\"");
        for (char c : text.toCharArray()) {
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.append('"').toString();
    }
}
