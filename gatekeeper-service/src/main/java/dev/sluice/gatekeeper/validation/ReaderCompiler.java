package dev.sluice.gatekeeper.validation;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.avro.LogicalType;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;

/** Compiles a schema into its readers: one per node, named types once (which also ends recursive types). */
final class ReaderCompiler {
    final boolean dropUnknownFields;
    final Map<String, RecordReader> records = new HashMap<>();

    ReaderCompiler(boolean dropUnknownFields) {
        this.dropUnknownFields = dropUnknownFields;
    }

    RecordReader record(Schema schema, String eventTimeField, Set<String> envelopeFields) {
        RecordReader existing = records.get(schema.getFullName());
        if (existing != null && eventTimeField == null) {
            return existing; // named types are compiled once, which also ends recursive types
        }
        RecordReader reader = new RecordReader(schema.getFields().size(), dropUnknownFields, envelopeFields);
        records.putIfAbsent(schema.getFullName(), reader);
        boolean root = !envelopeFields.isEmpty() || eventTimeField != null;
        for (Schema.Field field : schema.getFields()) {
            boolean eventTime = field.name().equals(eventTimeField);
            ValueReader fieldReader = root && field.name().equals("id") && field.schema().getType() == Schema.Type.STRING
                    ? new TextReaders.StringReader(false, true) : reader(field.schema(), eventTime);
            reader.add(field.pos(), field.name(), fieldReader, defaultBytes(field));
        }
        return reader;
    }

    ValueReader reader(Schema schema, boolean eventTime) {
        LogicalType logical = schema.getLogicalType();
        return switch (schema.getType()) {
            case NULL -> new ScalarReaders.NullReader();
            case BOOLEAN -> new ScalarReaders.BooleanReader();
            case INT -> logical instanceof LogicalTypes.Date ? TemporalReaders.TemporalIntReader.date()
                    : logical instanceof LogicalTypes.TimeMillis ? TemporalReaders.TemporalIntReader.timeMillis() : new ScalarReaders.IntReader();
            case LONG -> new ScalarReaders.LongReader(logical instanceof LogicalTypes.TimestampMicros ? 1000 : 1,
                    logical instanceof LogicalTypes.TimestampMillis || logical instanceof LogicalTypes.TimestampMicros,
                    eventTime);
            case FLOAT -> new ScalarReaders.FloatingReader(true);
            case DOUBLE -> new ScalarReaders.FloatingReader(false);
            case STRING -> new TextReaders.StringReader("uuid".equals(logical == null ? null : logical.getName()), false);
            case BYTES -> logical instanceof LogicalTypes.Decimal decimal ? new TextReaders.DecimalReader(decimal, -1) : new TextReaders.BytesReader(-1);
            case FIXED -> logical instanceof LogicalTypes.Decimal decimal ? new TextReaders.DecimalReader(decimal, schema.getFixedSize())
                    : new TextReaders.BytesReader(schema.getFixedSize());
            case ENUM -> new TextReaders.EnumReader(schema);
            case ARRAY -> new CollectionReaders.ArrayReader(reader(schema.getElementType(), false));
            case MAP -> new CollectionReaders.MapReader(reader(schema.getValueType(), false));
            case RECORD -> record(schema, null, Set.of());
            case UNION -> union(schema, eventTime);
        };
    }

    UnionReader union(Schema union, boolean eventTime) {
        List<Schema> types = union.getTypes();
        ValueReader[] readers = new ValueReader[types.size()];
        String[] names = new String[types.size()];
        for (int i = 0; i < types.size(); i++) {
            readers[i] = reader(types.get(i), eventTime);
            names[i] = types.get(i).getType() == Schema.Type.RECORD || types.get(i).getType() == Schema.Type.ENUM
                    || types.get(i).getType() == Schema.Type.FIXED ? types.get(i).getName() : types.get(i).getType().getName();
        }
        return new UnionReader(readers, names);
    }

    static byte[] defaultBytes(Schema.Field field) {
        if (!field.hasDefaultValue()) {
            return null;
        }
        Object datum = GenericData.get().getDefaultValue(field);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        BinaryEncoder encoder = EncoderFactory.get().directBinaryEncoder(bytes, null);
        try {
            new GenericDatumWriter<>(field.schema()).write(datum, encoder);
            encoder.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }
}

// ---- readers: one per schema node
