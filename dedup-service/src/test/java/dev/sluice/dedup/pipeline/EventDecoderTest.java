package dev.sluice.dedup.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.junit.jupiter.api.Test;

class EventDecoderTest {

    static final Schema NESTED = new Schema.Parser().parse("""
            {"type": "record", "name": "Order", "fields": [
              {"name": "note", "type": "string"},
              {"name": "id", "type": "string"},
              {"name": "items", "type": {"type": "array", "items": "long"}},
              {"name": "meta", "type": ["null", {"type": "record", "name": "Meta", "fields": [
                 {"name": "source", "type": "string"},
                 {"name": "at", "type": {"type": "long", "logicalType": "timestamp-micros"}, "sluice.event_time": true},
                 {"name": "tags", "type": {"type": "map", "values": "string"}}]}], "default": null},
              {"name": "tail", "type": "string"}]}""");

    @Test
    void theProjectionKeepsTheIdAndTheEventTimePathAndReadsThemFromTheFullPayload() throws IOException {
        Schema projection = EventDecoder.projection(NESTED);
        assertThat(projection.getFields()).extracting(Schema.Field::name).containsExactly("id", "meta");
        Schema meta = projection.getField("meta").schema().getTypes().get(1);
        assertThat(meta.getFields()).extracting(Schema.Field::name).containsExactly("at");

        GenericRecord full = new GenericData.Record(NESTED);
        full.put("note", "n");
        full.put("id", "o-1");
        full.put("items", java.util.List.of(1L, 2L));
        GenericRecord metaRecord = new GenericData.Record(NESTED.getField("meta").schema().getTypes().get(1));
        metaRecord.put("source", "app");
        metaRecord.put("at", 1_700_000_000_123_456L);
        metaRecord.put("tags", java.util.Map.of("a", "b"));
        full.put("meta", metaRecord);
        full.put("tail", "t");
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(bytes, null);
        new GenericDatumWriter<GenericRecord>(NESTED).write(full, encoder);
        encoder.flush();

        GenericRecord read = new GenericDatumReader<GenericRecord>(NESTED, projection)
                .read(null, DecoderFactory.get().binaryDecoder(bytes.toByteArray(), null));
        assertThat(read.get("id")).hasToString("o-1");
        assertThat(((GenericRecord) read.get("meta")).get("at")).isEqualTo(1_700_000_000_123_456L);
    }

    @Test
    void withoutAnEventTimeFieldOnlyTheIdIsRead() {
        Schema plain = new Schema.Parser().parse("""
                {"type": "record", "name": "Ping", "fields": [{"name": "id", "type": "string"}, {"name": "n", "type": "int"}]}""");
        assertThat(EventDecoder.projection(plain).getFields()).extracting(Schema.Field::name).containsExactly("id");
    }
}
