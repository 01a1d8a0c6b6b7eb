package dev.sluice.gatekeeper.validation;

import dev.sluice.gatekeeper.validation.EventConverter.Context;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.OffsetDateTime;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;

/** Readers of null, booleans and numbers (int, long and the timestamps on it, float, double). */
final class ScalarReaders {

    private ScalarReaders() {
    }

    static final class NullReader extends ValueReader {
        @Override
        void read(JsonParser p, JsonToken token, AvroBuffer out, Context c) {
            if (token != JsonToken.VALUE_NULL) {
                throw wrongType(token, expected(), c);
            }
        }

        @Override
        boolean accepts(JsonToken token) {
            return token == JsonToken.VALUE_NULL;
        }

        @Override
        String expected() {
            return "null";
        }
    }

    static final class BooleanReader extends ValueReader {
        @Override
        void read(JsonParser p, JsonToken token, AvroBuffer out, Context c) {
            if (token == JsonToken.VALUE_TRUE) {
                out.writeByte(1);
            } else if (token == JsonToken.VALUE_FALSE) {
                out.writeByte(0);
            } else {
                throw wrongType(token, expected(), c);
            }
        }

        @Override
        boolean accepts(JsonToken token) {
            return token == JsonToken.VALUE_TRUE || token == JsonToken.VALUE_FALSE;
        }

        @Override
        String expected() {
            return "a boolean";
        }
    }

    static final class IntReader extends ValueReader {
        @Override
        void read(JsonParser p, JsonToken token, AvroBuffer out, Context c) {
            if (token != JsonToken.VALUE_NUMBER_INT) {
                throw wrongType(token, expected(), c);
            }
            if (p.getNumberType() != JsonParser.NumberType.INT) {
                throw invalid(c, "out of range for an int: " + p.getText());
            }
            out.writeInt(p.getIntValue());
        }

        @Override
        boolean accepts(JsonToken token) {
            return token == JsonToken.VALUE_NUMBER_INT;
        }

        @Override
        String expected() {
            return "a whole number (int)";
        }
    }

    static final class LongReader extends ValueReader {
        private final int unitsPerMilli;
        private final boolean timestamp;
        private final boolean eventTime;

        LongReader(int unitsPerMilli, boolean timestamp, boolean eventTime) {
            this.unitsPerMilli = unitsPerMilli;
            this.timestamp = timestamp;
            this.eventTime = eventTime;
        }

        @Override
        void read(JsonParser p, JsonToken token, AvroBuffer out, Context c) {
            long value;
            if (token == JsonToken.VALUE_NUMBER_INT) {
                JsonParser.NumberType type = p.getNumberType();
                if (type != JsonParser.NumberType.INT && type != JsonParser.NumberType.LONG) {
                    throw invalid(c, "out of range for a long: " + abbreviate(p.getText()));
                }
                value = p.getLongValue();
            } else if (token == JsonToken.VALUE_STRING && timestamp) {
                value = parseTimestamp(p.getString(), c);
            } else {
                throw wrongType(token, expected(), c);
            }
            if (eventTime) {
                c.eventTimeMillis = value / unitsPerMilli;
                c.eventTimeMicros = unitsPerMilli == 1000 ? Long.valueOf(value) : microsOrNull(value);
            }
            out.writeLong(value);
        }

        /** Milliseconds as microseconds, or null beyond what a long holds (year ±292 000). */
        private static Long microsOrNull(long millis) {
            long micros = millis * 1000;
            return micros / 1000 == millis ? micros : null;
        }

        private long parseTimestamp(String text, Context c) {
            try {
                Instant instant;
                try {
                    instant = Instant.parse(text);
                } catch (DateTimeException e) {
                    instant = OffsetDateTime.parse(text).toInstant();
                }
                return unitsPerMilli == 1 ? instant.toEpochMilli()
                        : Math.addExact(Math.multiplyExact(instant.getEpochSecond(), 1_000_000L), instant.getNano() / 1000);
            } catch (DateTimeException | ArithmeticException e) {
                throw invalid(c, "not an ISO-8601 timestamp with a zone (2026-11-26T10:15:30Z): " + abbreviate(text));
            }
        }

        @Override
        boolean accepts(JsonToken token) {
            return token == JsonToken.VALUE_NUMBER_INT || (timestamp && token == JsonToken.VALUE_STRING);
        }

        @Override
        String expected() {
            return timestamp ? "a timestamp (epoch number or ISO-8601 string)" : "a whole number (long)";
        }
    }

    /** float and double: any JSON number that stays finite in the field's precision. */
    static final class FloatingReader extends ValueReader {
        private final boolean single;

        FloatingReader(boolean single) {
            this.single = single;
        }

        @Override
        void read(JsonParser p, JsonToken token, AvroBuffer out, Context c) {
            if (token != JsonToken.VALUE_NUMBER_INT && token != JsonToken.VALUE_NUMBER_FLOAT) {
                throw wrongType(token, expected(), c);
            }
            double value = single ? p.getFloatValue() : p.getDoubleValue();
            if (Double.isInfinite(value) || Double.isNaN(value)) {
                throw invalid(c, "out of range for a " + (single ? "float" : "double") + ": " + abbreviate(p.getText()));
            }
            if (single) {
                out.writeFloat((float) value);
            } else {
                out.writeDouble(value);
            }
        }

        @Override
        boolean accepts(JsonToken token) {
            return token == JsonToken.VALUE_NUMBER_INT || token == JsonToken.VALUE_NUMBER_FLOAT;
        }

        @Override
        String expected() {
            return single ? "a number (float)" : "a number (double)";
        }
    }
}
