package dev.sluice.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.DecoderFactory;
import org.junit.jupiter.api.Test;

/** The benchmark compares like with like: all three paths produce the same record. */
class SameOutputTest {

    @Test
    void sluiceAllegroAndTheFloorEncodeTheSameEvent() throws IOException {
        ConversionBenchmark benchmark = new ConversionBenchmark();
        benchmark.setUp();

        int size = benchmark.sluice();
        byte[] sluice = java.util.Arrays.copyOf(benchmark.out.array(), size);
        byte[] allegro = benchmark.allegro();
        benchmark.floor();
        byte[] floor = benchmark.encoded.toByteArray();

        // Allegro writes the map in its HashMap's order, Sluice in the input's: compare the decoded records
        GenericRecord record = decode(benchmark, sluice);
        assertThat(record).isEqualTo(decode(benchmark, allegro)).isEqualTo(decode(benchmark, floor));
        assertThat(sluice).hasSameSizeAs(allegro);
        assertThat(benchmark.envelope.length).isBetween(550, 700);
        assertThat(record.get("payment_method")).hasToString("CARD");
        assertThat(benchmark.context.eventTimeMillis()).isEqualTo(1764150000000L);
    }

    private static GenericRecord decode(ConversionBenchmark benchmark, byte[] bytes) throws IOException {
        return new GenericDatumReader<GenericRecord>(benchmark.schema).read(null, DecoderFactory.get().binaryDecoder(bytes, null));
    }
}
