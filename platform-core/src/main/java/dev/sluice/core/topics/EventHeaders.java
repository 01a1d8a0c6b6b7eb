package dev.sluice.core.topics;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

/**
 * The headers the gatekeeper puts on each record of {@code events.valid.<type>} so that a consumer needing only the
 * event id and time need not decode the payload: the key is the event id, and {@value #EVENT_TIME} holds the exact
 * event time (the schema's {@code sluice.event_time} field, or the ingest time when it has none) as decimal epoch
 * microseconds. A record without the header (from another producer) must be decoded.
 */
public final class EventHeaders {

    public static final String EVENT_TIME = "sluice.event_time";

    private EventHeaders() {
    }

    public static byte[] eventTimeValue(long epochMicros) {
        return Long.toString(epochMicros).getBytes(StandardCharsets.US_ASCII);
    }

    /** The event time the header holds, or null when the record has none or it is not a number. */
    public static Instant eventTime(Headers headers) {
        Header header = headers.lastHeader(EVENT_TIME);
        if (header == null || header.value() == null) {
            return null;
        }
        long micros = 0;
        byte[] digits = header.value();
        int start = digits.length > 0 && digits[0] == '-' ? 1 : 0;
        if (digits.length == start || digits.length - start > 18) {
            return null;
        }
        for (int i = start; i < digits.length; i++) {
            int digit = digits[i] - '0';
            if (digit < 0 || digit > 9) {
                return null;
            }
            micros = micros * 10 + digit;
        }
        return Instant.EPOCH.plus(start == 1 ? -micros : micros, ChronoUnit.MICROS);
    }
}
