package dev.sluice.registry.api;

import dev.sluice.registry.RegistryError;
import org.springframework.stereotype.Component;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reads request bodies as JSON whatever content type the client declared (Confluent clients send
 * {@code application/vnd.schemaregistry.v1+json}, curl sends form encoding), so that a malformed body always
 * gets a 400 with the parser's message, never a 415 or a 500.
 */
@Component
class RequestBodies {

    private final JsonMapper json = JsonMapper.builder()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();

    <T> T read(String body, Class<T> type) {
        if (body == null || body.isBlank()) {
            throw new RegistryError(400, 400, "The request has no body; expected a JSON object");
        }
        try {
            T value = json.readValue(body, type);
            if (value == null) {
                throw new RegistryError(400, 400, "The request body is JSON null; expected a JSON object");
            }
            return value;
        } catch (JacksonException e) {
            throw new RegistryError(400, 400, "Malformed JSON: " + e.getOriginalMessage());
        }
    }
}
