package dev.sluice.console.api;

import dev.sluice.console.security.CallerAuthorization;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Supplier;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.client.JdkClientHttpRequestFactory;
import org.springframework.web.client.ResourceAccessException;
import org.springframework.web.client.RestClient;
import org.springframework.web.client.RestClientResponseException;
import org.springframework.web.util.UriBuilder;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * One service's REST API, called as the signed-in user ({@link CallerAuthorization}). Answers are JSON trees with the
 * services' snake_case names, read by the pages as they are: the console keeps no copy of the services' types or
 * rules. A refusal becomes a {@link ServiceError} with the service's own words.
 */
public final class ServiceApi {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final ParameterizedTypeReference<Map<String, Object>> OBJECT = new ParameterizedTypeReference<>() {
    };
    private static final ParameterizedTypeReference<List<Map<String, Object>>> LIST = new ParameterizedTypeReference<>() {
    };

    private final String name;
    private final RestClient client;

    public ServiceApi(String name, String baseUrl, Duration timeout, CallerAuthorization caller) {
        this.name = name;
        JdkClientHttpRequestFactory requests = new JdkClientHttpRequestFactory(HttpClient.newBuilder()
                .connectTimeout(timeout).build());
        requests.setReadTimeout(timeout);
        this.client = RestClient.builder().baseUrl(baseUrl).requestFactory(requests)
                .defaultHeader(HttpHeaders.ACCEPT, MediaType.APPLICATION_JSON_VALUE)
                .requestInterceptor((request, body, execution) -> {
                    request.getHeaders().set(HttpHeaders.AUTHORIZATION, caller.header());
                    return execution.execute(request, body);
                })
                .build();
    }

    public Map<String, Object> get(Function<UriBuilder, URI> uri) {
        return call(() -> client.get().uri(uri).retrieve().body(OBJECT));
    }

    public List<Map<String, Object>> list(Function<UriBuilder, URI> uri) {
        return call(() -> client.get().uri(uri).retrieve().body(LIST));
    }

    /** POSTs a JSON body (or none) and returns the answer (empty when there is none). */
    public Map<String, Object> post(Function<UriBuilder, URI> uri, Object body) {
        return call(() -> {
            RestClient.RequestBodySpec request = client.post().uri(uri);
            if (body != null) {
                request.contentType(MediaType.APPLICATION_JSON).body(body);
            }
            Map<String, Object> answer = request.retrieve().body(OBJECT);
            return answer == null ? Map.of() : answer;
        });
    }

    public void delete(Function<UriBuilder, URI> uri) {
        call(() -> client.delete().uri(uri).retrieve().toBodilessEntity());
    }

    private <T> T call(Supplier<T> call) {
        try {
            return call.get();
        } catch (RestClientResponseException e) {
            throw new ServiceError(name, e.getStatusCode().value(), detail(e), e);
        } catch (ResourceAccessException e) {
            throw new ServiceError(name, 503, "the " + name + " service cannot be reached: " + e.getMostSpecificCause()
                    .getMessage(), e);
        }
    }

    /** The problem detail's {@code detail}, else its {@code title}, else the status line. */
    private static String detail(RestClientResponseException e) {
        try {
            JsonNode problem = JSON.readTree(e.getResponseBodyAsString());
            for (String field : List.of("detail", "title")) {
                if (problem.path(field).isString() && !problem.path(field).asString().isBlank()) {
                    return problem.path(field).asString();
                }
            }
        } catch (RuntimeException notJson) {
            // the status line below
        }
        return e.getStatusCode().value() + " " + e.getStatusText();
    }
}
