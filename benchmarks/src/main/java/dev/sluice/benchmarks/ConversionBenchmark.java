package dev.sluice.benchmarks;

import dev.sluice.gatekeeper.validation.AvroBuffer;
import dev.sluice.gatekeeper.validation.EventConverter;
import dev.sluice.gatekeeper.validation.EventReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import tech.allegro.schema.json2avro.converter.JsonAvroConverter;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.ObjectReadContext;
import tools.jackson.core.json.JsonFactory;

/**
 * The gatekeeper's hot path, raw JSON bytes to validated Avro bytes, for one ~600-byte event on one thread, side by
 * side with Allegro's json2avro converter doing the same conversion and with the floor: Jackson parsing the same
 * bytes plus Avro encoding an already-built record.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgs = {"-Xmx512m", "-XX:+UseParallelGC"})
public class ConversionBenchmark {

    Schema schema;
    byte[] envelope;
    byte[] data;
    EventReader reader;
    EventConverter converter;
    AvroBuffer out;
    EventConverter.Context context;
    JsonAvroConverter allegro;
    JsonFactory jackson;
    GenericRecord built;
    GenericDatumWriter<GenericRecord> writer;
    ByteArrayOutputStream encoded;
    BinaryEncoder encoder;

    @Setup
    public void setUp() throws IOException {
        schema = SampleEvent.schema();
        envelope = SampleEvent.envelopeBytes(1, 1764150000000L);
        data = SampleEvent.data(1, 1764150000000L).getBytes(StandardCharsets.UTF_8);
        reader = new EventReader(1 << 20, 64);
        converter = EventConverter.compile(schema, "created_at", Set.of("type", "schema_version"), false);
        out = new AvroBuffer(1024);
        context = new EventConverter.Context();
        allegro = new JsonAvroConverter();
        jackson = JsonFactory.builder().build();
        writer = new GenericDatumWriter<>(schema);
        encoded = new ByteArrayOutputStream(1024);
        built = new GenericDatumReader<GenericRecord>(schema).read(null,
                DecoderFactory.get().binaryDecoder(allegro.convertToAvro(data, schema), null));
    }

    /** As the gatekeeper does it: one pass for the common shape, the two-pass path otherwise. */
    @Benchmark
    public int sluice() {
        if (reader.convertInOnePass(envelope, (type, buffer) -> {
            buffer.reset();
            return converter;
        }, out, context) == null) {
            reader.envelope(envelope);
            out.reset();
            reader.convert(envelope, converter, out, context);
        }
        return out.size();
    }

    /** The two-pass path alone: envelope scan, then conversion (what an event not shaped type-first costs). */
    @Benchmark
    public int sluiceTwoPass() {
        reader.envelope(envelope);
        out.reset();
        reader.convert(envelope, converter, out, context);
        return out.size();
    }

    @Benchmark
    public byte[] allegro() {
        return allegro.convertToAvro(data, schema);
    }

    /** Parse every token and read every value, then encode the same event from an already-built record. */
    @Benchmark
    public int floor() throws IOException {
        int work = 0;
        try (JsonParser p = jackson.createParser(ObjectReadContext.empty(), envelope)) {
            for (JsonToken t = p.nextToken(); t != null; t = p.nextToken()) {
                switch (t) {
                    case VALUE_STRING -> work += p.getStringLength();
                    case VALUE_NUMBER_INT -> work += (int) p.getLongValue();
                    case VALUE_NUMBER_FLOAT -> work += (int) p.getDoubleValue();
                    default -> work++;
                }
            }
        }
        encoded.reset();
        encoder = EncoderFactory.get().binaryEncoder(encoded, encoder);
        writer.write(built, encoder);
        encoder.flush();
        return work + encoded.size();
    }
}
