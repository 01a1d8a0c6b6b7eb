package dev.sluice.governance;

import dev.sluice.core.registry.SchemaRegistryClient;
import dev.sluice.infra.LocalInfra;
import dev.sluice.spring.security.LocalUsers;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.security.interfaces.RSAPrivateKey;
import java.security.interfaces.RSAPublicKey;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.security.oauth2.jose.jws.SignatureAlgorithm;
import org.springframework.security.oauth2.jwt.JwsHeader;
import org.springframework.security.oauth2.jwt.JwtClaimsSet;
import org.springframework.security.oauth2.jwt.JwtEncoderParameters;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;
import org.springframework.security.oauth2.jwt.NimbusJwtEncoder;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The governance service in this JVM against the shared servers, with its own keyspace and change topic, a clock
 * the test moves, and two ways in: the local users over HTTP basic, and JWTs signed with a key made here.
 */
final class GovernanceApp implements AutoCloseable {

    static final JsonMapper JSON = JsonMapper.builder().build();
    static final KeyPair KEYS = keys();
    static final List<String> DEMO_TYPES = List.of("message_sent", "account_updated", "product_created");

    final LocalInfra infra;
    final String keyspace;
    final MutableClock clock;
    final ConfigurableApplicationContext context;
    final int port;
    final HttpClient http = HttpClient.newHttpClient();

    private GovernanceApp(LocalInfra infra, String keyspace, MutableClock clock) {
        this.infra = infra;
        this.keyspace = keyspace;
        this.clock = clock;
        registerDemoSchemas(infra);
        this.context = new SpringApplicationBuilder(GovernanceServiceApplication.class)
                .initializers(context -> {
                    context.getBeanFactory().registerSingleton("clock", clock);
                    context.getBeanFactory().registerSingleton("jwtDecoder",
                            NimbusJwtDecoder.withPublicKey((RSAPublicKey) KEYS.getPublic()).build());
                })
                .run("--server.port=0", "--spring.main.banner-mode=off",
                        "--spring.kafka.bootstrap-servers=" + infra.kafkaBootstrapServers(),
                        "--spring.cassandra.contact-points=" + infra.cassandraContactPoint(),
                        "--spring.cassandra.local-datacenter=" + infra.cassandraLocalDatacenter(),
                        "--sluice.governance.registry.url=" + infra.schemaRegistryUrl(),
                        "--sluice.governance.registry.latest-ttl=200ms",
                        "--sluice.governance.keyspace=" + keyspace,
                        "--sluice.governance.changes-topic=" + changesTopic(),
                        "--sluice.governance.upkeep-tick=300ms",
                        "--sluice.security.local-mode=true");
        this.port = Integer.parseInt(context.getEnvironment().getProperty("local.server.port"));
    }

    static GovernanceApp start(LocalInfra infra, String keyspace, MutableClock clock) {
        return new GovernanceApp(infra, keyspace, clock);
    }

    String changesTopic() {
        return keyspace + ".changes";
    }

    static void registerDemoSchemas(LocalInfra infra) {
        SchemaRegistryClient registry = SchemaRegistryClient.builder(infra.schemaRegistryUrl())
                .userInfo(infra.schemaRegistryUserInfo()).build();
        for (String type : DEMO_TYPES) {
            try {
                registry.register("events.valid." + type + "-value", new Schema.Parser().parse(
                        Files.readString(Path.of("../demo/schemas", type + ".avsc"))));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /** A caller: a local user over HTTP basic, a JWT, or nobody. */
    record As(String authorization) {
        static final As NOBODY = new As(null);

        static As user(String name) {
            return new As("Basic " + Base64.getEncoder().encodeToString((name + ":" + LocalUsers.PASSWORD)
                    .getBytes(StandardCharsets.UTF_8)));
        }

        static As token(String name, String... roles) {
            return new As("Bearer " + GovernanceApp.token(name, Instant.now().plusSeconds(600), roles));
        }
    }

    /** An answer: its status and JSON body. */
    record Answer(int status, String body) {
        JsonNode json() {
            return body == null || body.isBlank() ? JSON.createObjectNode() : JSON.readTree(body);
        }

        String text(String field) {
            return json().path(field).asString();
        }
    }

    Answer call(String method, String path, Object body, As as) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body instanceof String text ? text : JSON.writeValueAsString(body)));
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        if (as.authorization() != null) {
            request.header("Authorization", as.authorization());
        }
        try {
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            return new Answer(response.statusCode(), response.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    Answer get(String path, As as) {
        return call("GET", path, null, as);
    }

    Answer post(String path, Object body, As as) {
        return call("POST", path, body, as);
    }

    /** Calls and insists on the status (the message has the body). */
    JsonNode expect(int status, Answer answer) {
        if (answer.status() != status) {
            throw new AssertionError("expected " + status + " but was " + answer.status() + ": " + answer.body());
        }
        return answer.json();
    }

    static Map<String, Object> reservoir(String name, String... members) {
        return Map.of("name", name, "owning_team", "team-" + name, "members", List.of(members), "retention_days", 30);
    }

    static Map<String, Object> field(String type, String path) {
        return Map.of("kind", "field", "event_type", type, "path", path);
    }

    static String token(String name, Instant expiresAt, String... roles) {
        var encoder = NimbusJwtEncoder.withKeyPair((RSAPublicKey) KEYS.getPublic(), (RSAPrivateKey) KEYS.getPrivate()).build();
        var claims = JwtClaimsSet.builder().subject("sub-" + name).issuer("test").claim("preferred_username", name)
                .issuedAt(expiresAt.minusSeconds(1200)).expiresAt(expiresAt).claim("roles", List.of(roles)).build();
        return encoder.encode(JwtEncoderParameters.from(JwsHeader.with(SignatureAlgorithm.RS256).build(), claims))
                .getTokenValue();
    }

    private static KeyPair keys() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            return generator.generateKeyPair();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        context.close();
    }

    static List<String> list(JsonNode array, String field) {
        List<String> values = new ArrayList<>();
        array.forEach(node -> values.add(node.path(field).asString()));
        return values;
    }
}
