package dev.sluice.console;

import dev.sluice.infra.LocalInfra;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The platform behind the console, as a user of it would feed and inspect it: the demo's schemas and raw events
 * (the repository's {@code demo/}), and the services' own endpoints as the local platform admin.
 */
final class Platform {

    static final JsonMapper JSON = JsonMapper.builder().build();
    static final Path DEMO = Path.of("..", "demo");

    private final LocalInfra infra;
    private final HttpClient http = HttpClient.newHttpClient();

    Platform(LocalInfra infra) {
        this.infra = infra;
    }

    /** Registers every demo schema as its event type's value schema. */
    void registerDemoSchemas() throws IOException {
        try (Stream<Path> files = Files.list(DEMO.resolve("schemas"))) {
            for (Path file : files.filter(f -> f.toString().endsWith(".avsc")).sorted().toList()) {
                String type = file.getFileName().toString().replace(".avsc", "");
                String body = JSON.writeValueAsString(Map.of("schema", Files.readString(file)));
                HttpResponse<String> answer = send(HttpRequest.newBuilder(URI.create(infra.schemaRegistryUrl()
                                + "/subjects/events.valid." + type + "-value/versions"))
                        .header("Content-Type", "application/vnd.schemaregistry.v1+json")
                        .header("Authorization", basic(infra.schemaRegistryUserInfo()))
                        .POST(HttpRequest.BodyPublishers.ofString(body)).build());
                if (answer.statusCode() != 200) {
                    throw new IllegalStateException("registering " + type + ": " + answer.statusCode() + " " + answer.body());
                }
            }
        }
    }

    /** The demo's raw events (some invalid on purpose) on {@code events.raw}, as a producer of events sends them. */
    List<String> sendDemoEvents() throws IOException {
        List<String> lines = Files.readAllLines(DEMO.resolve("events.jsonl")).stream().filter(l -> !l.isBlank()).toList();
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, infra.kafkaBootstrapServers()), new StringSerializer(),
                new StringSerializer())) {
            lines.forEach(line -> producer.send(new ProducerRecord<>("events.raw", line)));
        }
        return lines;
    }

    /**
     * Whether every hour the dedup service marked dirty was dumped to tier zero by a run that succeeded, and no hour
     * waits: then tier zero holds every landed event.
     */
    boolean everyDirtyHourDumped() {
        JsonNode dirty = adminGet(infra.dedupUrl() + "/dirty-hours");
        JsonNode runs = adminGet(infra.datapumpUrl() + "/runs");
        JsonNode pending = adminGet(infra.datapumpUrl() + "/hours/pending");
        if (dirty == null || runs == null || pending == null || dirty.isEmpty() || !pending.isEmpty()) {
            return false;
        }
        Set<String> dumped = new HashSet<>();
        runs.forEach(run -> {
            if ("SUCCEEDED".equals(run.path("state").asString())) {
                run.path("hours").forEach(hour -> dumped.add(hour.asString()));
            }
        });
        return dirty.findValuesAsString("key").stream().allMatch(dumped::contains);
    }

    /** The ids of the events the dedup service landed (every dirty hour's rows). */
    Set<String> landedEventIds() {
        Set<String> ids = new HashSet<>();
        for (String key : adminGet(infra.dedupUrl() + "/dirty-hours").findValuesAsString("key")) {
            ids.addAll(adminGet(infra.dedupUrl() + "/landing/" + key).findValuesAsString("eventId"));
        }
        return ids;
    }

    /** A reservoir made through the governance API as the local platform admin. */
    void createReservoir(String name, String... members) {
        String body = JSON.writeValueAsString(Map.of("name", name, "owning_team", "team-" + name,
                "members", List.of(members), "retention_days", 30));
        HttpResponse<String> answer = send(HttpRequest.newBuilder(URI.create(infra.governanceUrl() + "/reservoirs"))
                .header("Content-Type", "application/json").header("Authorization", basic(LocalInfra.LOCAL_ADMIN))
                .POST(HttpRequest.BodyPublishers.ofString(body)).build());
        if (answer.statusCode() != 201) {
            throw new IllegalStateException("creating reservoir " + name + ": " + answer.statusCode() + " " + answer.body());
        }
    }

    /** The ids ({@code data.id}) of the raw events that mention a value anywhere. */
    static List<String> idsMentioning(List<String> rawEvents, String value) {
        List<String> ids = new ArrayList<>();
        for (String line : rawEvents) {
            if (line.contains("\"" + value + "\"")) {
                ids.add(JSON.readTree(line).path("data").path("id").asString());
            }
        }
        return ids;
    }

    private JsonNode adminGet(String url) {
        HttpResponse<String> answer = send(HttpRequest.newBuilder(URI.create(url))
                .header("Authorization", basic(LocalInfra.LOCAL_ADMIN)).GET().build());
        return answer.statusCode() == 200 ? JSON.readTree(answer.body()) : null;
    }

    private HttpResponse<String> send(HttpRequest request) {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static String basic(String userInfo) {
        return "Basic " + Base64.getEncoder().encodeToString(userInfo.getBytes(StandardCharsets.UTF_8));
    }
}
