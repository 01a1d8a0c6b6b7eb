package dev.sluice.dedup.landing;

import java.nio.ByteBuffer;
import java.time.Instant;

/**
 * One event as it lands: its partition (event type, hour of event time), its id, the Avro body (without the
 * 5-byte wire header) and the id of the schema it was written with.
 */
public record LandingRow(String eventType, Instant hour, String eventId, int schemaId, ByteBuffer payload,
        Instant eventTime, Instant landingTime) {
}
