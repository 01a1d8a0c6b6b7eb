package dev.sluice.core.serde;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.kafka.common.errors.SerializationException;

/**
 * Confluent's wire format: magic byte 0, the 4-byte big-endian schema id, then the Avro binary encoding of the
 * record with that schema.
 */
public final class AvroWireFormat {

    public static final byte MAGIC_BYTE = 0;
    public static final int HEADER_LENGTH = 5;

    private AvroWireFormat() {
    }

    /** The schema id of a framed payload; throws when the payload is not in the wire format. */
    public static int schemaId(byte[] payload) {
        if (payload.length < HEADER_LENGTH) {
            throw new SerializationException("not in the Confluent wire format: " + payload.length
                    + " bytes, fewer than the 5-byte header");
        }
        if (payload[0] != MAGIC_BYTE) {
            throw new SerializationException(String.format(
                    "not in the Confluent wire format: first byte is 0x%02x, expected magic byte 0x00", payload[0]));
        }
        return ((payload[1] & 0xff) << 24) | ((payload[2] & 0xff) << 16) | ((payload[3] & 0xff) << 8) | (payload[4] & 0xff);
    }

    /** Writes the 5-byte header. */
    public static void writeHeader(ByteArrayOutputStream out, int schemaId) {
        out.write(MAGIC_BYTE);
        out.write(schemaId >>> 24);
        out.write(schemaId >>> 16);
        out.write(schemaId >>> 8);
        out.write(schemaId);
    }

    /** Header plus the Avro binary of the record, written with the given writer (whose schema has that id). */
    public static byte[] encode(int schemaId, GenericDatumWriter<GenericRecord> writer, GenericRecord record) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        writeHeader(out, schemaId);
        BinaryEncoder encoder = EncoderFactory.get().directBinaryEncoder(out, null);
        try {
            writer.write(record, encoder);
            encoder.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a ByteArrayOutputStream does not fail
        }
        return out.toByteArray();
    }
}
