package dev.sluice.core.serde;

import dev.sluice.core.registry.SchemaRegistryClient;
import java.io.IOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.apache.avro.AvroRuntimeException;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.DecoderFactory;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * Kafka deserializer for Avro records in the Confluent wire format. Reads with the writer's schema, fetched by id
 * from the registry (cached), and, when a reader schema is configured ({@code sluice.reader.schema}), projects the
 * record onto it by Avro's schema-resolution rules. A projection chosen per writer schema (for example only the
 * fields a consumer needs, whose other fields Avro then skips instead of building) can be given instead.
 */
public class AvroDeserializer implements Deserializer<GenericRecord> {

    private SchemaRegistryClient client;
    private Function<Schema, Schema> readerSchemaOf = writer -> writer;
    private final Map<Integer, GenericDatumReader<GenericRecord>> readers = new ConcurrentHashMap<>();

    /** For Kafka's reflective construction; {@link #configure} supplies the registry. */
    public AvroDeserializer() {
    }

    /** @param readerSchema the schema to project to, or null to read every record with its writer schema */
    public AvroDeserializer(SchemaRegistryClient client, Schema readerSchema) {
        this.client = client;
        if (readerSchema != null) {
            this.readerSchemaOf = writer -> readerSchema;
        }
    }

    /** @param readerSchemaOf the schema to read with, given the writer's (computed once per schema id) */
    public static AvroDeserializer projecting(SchemaRegistryClient client, Function<Schema, Schema> readerSchemaOf) {
        AvroDeserializer deserializer = new AvroDeserializer(client, null);
        deserializer.readerSchemaOf = readerSchemaOf;
        return deserializer;
    }

    @Override
    public void configure(Map<String, ?> configs, boolean isKey) {
        if (client == null) {
            client = SerdeConfig.client(configs);
        }
        Schema configured = SerdeConfig.readerSchema(configs);
        if (configured != null) {
            readerSchemaOf = writer -> configured;
        }
    }

    @Override
    public GenericRecord deserialize(String topic, byte[] payload) {
        if (payload == null) {
            return null;
        }
        int id = AvroWireFormat.schemaId(payload);
        GenericDatumReader<GenericRecord> reader = readers.computeIfAbsent(id, ignored -> {
            Schema writer = client.schemaById(id);
            return new GenericDatumReader<>(writer, readerSchemaOf.apply(writer));
        });
        try {
            return reader.read(null, DecoderFactory.get().binaryDecoder(payload, AvroWireFormat.HEADER_LENGTH,
                    payload.length - AvroWireFormat.HEADER_LENGTH, null));
        } catch (IOException | AvroRuntimeException | IndexOutOfBoundsException e) {
            throw new SerializationException("cannot decode the Avro payload of a record on " + topic
                    + " with schema id " + id + ": " + e.getMessage(), e);
        }
    }
}
