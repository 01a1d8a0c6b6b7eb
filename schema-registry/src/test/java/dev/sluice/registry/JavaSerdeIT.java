package dev.sluice.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.core.registry.RegisteredSchema;
import dev.sluice.core.registry.SchemaRegistryClient;
import dev.sluice.core.registry.SchemaRegistryException;
import dev.sluice.core.serde.AvroDeserializer;
import dev.sluice.core.serde.AvroSerializer;
import dev.sluice.core.serde.AvroWireFormat;
import dev.sluice.infra.LocalInfra;
import dev.sluice.infra.Server;
import dev.sluice.infra.junit.LocalInfraTest;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** platform-core's client and serde against the real registry. */
@LocalInfraTest(Server.KAFKA)
class JavaSerdeIT {

    static RunningRegistry registry;
    static SchemaRegistryClient client;

    static final Schema V1 = new Schema.Parser().parse(Schemas.record("Serde", "{\"name\":\"id\",\"type\":\"string\"}"));
    static final Schema V2 = new Schema.Parser().parse(Schemas.record("Serde", "{\"name\":\"id\",\"type\":\"string\"},"
            + "{\"name\":\"count\",\"type\":\"int\",\"default\":7}"));

    @BeforeAll
    static void start(LocalInfra infra) {
        registry = RunningRegistry.start(infra);
        client = SchemaRegistryClient.builder(registry.url)
                .userInfo(RunningRegistry.USER + ":" + RunningRegistry.PASSWORD).build();
    }

    @AfterAll
    static void stop() {
        registry.close();
    }

    @Test
    void writesWithTheRegisteredIdAndReadsBackProjectingToAReaderSchema() {
        GenericRecord record = new GenericData.Record(V1);
        record.put("id", "e-1");

        byte[] payload;
        try (AvroSerializer serializer = new AvroSerializer(client, true)) {
            payload = serializer.serialize("serde", record);
        }
        int id = AvroWireFormat.schemaId(payload);
        RegisteredSchema latest = client.latest("serde-value");

        assertThat(latest.id()).isEqualTo(id);
        assertThat(latest.version()).isEqualTo(1);
        try (AvroDeserializer writerSchema = new AvroDeserializer(client, null);
                AvroDeserializer projected = new AvroDeserializer(client, V2)) {
            assertThat(writerSchema.deserialize("serde", payload).toString()).isEqualTo("{\"id\": \"e-1\"}");
            GenericRecord read = projected.deserialize("serde", payload);
            assertThat(read.get("id")).hasToString("e-1");
            assertThat(read.get("count")).isEqualTo(7);
        }
    }

    @Test
    void withoutAutoRegisterAnUnknownSchemaIsAnError() {
        GenericRecord record = new GenericData.Record(V2);
        record.put("id", "e-2");
        record.put("count", 1);

        try (AvroSerializer serializer = new AvroSerializer()) {
            serializer.configure(Map.of("schema.registry.url", registry.url, "auto.register.schemas", "false"), false);
            assertThatThrownBy(() -> serializer.serialize("unregistered", record))
                    .isInstanceOfSatisfying(SchemaRegistryException.class,
                            e -> assertThat(e.errorCode()).isEqualTo(SchemaRegistryException.SUBJECT_NOT_FOUND));
        }
    }

    @Test
    void anUnknownIdOrAForeignPayloadIsAClearError() {
        try (AvroDeserializer deserializer = new AvroDeserializer(client, null)) {
            assertThatThrownBy(() -> deserializer.deserialize("t", new byte[] {0, 0x7f, 0, 0, 1, 2}))
                    .isInstanceOfSatisfying(SchemaRegistryException.class,
                            e -> assertThat(e.errorCode()).isEqualTo(SchemaRegistryException.SCHEMA_NOT_FOUND));
            assertThatThrownBy(() -> deserializer.deserialize("t", "{\"id\":1}".getBytes()))
                    .isInstanceOf(SerializationException.class).hasMessageContaining("magic byte");
        }
    }
}
