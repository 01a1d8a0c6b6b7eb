package dev.sluice.core.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;

class AvroWireFormatTest {

    private final Schema schema = new Schema.Parser().parse(
            "{\"type\":\"record\",\"name\":\"E\",\"fields\":[{\"name\":\"id\",\"type\":\"string\"}]}");

    @Test
    void framesTheAvroBinaryWithMagicByteAndBigEndianId() {
        GenericRecord record = new GenericData.Record(schema);
        record.put("id", "ab");

        byte[] bytes = AvroWireFormat.encode(0x01020304, new GenericDatumWriter<>(schema), record);

        // magic, id 1.2.3.4, then Avro: string length 2 as zig-zag varint (4), 'a', 'b'
        assertThat(bytes).containsExactly(0, 1, 2, 3, 4, 4, 'a', 'b');
        assertThat(AvroWireFormat.schemaId(bytes)).isEqualTo(0x01020304);
    }

    @Test
    void refusesPayloadsNotInTheWireFormat() {
        assertThatThrownBy(() -> AvroWireFormat.schemaId(new byte[] {0, 1}))
                .isInstanceOf(SerializationException.class).hasMessageContaining("5-byte header");
        assertThatThrownBy(() -> AvroWireFormat.schemaId(new byte[] {'{', 0, 0, 0, 1}))
                .isInstanceOf(SerializationException.class).hasMessageContaining("0x7b");
    }
}
