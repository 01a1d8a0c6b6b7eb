package dev.sluice.gatekeeper.validation;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.ByteBuffer;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import tools.jackson.databind.JsonNode;

/**
 * The reference path of the differential tests: the gatekeeper's documented JSON-to-Avro rules written the plain
 * way, over a Jackson tree, building Avro's generic datum (which Avro's own encoder then writes). Slow and obvious
 * on purpose; it shares no code with the converter. Errors carry the reason code the gatekeeper must give, found
 * in document order as the gatekeeper reads.
 */
final class ReferenceConverter {

    /** Why the reference refuses a value. */
    static final class Refused extends RuntimeException {
        final Reason reason;

        Refused(Reason reason, String message) {
            super(message, null, false, false);
            this.reason = reason;
        }
    }

    private final Set<String> envelopeFields;

    ReferenceConverter(Set<String> envelopeFields) {
        this.envelopeFields = envelopeFields;
    }

    Object toDatum(JsonNode json, Schema schema, boolean top) {
        return switch (schema.getType()) {
            case NULL -> {
                expect(json.isNull(), json, "null");
                yield null;
            }
            case BOOLEAN -> {
                expect(json.isBoolean(), json, "boolean");
                yield json.booleanValue();
            }
            case INT -> intValue(json, schema);
            case LONG -> longValue(json, schema);
            case FLOAT -> {
                expect(json.isNumber(), json, "number");
                float value = json.isIntegralNumber() ? (json.canConvertToLong() ? (float) json.longValue()
                        : json.bigIntegerValue().floatValue()) : Float.parseFloat(json.decimalValue().toString());
                if (Float.isInfinite(value) || Float.isNaN(value)) {
                    throw invalid("out of range for a float");
                }
                yield value;
            }
            case DOUBLE -> {
                expect(json.isNumber(), json, "number");
                double value = json.isIntegralNumber() ? (json.canConvertToLong() ? (double) json.longValue()
                        : json.bigIntegerValue().doubleValue()) : Double.parseDouble(json.decimalValue().toString());
                if (Double.isInfinite(value) || Double.isNaN(value)) {
                    throw invalid("out of range for a double");
                }
                yield value;
            }
            case STRING -> {
                expect(json.isString(), json, "string");
                String text = json.asString();
                if (schema.getLogicalType() != null && "uuid".equals(schema.getLogicalType().getName())
                        && !text.matches("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")) {
                    throw invalid("not a uuid");
                }
                yield text;
            }
            case BYTES, FIXED -> schema.getLogicalType() instanceof LogicalTypes.Decimal decimal ? decimal(json, schema, decimal)
                    : bytes(json, schema);
            case ENUM -> {
                expect(json.isString(), json, "string");
                if (!schema.getEnumSymbols().contains(json.asString())) {
                    throw invalid("not a symbol");
                }
                yield new GenericData.EnumSymbol(schema, json.asString());
            }
            case ARRAY -> {
                expect(json.isArray(), json, "array");
                List<Object> items = new ArrayList<>();
                json.forEach(item -> items.add(toDatum(item, schema.getElementType(), false)));
                yield new GenericData.Array<>(schema, items);
            }
            case MAP -> {
                expect(json.isObject(), json, "object");
                Map<String, Object> map = new LinkedHashMap<>();
                json.properties().forEach(e -> map.put(e.getKey(), toDatum(e.getValue(), schema.getValueType(), false)));
                yield map;
            }
            case RECORD -> record(json, schema, top);
            case UNION -> union(json, schema);
        };
    }

    private Object record(JsonNode json, Schema schema, boolean top) {
        expect(json.isObject(), json, "object");
        GenericData.Record record = new GenericData.Record(schema);
        boolean[] seen = new boolean[schema.getFields().size()];
        for (Map.Entry<String, JsonNode> member : json.properties()) {
            Schema.Field field = schema.getField(member.getKey());
            if (field == null) {
                if (top && envelopeFields.contains(member.getKey())) {
                    continue;
                }
                throw new Refused(Reason.UNKNOWN_FIELD, member.getKey());
            }
            record.put(field.pos(), toDatum(member.getValue(), field.schema(), false));
            seen[field.pos()] = true;
        }
        for (Schema.Field field : schema.getFields()) {
            if (!seen[field.pos()]) {
                if (!field.hasDefaultValue()) {
                    throw new Refused(Reason.MISSING_FIELD, field.name());
                }
                record.put(field.pos(), GenericData.get().getDefaultValue(field));
            }
        }
        return record;
    }

    private Object union(JsonNode json, Schema union) {
        List<Schema> branches = union.getTypes();
        boolean tagged = branches.stream().filter(RandomSchemas::takesObjects).count() > 1;
        if (tagged && json.isObject()) {
            if (json.size() != 1) {
                throw invalid("a tagged union value names one branch");
            }
            Map.Entry<String, JsonNode> tag = json.properties().iterator().next();
            for (Schema branch : branches) {
                String name = branch.getType() == Schema.Type.RECORD || branch.getType() == Schema.Type.ENUM
                        || branch.getType() == Schema.Type.FIXED ? branch.getName() : branch.getType().getName();
                if (name.equals(tag.getKey())) {
                    return toDatum(tag.getValue(), branch, false);
                }
            }
            throw invalid("not a branch");
        }
        int index = RandomSchemas.firstTaking(branches, json);
        if (index < 0) {
            throw new Refused(Reason.WRONG_TYPE, "no branch takes " + json.getNodeType());
        }
        return toDatum(json, branches.get(index), false);
    }

    private Object intValue(JsonNode json, Schema schema) {
        boolean date = schema.getLogicalType() instanceof LogicalTypes.Date;
        boolean time = schema.getLogicalType() instanceof LogicalTypes.TimeMillis;
        if ((date || time) && json.isString()) {
            try {
                return date ? Math.toIntExact(LocalDate.parse(json.asString()).toEpochDay())
                        : (int) (LocalTime.parse(json.asString()).toNanoOfDay() / 1_000_000);
            } catch (DateTimeException | ArithmeticException e) {
                throw invalid("not a date or time");
            }
        }
        expect(json.isIntegralNumber(), json, "whole number");
        if (!json.canConvertToInt()) {
            throw invalid("out of range for an int");
        }
        int value = json.intValue();
        if (time && (value < 0 || value > 86_399_999)) {
            throw invalid("out of range for a time of day");
        }
        return value;
    }

    private Object longValue(JsonNode json, Schema schema) {
        boolean timestamp = RandomSchemas.isTimestamp(schema);
        boolean micros = schema.getLogicalType() instanceof LogicalTypes.TimestampMicros;
        if (timestamp && json.isString()) {
            try {
                Instant instant;
                try {
                    instant = Instant.parse(json.asString());
                } catch (DateTimeException e) {
                    instant = OffsetDateTime.parse(json.asString()).toInstant();
                }
                return micros ? Math.addExact(Math.multiplyExact(instant.getEpochSecond(), 1_000_000L), instant.getNano() / 1000)
                        : instant.toEpochMilli();
            } catch (DateTimeException | ArithmeticException e) {
                throw invalid("not a timestamp");
            }
        }
        expect(json.isIntegralNumber(), json, "whole number");
        if (!json.canConvertToLong()) {
            throw invalid("out of range for a long");
        }
        return json.longValue();
    }

    private Object decimal(JsonNode json, Schema schema, LogicalTypes.Decimal decimal) {
        BigDecimal value;
        if (json.isNumber()) {
            value = json.decimalValue();
        } else if (json.isString()) {
            try {
                value = new BigDecimal(json.asString());
            } catch (NumberFormatException e) {
                throw invalid("not a decimal");
            }
        } else {
            throw new Refused(Reason.WRONG_TYPE, "expected a decimal");
        }
        BigDecimal scaled;
        try {
            scaled = value.setScale(decimal.getScale(), RoundingMode.UNNECESSARY);
        } catch (ArithmeticException e) {
            throw invalid("too many decimal places");
        }
        if (scaled.precision() > decimal.getPrecision()) {
            throw invalid("too many digits");
        }
        byte[] unscaled = scaled.unscaledValue().toByteArray();
        if (schema.getType() == Schema.Type.BYTES) {
            return ByteBuffer.wrap(unscaled);
        }
        if (unscaled.length > schema.getFixedSize()) {
            throw invalid("does not fit");
        }
        byte[] padded = new byte[schema.getFixedSize()];
        java.util.Arrays.fill(padded, (byte) (scaled.signum() < 0 ? 0xFF : 0));
        System.arraycopy(unscaled, 0, padded, padded.length - unscaled.length, unscaled.length);
        return new GenericData.Fixed(schema, padded);
    }

    private Object bytes(JsonNode json, Schema schema) {
        expect(json.isString(), json, "base64 string");
        byte[] bytes;
        try {
            bytes = Base64.getDecoder().decode(json.asString());
        } catch (IllegalArgumentException e) {
            throw invalid("not base64");
        }
        if (schema.getType() == Schema.Type.FIXED) {
            if (bytes.length != schema.getFixedSize()) {
                throw invalid("wrong size");
            }
            return new GenericData.Fixed(schema, bytes);
        }
        return ByteBuffer.wrap(bytes);
    }

    private static void expect(boolean ok, JsonNode json, String what) {
        if (!ok) {
            throw new Refused(Reason.WRONG_TYPE, "expected " + what + ", found " + json.getNodeType());
        }
    }

    private static Refused invalid(String message) {
        return new Refused(Reason.INVALID_VALUE, message);
    }
}
