package dev.sluice.core.serde;

import dev.sluice.core.registry.SchemaRegistryClient;
import java.time.Duration;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.kafka.common.config.ConfigException;

/** The Kafka client properties the serde reads; the names are Confluent's where Confluent has one. */
public final class SerdeConfig {

    /** Comma-separated registry base URLs. */
    public static final String REGISTRY_URL = "schema.registry.url";
    /** {@code user:password} for basic authentication. */
    public static final String BASIC_AUTH_USER_INFO = "basic.auth.user.info";
    /** Serializer: register the record's schema when the subject lacks it (default true, as Confluent's). */
    public static final String AUTO_REGISTER = "auto.register.schemas";
    /** Serializer: write with the subject's latest version's id instead of looking the record's schema up. */
    public static final String USE_LATEST_VERSION = "use.latest.version";
    /** Deserializer: an Avro schema (JSON text) to project every record to, instead of its writer schema. */
    public static final String READER_SCHEMA = "sluice.reader.schema";
    /** Seconds the client trusts a cached "latest version" answer. */
    public static final String LATEST_CACHE_TTL_SECONDS = "sluice.registry.latest.ttl.seconds";

    private SerdeConfig() {
    }

    static SchemaRegistryClient client(Map<String, ?> configs) {
        Object url = configs.get(REGISTRY_URL);
        if (url == null || url.toString().isBlank()) {
            throw new ConfigException("Missing required configuration \"" + REGISTRY_URL + "\" for the Sluice Avro serde");
        }
        Object userInfo = configs.get(BASIC_AUTH_USER_INFO);
        Object ttl = configs.get(LATEST_CACHE_TTL_SECONDS);
        return SchemaRegistryClient.builder(url.toString())
                .userInfo(userInfo == null ? null : userInfo.toString())
                .latestTtl(ttl == null ? Duration.ofSeconds(30) : Duration.ofSeconds(Long.parseLong(ttl.toString())))
                .build();
    }

    static boolean flag(Map<String, ?> configs, String name, boolean defaultValue) {
        Object value = configs.get(name);
        return value == null ? defaultValue : Boolean.parseBoolean(value.toString());
    }

    static Schema readerSchema(Map<String, ?> configs) {
        Object value = configs.get(READER_SCHEMA);
        if (value == null) {
            return null;
        }
        return value instanceof Schema schema ? schema : new Schema.Parser().parse(value.toString());
    }
}
