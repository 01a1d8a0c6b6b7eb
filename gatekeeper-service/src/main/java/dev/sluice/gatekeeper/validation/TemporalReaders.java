package dev.sluice.gatekeeper.validation;

import dev.sluice.gatekeeper.validation.EventConverter.Context;
import java.time.DateTimeException;
import java.time.LocalDate;
import java.time.LocalTime;
import java.util.function.ToIntFunction;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;

/** Readers of the int logical types that also take text: date and time-millis. */
final class TemporalReaders {

    private TemporalReaders() {
    }

    /**
     * The int logical types that also take text: date (days since 1970-01-01, or {@code yyyy-MM-dd}) and time-millis
     * (milliseconds of the day, or {@code HH:mm:ss.SSS}).
     */
    static final class TemporalIntReader extends ValueReader {
        private final ToIntFunction<String> parse;
        private final int min;
        private final int max;
        private final String what;

        private TemporalIntReader(ToIntFunction<String> parse, int min, int max, String what) {
            this.parse = parse;
            this.min = min;
            this.max = max;
            this.what = what;
        }

        static TemporalIntReader date() {
            return new TemporalIntReader(text -> Math.toIntExact(LocalDate.parse(text).toEpochDay()),
                    Integer.MIN_VALUE, Integer.MAX_VALUE, "a date (days since 1970-01-01, or yyyy-MM-dd)");
        }

        static TemporalIntReader timeMillis() {
            return new TemporalIntReader(text -> (int) (LocalTime.parse(text).toNanoOfDay() / 1_000_000),
                    0, 86_399_999, "a time of day (milliseconds, or HH:mm:ss.SSS)");
        }

        @Override
        void read(JsonParser p, JsonToken token, AvroBuffer out, Context c) {
            if (token == JsonToken.VALUE_STRING) {
                try {
                    out.writeInt(parse.applyAsInt(p.getString()));
                } catch (DateTimeException | ArithmeticException e) {
                    throw invalid(c, "not " + what + ": " + abbreviate(p.getString()));
                }
                return;
            }
            if (token != JsonToken.VALUE_NUMBER_INT) {
                throw wrongType(token, expected(), c);
            }
            if (p.getNumberType() != JsonParser.NumberType.INT || p.getIntValue() < min || p.getIntValue() > max) {
                throw invalid(c, "out of range for " + what + ": " + abbreviate(p.getText()));
            }
            out.writeInt(p.getIntValue());
        }

        @Override
        boolean accepts(JsonToken token) {
            return token == JsonToken.VALUE_NUMBER_INT || token == JsonToken.VALUE_STRING;
        }

        @Override
        String expected() {
            return what;
        }
    }
}
