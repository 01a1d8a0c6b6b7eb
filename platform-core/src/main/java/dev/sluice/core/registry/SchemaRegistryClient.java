package dev.sluice.core.registry;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.avro.Schema;
import org.apache.avro.SchemaParseException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A client for the Confluent Schema Registry REST API (Avro), usable against Sluice's registry or any
 * Confluent-compatible one (Confluent, Karapace, Apicurio's ccompat API).
 *
 * <p>Schemas by id and by subject/version never change, so they are cached for the life of the client; the latest
 * version of a subject is cached for {@link Builder#latestTtl}. Network errors and server errors (5xx, 429) are
 * retried with exponential backoff, trying the next URL when several are given; when retries run out the call
 * throws {@link RegistryUnavailableException}. Client errors (4xx) throw {@link SchemaRegistryException} at once.
 * Thread-safe.
 */
public final class SchemaRegistryClient {

    private static final Logger log = LoggerFactory.getLogger(SchemaRegistryClient.class);
    private static final String CONTENT_TYPE = "application/vnd.schemaregistry.v1+json";
    private static final String ACCEPT =
            "application/vnd.schemaregistry.v1+json, application/vnd.schemaregistry+json; q=0.9, application/json; q=0.5";

    private final List<URI> urls;
    private final String authorization;
    private final Duration requestTimeout;
    private final int maxRetries;
    private final Duration initialBackoff;
    private final Duration maxBackoff;
    private final Duration latestTtl;
    private final HttpClient http;
    private final JsonMapper json = JsonMapper.builder()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build();
    private final AtomicInteger currentUrl = new AtomicInteger();

    private final Map<Integer, Schema> byId = new ConcurrentHashMap<>();
    private final Map<String, RegisteredSchema> byVersion = new ConcurrentHashMap<>();
    private final Map<String, Expiring> latest = new ConcurrentHashMap<>();

    private record Expiring(RegisteredSchema schema, long expiresAtNanos) {
    }

    private SchemaRegistryClient(Builder builder) {
        this.urls = builder.urls;
        this.authorization = builder.userInfo == null ? null
                : "Basic " + Base64.getEncoder().encodeToString(builder.userInfo.getBytes(StandardCharsets.UTF_8));
        this.requestTimeout = builder.requestTimeout;
        this.maxRetries = builder.maxRetries;
        this.initialBackoff = builder.initialBackoff;
        this.maxBackoff = builder.maxBackoff;
        this.latestTtl = builder.latestTtl;
        this.http = HttpClient.newBuilder().connectTimeout(builder.connectTimeout).build();
    }

    /** @param urls one base URL or several, comma-separated ({@code http://registry:8081}) */
    public static Builder builder(String urls) {
        return new Builder(urls);
    }

    /** Registers the schema under the subject (or finds it registered) and returns its global id. */
    public int register(String subject, Schema schema) {
        JsonNode answer = call("POST", "/subjects/" + encode(subject) + "/versions", schemaBody(schema));
        int id = answer.path("id").asInt();
        byId.putIfAbsent(id, schema);
        return id;
    }

    /** The version of the subject that holds this schema; 40403 if the subject does not hold it. */
    public RegisteredSchema lookup(String subject, Schema schema) {
        JsonNode answer = call("POST", "/subjects/" + encode(subject), schemaBody(schema));
        return registered(answer);
    }

    /** The schema with this global id. */
    public Schema schemaById(int id) {
        Schema cached = byId.get(id);
        if (cached != null) {
            return cached;
        }
        JsonNode answer = call("GET", "/schemas/ids/" + id, null);
        Schema schema = parse(answer.path("schema").asString(), "id " + id);
        Schema raced = byId.putIfAbsent(id, schema);
        return raced != null ? raced : schema;
    }

    /** The latest version of the subject, cached for the client's latest-TTL. */
    public RegisteredSchema latest(String subject) {
        Expiring cached = latest.get(subject);
        long now = System.nanoTime();
        if (cached != null && now - cached.expiresAtNanos < 0) {
            return cached.schema;
        }
        RegisteredSchema fresh = version(subject, "latest");
        latest.put(subject, new Expiring(fresh, now + latestTtl.toNanos()));
        return fresh;
    }

    /** A given version of the subject. */
    public RegisteredSchema version(String subject, int version) {
        String key = subject + '\u0000' + version;
        RegisteredSchema cached = byVersion.get(key);
        if (cached != null) {
            return cached;
        }
        RegisteredSchema fresh = version(subject, Integer.toString(version));
        byVersion.put(key, fresh);
        return fresh;
    }

    public List<String> subjects() {
        List<String> subjects = new ArrayList<>();
        call("GET", "/subjects", null).forEach(node -> subjects.add(node.asString()));
        return subjects;
    }

    public List<Integer> versions(String subject) {
        List<Integer> versions = new ArrayList<>();
        call("GET", "/subjects/" + encode(subject) + "/versions", null).forEach(node -> versions.add(node.asInt()));
        return versions;
    }

    /** Forgets the cached latest versions, so that the next {@link #latest} asks the registry. */
    public void invalidateLatest() {
        latest.clear();
    }

    private RegisteredSchema version(String subject, String version) {
        return registered(call("GET", "/subjects/" + encode(subject) + "/versions/" + version, null));
    }

    private RegisteredSchema registered(JsonNode answer) {
        String subject = answer.path("subject").asString();
        int id = answer.path("id").asInt();
        Schema schema = byId.computeIfAbsent(id, ignored -> parse(answer.path("schema").asString(), subject));
        return new RegisteredSchema(subject, answer.path("version").asInt(), id, schema);
    }

    private String schemaBody(Schema schema) {
        return json.writeValueAsString(Map.of("schema", schema.toString()));
    }

    private static Schema parse(String text, String what) {
        try {
            return new Schema.Parser().setValidateDefaults(false).parse(text);
        } catch (SchemaParseException e) {
            throw new SchemaRegistryException(200, -1, "the registry returned a schema for " + what
                    + " that Avro cannot parse: " + e.getMessage());
        }
    }

    private static String encode(String pathSegment) {
        return URLEncoder.encode(pathSegment, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private JsonNode call(String method, String path, String body) {
        Exception last = null;
        String lastProblem = null;
        for (int attempt = 0; attempt <= maxRetries; attempt++) {
            if (attempt > 0) {
                sleep(backoff(attempt));
            }
            URI base = urls.get(Math.floorMod(currentUrl.get(), urls.size()));
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base.toString() + path))
                    .timeout(requestTimeout).header("Accept", ACCEPT);
            if (authorization != null) {
                request.header("Authorization", authorization);
            }
            request.method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
            if (body != null) {
                request.header("Content-Type", CONTENT_TYPE);
            }
            HttpResponse<String> response;
            try {
                response = http.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            } catch (IOException e) {
                last = e;
                lastProblem = method + " " + base + path + ": " + e;
                currentUrl.incrementAndGet();
                log.debug("registry call failed, attempt {}: {}", attempt + 1, lastProblem);
                continue;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new RegistryUnavailableException("interrupted while calling the schema registry", e);
            }
            int status = response.statusCode();
            if (status >= 200 && status < 300) {
                try {
                    return json.readTree(response.body());
                } catch (JacksonException e) {
                    throw new SchemaRegistryException(status, -1, method + " " + base + path
                            + " answered with a body that is not JSON: " + abbreviate(response.body()));
                }
            }
            if (status >= 500 || status == 429 || status == 408) {
                lastProblem = method + " " + base + path + " answered HTTP " + status + ": " + abbreviate(response.body());
                currentUrl.incrementAndGet();
                continue;
            }
            throw error(status, response.body(), method + " " + base + path);
        }
        throw new RegistryUnavailableException("schema registry unavailable after " + (maxRetries + 1)
                + " attempts; last: " + lastProblem, last);
    }

    private SchemaRegistryException error(int status, String body, String request) {
        try {
            JsonNode node = json.readTree(body);
            if (node.has("error_code")) {
                return new SchemaRegistryException(status, node.path("error_code").asInt(),
                        node.path("message").asString(""));
            }
        } catch (JacksonException ignored) {
            // not a Confluent error body; report it as it came
        }
        return new SchemaRegistryException(status, status, request + ": " + abbreviate(body));
    }

    private Duration backoff(int attempt) {
        long millis = initialBackoff.toMillis() << Math.min(attempt - 1, 20);
        return Duration.ofMillis(Math.min(millis, maxBackoff.toMillis()));
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RegistryUnavailableException("interrupted while waiting to retry the schema registry", e);
        }
    }

    private static String abbreviate(String text) {
        return text == null ? "" : text.length() > 300 ? text.substring(0, 300) + "…" : text;
    }

    public static final class Builder {
        private final List<URI> urls = new ArrayList<>();
        private String userInfo;
        private Duration connectTimeout = Duration.ofSeconds(5);
        private Duration requestTimeout = Duration.ofSeconds(10);
        private int maxRetries = 3;
        private Duration initialBackoff = Duration.ofMillis(200);
        private Duration maxBackoff = Duration.ofSeconds(5);
        private Duration latestTtl = Duration.ofSeconds(30);

        private Builder(String urls) {
            for (String url : Objects.requireNonNull(urls, "registry url").split(",")) {
                String trimmed = url.strip();
                if (!trimmed.isEmpty()) {
                    this.urls.add(URI.create(trimmed.endsWith("/") ? trimmed.substring(0, trimmed.length() - 1) : trimmed));
                }
            }
            if (this.urls.isEmpty()) {
                throw new IllegalArgumentException("no schema registry URL given");
            }
        }

        /** Basic authentication as {@code user:password} (Confluent's {@code basic.auth.user.info}); null for none. */
        public Builder userInfo(String userInfo) {
            this.userInfo = userInfo == null || userInfo.isBlank() ? null : userInfo;
            return this;
        }

        public Builder connectTimeout(Duration connectTimeout) {
            this.connectTimeout = connectTimeout;
            return this;
        }

        public Builder requestTimeout(Duration requestTimeout) {
            this.requestTimeout = requestTimeout;
            return this;
        }

        /** Retries after the first attempt for network and server errors; 0 for none. */
        public Builder maxRetries(int maxRetries) {
            this.maxRetries = maxRetries;
            return this;
        }

        public Builder backoff(Duration initial, Duration max) {
            this.initialBackoff = initial;
            this.maxBackoff = max;
            return this;
        }

        /** How long {@link SchemaRegistryClient#latest} trusts its cached answer; zero to always ask. */
        public Builder latestTtl(Duration latestTtl) {
            this.latestTtl = latestTtl;
            return this;
        }

        public SchemaRegistryClient build() {
            return new SchemaRegistryClient(this);
        }
    }
}
