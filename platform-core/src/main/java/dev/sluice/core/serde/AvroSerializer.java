package dev.sluice.core.serde;

import dev.sluice.core.registry.SchemaRegistryClient;
import dev.sluice.core.topics.Topics;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Kafka serializer for Avro {@link GenericRecord}s in the Confluent wire format, subject {@code <topic>-value} (or
 * {@code -key}). The schema id is found by registering the record's schema ({@code auto.register.schemas=true},
 * the default), by looking it up, or by taking the subject's latest version ({@code use.latest.version=true}).
 */
public class AvroSerializer implements Serializer<GenericRecord> {

    private SchemaRegistryClient client;
    private boolean autoRegister = true;
    private boolean useLatestVersion;
    private boolean isKey;
    private final Map<String, Map<Schema, Integer>> ids = new ConcurrentHashMap<>();
    private final Map<Schema, GenericDatumWriter<GenericRecord>> writers = new ConcurrentHashMap<>();

    /** For Kafka's reflective construction; {@link #configure} supplies the registry. */
    public AvroSerializer() {
    }

    public AvroSerializer(SchemaRegistryClient client, boolean autoRegister) {
        this.client = client;
        this.autoRegister = autoRegister;
    }

    @Override
    public void configure(Map<String, ?> configs, boolean isKey) {
        this.isKey = isKey;
        if (client == null) {
            client = SerdeConfig.client(configs);
        }
        autoRegister = SerdeConfig.flag(configs, SerdeConfig.AUTO_REGISTER, autoRegister);
        useLatestVersion = SerdeConfig.flag(configs, SerdeConfig.USE_LATEST_VERSION, false);
    }

    @Override
    public byte[] serialize(String topic, GenericRecord record) {
        if (record == null) {
            return null;
        }
        String subject = isKey ? Topics.keySubject(topic) : Topics.valueSubject(topic);
        Schema schema = record.getSchema();
        int id = ids.computeIfAbsent(subject, ignored -> new ConcurrentHashMap<>())
                .computeIfAbsent(schema, ignored -> schemaId(subject, schema));
        GenericDatumWriter<GenericRecord> writer = writers.computeIfAbsent(schema, GenericDatumWriter::new);
        return AvroWireFormat.encode(id, writer, record);
    }

    private int schemaId(String subject, Schema schema) {
        if (useLatestVersion) {
            return client.latest(subject).id();
        }
        return autoRegister ? client.register(subject, schema) : client.lookup(subject, schema).id();
    }
}
