package dev.sluice.registry.privacy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.registry.RegistryProperties;
import java.util.List;
import java.util.Set;
import org.apache.avro.Schema;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class PrivacyContractTest {

    private final PrivacyContract contract = new PrivacyContract(
            List.of(new SubjectRule<>("events.valid.*-value", PrivacyMode.ENFORCE)), PrivacyMode.OFF,
            new RegistryProperties.Privacy(null, PrivacyMode.OFF, null, null).personalDataPatterns(), Set.of("user/"));

    private List<String> findings(String field) {
        Schema schema = new Schema.Parser().parse("{\"type\":\"record\",\"name\":\"E\",\"fields\":["
                + "{\"name\":\"id\",\"type\":\"string\"},{\"name\":\"" + field + "\",\"type\":\"string\"}]}");
        return contract.findings("events.valid.e-value", schema);
    }

    @ParameterizedTest
    @ValueSource(strings = {"user_id", "userId", "customerId", "buyer_uuid", "email", "contact_email", "emailAddress",
            "phone", "phone_number", "ip", "client_ip", "ipAddress", "first_name", "lastName", "name", "address",
            "street", "zip_code", "latitude", "geo_location", "device_id", "idfa", "advertising_id", "birth_date",
            "iban", "message", "comment", "body", "message_text"})
    void namesThatLookPersonalNeedAnAnnotation(String field) {
        assertThat(findings(field)).singleElement().asString().contains("'" + field + "'").contains("add \"sluice.");
    }

    @ParameterizedTest
    @ValueSource(strings = {"title", "product_id", "order_id", "price", "currency", "quantity", "status", "category",
            "page_url", "session_length", "created_at", "zipper_color", "shipping_method", "tip"})
    void ordinaryNamesPass(String field) {
        assertThat(findings(field)).isEmpty();
    }

    @Test
    void aPersonIdSuggestsTheEntityAnnotation() {
        assertThat(findings("user_id").get(0)).contains("\"sluice.entity\": \"user/id\"");
    }

    @Test
    void modesFollowTheFirstMatchingGlob() {
        assertThat(contract.mode("events.valid.product_created-value")).isEqualTo(PrivacyMode.ENFORCE);
        assertThat(contract.mode("events.valid.product_created-key")).isEqualTo(PrivacyMode.OFF);
        assertThat(contract.mode("eventsXvalid.x-value")).isEqualTo(PrivacyMode.OFF);
    }

    @Test
    void snakeCaseOfCamelAndAcronyms() {
        assertThat(PrivacyContract.snakeCase("userId")).isEqualTo("user_id");
        assertThat(PrivacyContract.snakeCase("IPAddress")).isEqualTo("ip_address");
        assertThat(PrivacyContract.snakeCase("device-id")).isEqualTo("device_id");
    }
}
