package dev.sluice.core.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The client's own behaviour (retries, error bodies, caching) against a scripted HTTP endpoint; the registry
 * itself is exercised by the schema-registry module's integration tests.
 */
class SchemaRegistryClientTest {

    private static final String SCHEMA = "{\\\"type\\\":\\\"record\\\",\\\"name\\\":\\\"E\\\",\\\"fields\\\":[]}";

    private final HttpServer server = start();
    private final AtomicInteger calls = new AtomicInteger();
    private final List<String> paths = new ArrayList<>();

    private HttpServer start() {
        try {
            HttpServer http = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            http.start();
            return http;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private void answer(int failuresFirst, int failureStatus, int status, String body) {
        server.createContext("/", exchange -> {
            paths.add(exchange.getRequestURI().getRawPath());
            int call = calls.incrementAndGet();
            int code = call <= failuresFirst ? failureStatus : status;
            byte[] bytes = (call <= failuresFirst ? "{\"error_code\":50001,\"message\":\"down\"}" : body)
                    .getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/vnd.schemaregistry.v1+json");
            exchange.sendResponseHeaders(code, bytes.length);
            exchange.getResponseBody().write(bytes);
            exchange.close();
        });
    }

    private SchemaRegistryClient client(int retries) {
        return SchemaRegistryClient.builder("http://127.0.0.1:" + server.getAddress().getPort() + "/")
                .maxRetries(retries).backoff(Duration.ofMillis(1), Duration.ofMillis(5)).build();
    }

    @Test
    void retriesServerErrorsThenCachesById() {
        answer(2, 500, 200, "{\"schema\":\"" + SCHEMA + "\"}");
        SchemaRegistryClient client = client(3);

        assertThat(client.schemaById(7).getName()).isEqualTo("E");
        assertThat(client.schemaById(7).getName()).isEqualTo("E");
        assertThat(calls).hasValue(3);
    }

    @Test
    void givesUpAfterItsRetriesAsUnavailable() {
        answer(100, 503, 200, "{}");

        assertThatThrownBy(() -> client(2).schemaById(1)).isInstanceOf(RegistryUnavailableException.class)
                .hasMessageContaining("after 3 attempts").hasMessageContaining("503");
        assertThat(calls).hasValue(3);
    }

    @Test
    void unreachableIsUnavailable() {
        SchemaRegistryClient client = SchemaRegistryClient.builder("http://127.0.0.1:1").maxRetries(1)
                .backoff(Duration.ofMillis(1), Duration.ofMillis(1)).build();

        assertThatThrownBy(() -> client.latest("x-value")).isInstanceOf(RegistryUnavailableException.class);
    }

    @Test
    void clientErrorsCarryConfluentsCodeAndAreNotRetried() {
        answer(0, 0, 404, "{\"error_code\":40401,\"message\":\"Subject 'a b' not found.\"}");

        assertThatThrownBy(() -> client(3).latest("a b")).isInstanceOfSatisfying(SchemaRegistryException.class, e -> {
            assertThat(e.errorCode()).isEqualTo(SchemaRegistryException.SUBJECT_NOT_FOUND);
            assertThat(e.isNotFound()).isTrue();
            assertThat(e).hasMessageContaining("Subject 'a b' not found.");
        });
        assertThat(calls).hasValue(1);
        assertThat(paths).containsExactly("/subjects/a%20b/versions/latest");
    }
}
