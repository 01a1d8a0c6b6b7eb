package dev.sluice.registry;

import dev.sluice.registry.compatibility.CompatibilityLevel;
import dev.sluice.registry.privacy.PersonalDataPattern;
import dev.sluice.registry.privacy.PrivacyMode;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * Settings of the registry ({@code sluice.registry.*}; environment variables {@code SLUICE_REGISTRY_...}).
 *
 * @param topic the compacted topic that stores every schema, config and mode
 * @param replicationFactor of that topic when the registry creates it (3 in production)
 * @param writerId the Kafka transactional id shared by every instance; it makes one instance the writer at a time
 * @param storageTimeout how long a read to the end of the topic or a write may take
 * @param kafka extra Kafka client properties (security settings, for example)
 * @param defaultCompatibility the global level until {@code PUT /config} sets one
 * @param compatibilityDefaults subject-level defaults by subject glob, used when a subject has no config of its own
 * @param maxRequestSize larger request bodies are refused with 413
 * @param maxSchemaDepth a schema whose JSON nests deeper is refused (422)
 * @param maxEnumSymbols an enum with more symbols is refused (422)
 */
@ConfigurationProperties("sluice.registry")
public record RegistryProperties(
        @DefaultValue("_sluice_schemas") String topic,
        @DefaultValue("1") short replicationFactor,
        @DefaultValue("sluice-schema-registry") String writerId,
        @DefaultValue("30s") Duration storageTimeout,
        Map<String, String> kafka,
        @DefaultValue("BACKWARD") CompatibilityLevel defaultCompatibility,
        List<SubjectCompatibility> compatibilityDefaults,
        @DefaultValue Privacy privacy,
        @DefaultValue("1MB") DataSize maxRequestSize,
        @DefaultValue("64") int maxSchemaDepth,
        @DefaultValue("10000") int maxEnumSymbols,
        @DefaultValue Security security) {

    public RegistryProperties {
        kafka = kafka == null ? Map.of() : Map.copyOf(kafka);
        compatibilityDefaults = compatibilityDefaults == null
                ? List.of(new SubjectCompatibility("events.valid.*-value", CompatibilityLevel.FULL_TRANSITIVE))
                : List.copyOf(compatibilityDefaults);
    }

    public record SubjectCompatibility(String subjects, CompatibilityLevel level) {
    }

    /**
     * @param modes privacy mode by subject glob, first match wins
     * @param defaultMode for subjects no rule matches
     * @param personalDataPatterns field names that need an annotation
     * @param subjectPrefixes entity types that identify people
     */
    public record Privacy(List<SubjectMode> modes, @DefaultValue("OFF") PrivacyMode defaultMode,
            List<PersonalDataPattern> personalDataPatterns, Set<String> subjectPrefixes) {

        public Privacy {
            modes = modes == null ? List.of(new SubjectMode("events.valid.*-value", PrivacyMode.ENFORCE)) : List.copyOf(modes);
            personalDataPatterns = personalDataPatterns == null ? DEFAULT_PATTERNS : List.copyOf(personalDataPatterns);
            subjectPrefixes = subjectPrefixes == null ? Set.of("user/") : Set.copyOf(subjectPrefixes);
        }
    }

    public record SubjectMode(String subjects, PrivacyMode mode) {
    }

    /**
     * @param openReads whether GET requests need no authentication (services read schemas freely)
     * @param users who may change the registry (HTTP basic)
     */
    public record Security(@DefaultValue("true") boolean openReads, List<User> users) {

        public Security {
            users = users == null ? List.of() : List.copyOf(users);
        }
    }

    public record User(String name, String password) {

        @Override
        public String toString() {
            return "User[name=" + name + ", password=***]";
        }
    }

    private static final String PERSON_ID = "\"sluice.entity\": \"user/id\"";
    private static final String PII = "\"sluice.tags\": [\"PII\"]";

    /** What a field name must not look like without an annotation. */
    static final List<PersonalDataPattern> DEFAULT_PATTERNS = List.of(
            new PersonalDataPattern("a person's id", "(.*_)?(user|customer|client|member|account|person|profile|buyer|seller"
                    + "|sender|receiver|recipient|owner|author|driver|rider|passenger|patient|employee|subscriber|player)_?(id|uuid|key)s?", PERSON_ID),
            new PersonalDataPattern("an email address", ".*e_?mails?(_.*)?", "\"sluice.tags\": [\"PII\", \"contact\"]"),
            new PersonalDataPattern("a phone number", "(.*_)?(phone|mobile|msisdn|fax|tel|telephone)(_.*)?", "\"sluice.tags\": [\"PII\", \"contact\"]"),
            new PersonalDataPattern("an IP address", "(.*_)?(ip|ipv4|ipv6|ip_?address|ip_?addr|remote_addr|client_ip)(_.*)?", PII),
            new PersonalDataPattern("a person's name", "(.*_)?(first|last|middle|full|given|family|sur|display|nick|maiden|user|real)_?name|name", PII),
            new PersonalDataPattern("a postal address", "(.*_)?(address|street|street_address|address_line_?\\d*|post_?code|postal_code|zip|zip_?code|house_number)(_.*)?",
                    "\"sluice.tags\": [\"PII\", \"location\"]"),
            new PersonalDataPattern("a precise location", "(.*_)?(lat|lng|lon|latitude|longitude|geo_?location|geo_?point|gps|coordinates?)(_.*)?",
                    "\"sluice.tags\": [\"PII\", \"location\"]"),
            new PersonalDataPattern("a device identifier", "(.*_)?(device_?id|idfa|idfv|gaid|advertising_?id|ad_?id|imei|imsi|mac_?address|android_?id|push_?token|fcm_?token|apns_?token)",
                    PII),
            new PersonalDataPattern("a birth date", "(.*_)?(birth_?date|date_of_birth|dob|birthday|birth_?year)", PII),
            new PersonalDataPattern("a government or financial identifier", "(.*_)?(ssn|social_security_number|passport(_number)?|national_id|tax_id"
                    + "|iban|card_number|credit_card|pan|driver_license|licence_number|license_number)", PII),
            new PersonalDataPattern("free text a person wrote", "(.*_)?(message|messages|comment|comments|body|content|text|note|notes|bio|review_text"
                    + "|chat|transcript|free_text|search_query|query_text)", "\"sluice.tags\": [\"PII\", \"free_text\"]"));
}
