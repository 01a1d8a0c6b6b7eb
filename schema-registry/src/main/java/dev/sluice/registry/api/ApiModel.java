package dev.sluice.registry.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/** Request and response bodies of the Confluent REST API v1, with Confluent's field names. */
final class ApiModel {

    static final String V1_JSON = "application/vnd.schemaregistry.v1+json";
    static final String SR_JSON = "application/vnd.schemaregistry+json";
    static final String JSON = "application/json";

    private ApiModel() {
    }

    /** {@code {"schema": "...", "schemaType": "AVRO", "references": []}}; Confluent's other members are ignored. */
    record SchemaRequest(String schema, String schemaType, List<Object> references) {
    }

    record ConfigRequest(String compatibility, String compatibilityLevel) {

        String level() {
            return compatibility != null ? compatibility : compatibilityLevel;
        }
    }

    record ModeRequest(String mode) {
    }

    @JsonInclude(JsonInclude.Include.NON_EMPTY)
    record RegisterResponse(int id, int version, @JsonProperty("privacy_findings") List<String> privacyFindings) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    record SubjectSchema(String subject, int version, int id, String schemaType, String schema) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    record SchemaById(String schema, String schemaType) {
    }

    record SubjectVersion(String subject, int version) {
    }

    record ConfigResponse(String compatibilityLevel) {
    }

    record ConfigUpdate(String compatibility) {
    }

    record ModeResponse(String mode) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    record CompatibilityResponse(@JsonProperty("is_compatible") boolean compatible, List<String> messages) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    record ErrorBody(@JsonProperty("error_code") int errorCode, String message,
            @JsonProperty("details") Object details) {
    }
}
