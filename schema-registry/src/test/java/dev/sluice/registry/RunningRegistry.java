package dev.sluice.registry;

import dev.sluice.infra.LocalInfra;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A real registry application on the shared Kafka of the test run, on its own topic unless told otherwise, and a
 * small HTTP client that speaks to it as any Confluent client would.
 */
final class RunningRegistry implements AutoCloseable {

    static final String USER = "writer";
    static final String PASSWORD = "writer-secret";
    static final String PASSWORD_HASH = "{bcrypt}" + new org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder(4)
            .encode(PASSWORD);
    static final JsonMapper JSON = JsonMapper.builder().build();

    private final ConfigurableApplicationContext context;
    final String url;
    final String topic;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    private RunningRegistry(ConfigurableApplicationContext context, String topic) {
        this.context = context;
        this.topic = topic;
        this.url = "http://127.0.0.1:" + context.getEnvironment().getProperty("local.server.port");
    }

    static String freshTopic() {
        return "_schemas_test_" + UUID.randomUUID().toString().substring(0, 8);
    }

    static RunningRegistry start(LocalInfra infra, String topic, Map<String, String> properties) {
        Map<String, Object> all = new HashMap<>();
        all.put("server.port", "0");
        all.put("spring.kafka.bootstrap-servers", infra.kafkaBootstrapServers());
        all.put("sluice.registry.topic", topic);
        all.put("sluice.registry.writer-id", "writer-" + topic);
        all.put("sluice.registry.security.users[0].name", USER);
        // hashed, as a deployment gives it: the registry refuses a plain-text password outside the local mode
        all.put("sluice.registry.security.users[0].password", PASSWORD_HASH);
        all.put("spring.main.banner-mode", "off");
        all.put("logging.level.org.apache.kafka", "WARN");
        all.putAll(properties);
        // as command-line arguments: they outrank application.yml, as a deployment's settings do
        String[] arguments = all.entrySet().stream().map(e -> "--" + e.getKey() + "=" + e.getValue()).toArray(String[]::new);
        ConfigurableApplicationContext context = new SpringApplicationBuilder(SchemaRegistryApplication.class).run(arguments);
        return new RunningRegistry(context, topic);
    }

    static RunningRegistry start(LocalInfra infra) {
        return start(infra, freshTopic(), Map.of());
    }

    record Answer(int status, String contentType, String body) {

        JsonNode json() {
            return JSON.readTree(body);
        }

        int errorCode() {
            return json().path("error_code").asInt();
        }
    }

    Answer get(String path) {
        return send("GET", path, null, false);
    }

    Answer post(String path, String body) {
        return send("POST", path, body, true);
    }

    Answer put(String path, String body) {
        return send("PUT", path, body, true);
    }

    Answer delete(String path) {
        return send("DELETE", path, null, true);
    }

    /** {@code {"schema": "<schema as a JSON string>"}}. */
    static String schemaBody(String schema) {
        return JSON.createObjectNode().put("schema", schema).toString();
    }

    int register(String subject, String schema) {
        Answer answer = post("/subjects/" + subject + "/versions", schemaBody(schema));
        if (answer.status() != 200) {
            throw new AssertionError("registration failed: " + answer);
        }
        return answer.json().path("id").asInt();
    }

    Answer send(String method, String path, String body, boolean authenticated) {
        return send(method, path, body, authenticated ? USER + ":" + PASSWORD : null);
    }

    /** @param credentials {@code user:password} for HTTP basic, or null for none */
    Answer send(String method, String path, String body, String credentials) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url + path))
                .header("Accept", "application/vnd.schemaregistry.v1+json, application/vnd.schemaregistry+json; q=0.9,"
                        + " application/json; q=0.5")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
        if (body != null) {
            request.header("Content-Type", "application/vnd.schemaregistry.v1+json");
        }
        if (credentials != null) {
            request.header("Authorization", "Basic " + Base64.getEncoder()
                    .encodeToString(credentials.getBytes(StandardCharsets.UTF_8)));
        }
        try {
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            return new Answer(response.statusCode(), response.headers().firstValue("Content-Type").orElse(""), response.body());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        context.close();
    }
}
