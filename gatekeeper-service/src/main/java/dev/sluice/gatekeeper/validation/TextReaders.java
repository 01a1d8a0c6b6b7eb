package dev.sluice.gatekeeper.validation;

import dev.sluice.gatekeeper.validation.EventConverter.Context;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;

/** Readers of values that JSON gives as strings: strings and uuids, bytes and fixed (base64), decimals, enums. */
final class TextReaders {

    private TextReaders() {
    }

    static final class StringReader extends ValueReader {
        private final boolean uuid;
        private final boolean eventId;

        StringReader(boolean uuid, boolean eventId) {
            this.uuid = uuid;
            this.eventId = eventId;
        }

        @Override
        void read(JsonParser p, JsonToken token, AvroBuffer out, Context c) {
            if (token != JsonToken.VALUE_STRING) {
                throw wrongType(token, expected(), c);
            }
            char[] chars = p.getStringCharacters();
            int offset = p.getStringOffset();
            int length = p.getStringLength();
            if (uuid && !isUuid(chars, offset, length)) {
                throw invalid(c, "not a UUID: " + abbreviate(new String(chars, offset, length)));
            }
            if (eventId) {
                c.eventId = new String(chars, offset, length);
            }
            out.writeString(chars, offset, length);
        }

        private static boolean isUuid(char[] chars, int offset, int length) {
            if (length != 36) {
                return false;
            }
            for (int i = 0; i < 36; i++) {
                char ch = chars[offset + i];
                boolean dash = i == 8 || i == 13 || i == 18 || i == 23;
                if (dash ? ch != '-' : Character.digit(ch, 16) < 0) {
                    return false;
                }
            }
            return true;
        }

        @Override
        boolean accepts(JsonToken token) {
            return token == JsonToken.VALUE_STRING;
        }

        @Override
        String expected() {
            return uuid ? "a UUID string" : "a string";
        }
    }

    static final class BytesReader extends ValueReader {
        private final int fixedSize;

        BytesReader(int fixedSize) {
            this.fixedSize = fixedSize;
        }

        @Override
        void read(JsonParser p, JsonToken token, AvroBuffer out, Context c) {
            if (token != JsonToken.VALUE_STRING) {
                throw wrongType(token, expected(), c);
            }
            byte[] value;
            try {
                value = Base64.getDecoder().decode(p.getString());
            } catch (IllegalArgumentException e) {
                throw invalid(c, "not base64: " + e.getMessage());
            }
            if (fixedSize >= 0) {
                if (value.length != fixedSize) {
                    throw invalid(c, "expected " + fixedSize + " bytes, found " + value.length);
                }
                out.writeRaw(value, 0, value.length);
            } else {
                out.writeBytes(value);
            }
        }

        @Override
        boolean accepts(JsonToken token) {
            return token == JsonToken.VALUE_STRING;
        }

        @Override
        String expected() {
            return "a base64 string";
        }
    }

    static final class DecimalReader extends ValueReader {
        private final int precision;
        private final int scale;
        private final int fixedSize;

        DecimalReader(LogicalTypes.Decimal decimal, int fixedSize) {
            this.precision = decimal.getPrecision();
            this.scale = decimal.getScale();
            this.fixedSize = fixedSize;
        }

        @Override
        void read(JsonParser p, JsonToken token, AvroBuffer out, Context c) {
            BigDecimal value;
            if (token == JsonToken.VALUE_NUMBER_INT || token == JsonToken.VALUE_NUMBER_FLOAT) {
                value = p.getDecimalValue();
            } else if (token == JsonToken.VALUE_STRING) {
                try {
                    value = new BigDecimal(p.getString());
                } catch (NumberFormatException e) {
                    throw invalid(c, "not a decimal number: " + abbreviate(p.getString()));
                }
            } else {
                throw wrongType(token, expected(), c);
            }
            BigDecimal scaled;
            try {
                scaled = value.setScale(scale, RoundingMode.UNNECESSARY);
            } catch (ArithmeticException e) {
                throw invalid(c, value.toPlainString() + " has more than " + scale + " decimal places");
            }
            if (scaled.precision() > precision) {
                throw invalid(c, value.toPlainString() + " has more than " + precision + " digits");
            }
            byte[] unscaled = scaled.unscaledValue().toByteArray();
            if (fixedSize < 0) {
                out.writeBytes(unscaled);
            } else {
                if (unscaled.length > fixedSize) {
                    throw invalid(c, value.toPlainString() + " does not fit in " + fixedSize + " bytes");
                }
                byte pad = (byte) (scaled.signum() < 0 ? 0xFF : 0x00);
                for (int i = unscaled.length; i < fixedSize; i++) {
                    out.writeByte(pad);
                }
                out.writeRaw(unscaled, 0, unscaled.length);
            }
        }

        @Override
        boolean accepts(JsonToken token) {
            return token == JsonToken.VALUE_NUMBER_INT || token == JsonToken.VALUE_NUMBER_FLOAT || token == JsonToken.VALUE_STRING;
        }

        @Override
        String expected() {
            return "a decimal number";
        }
    }

    static final class EnumReader extends ValueReader {
        private final Map<String, Integer> symbols = new HashMap<>();
        private final List<String> names;

        EnumReader(Schema schema) {
            names = schema.getEnumSymbols();
            for (int i = 0; i < names.size(); i++) {
                symbols.put(names.get(i), i);
            }
        }

        @Override
        void read(JsonParser p, JsonToken token, AvroBuffer out, Context c) {
            if (token != JsonToken.VALUE_STRING) {
                throw wrongType(token, expected(), c);
            }
            Integer index = symbols.get(p.getString());
            if (index == null) {
                throw invalid(c, "'" + abbreviate(p.getString()) + "' is not one of " + names);
            }
            out.writeInt(index);
        }

        @Override
        boolean accepts(JsonToken token) {
            return token == JsonToken.VALUE_STRING;
        }

        @Override
        String expected() {
            return "one of " + names;
        }
    }
}
