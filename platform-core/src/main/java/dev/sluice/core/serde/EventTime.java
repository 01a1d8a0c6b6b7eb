package dev.sluice.core.serde;

import dev.sluice.core.privacy.PrivacyField;
import dev.sluice.core.privacy.PrivacySchema;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.TimeUnit;
import org.apache.avro.LogicalType;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericRecord;

/**
 * Where the event time is in an event schema's records, and reading it from an event: what decides the lake
 * partition (date, hour, UTC) of the events that reach a consumer without the gatekeeper's event-time header.
 * Timestamps in millis, micros or nanos and dates are read; none (or null): the Kafka timestamp.
 *
 * @param path the dotted path of the event-time field, split; empty when the schema has none
 */
public record EventTime(String[] path) {

    /** Where the event time is in the schema's records (the field marked {@code sluice.event_time}). */
    public static EventTime of(Schema schema) {
        return PrivacySchema.of(schema).eventTimeField().map(PrivacyField::path)
                .map(path -> new EventTime(path.split("\\."))).orElse(new EventTime(new String[0]));
    }

    /** The event's time: its event-time field; the Kafka timestamp when it has none, or when it is null. */
    public Instant of(GenericRecord event, long kafkaTimestamp) {
        Object value = event;
        Schema schema = event.getSchema();
        for (String name : path) {
            if (!(value instanceof GenericRecord record) || !record.hasField(name)) {
                value = null;
                break;
            }
            schema = nonNull(record.getSchema().getField(name).schema());
            value = record.get(name);
        }
        if (path.length == 0 || value == null) {
            return Instant.ofEpochMilli(kafkaTimestamp);
        }
        LogicalType logical = schema.getLogicalType();
        if (value instanceof Long number) {
            if (logical instanceof LogicalTypes.TimestampMicros || logical instanceof LogicalTypes.LocalTimestampMicros) {
                return Instant.EPOCH.plus(number, ChronoUnit.MICROS);
            }
            if (logical instanceof LogicalTypes.TimestampNanos || logical instanceof LogicalTypes.LocalTimestampNanos) {
                return Instant.EPOCH.plusNanos(number);
            }
            return Instant.ofEpochMilli(number);
        }
        if (value instanceof Integer days && logical instanceof LogicalTypes.Date) {
            return Instant.ofEpochMilli(TimeUnit.DAYS.toMillis(days));
        }
        return Instant.ofEpochMilli(kafkaTimestamp);
    }

    private static Schema nonNull(Schema schema) {
        if (schema.getType() == Schema.Type.UNION) {
            return schema.getTypes().stream().filter(s -> s.getType() != Schema.Type.NULL).findFirst().orElse(schema);
        }
        return schema;
    }
}
