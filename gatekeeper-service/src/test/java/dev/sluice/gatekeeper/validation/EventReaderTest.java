package dev.sluice.gatekeeper.validation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.core.privacy.PrivacyField;
import dev.sluice.core.privacy.PrivacySchema;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import org.apache.avro.Conversions;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.DecoderFactory;
import org.junit.jupiter.api.Test;

class EventReaderTest {

    static Schema schema(String name) {
        try (InputStream in = EventReaderTest.class.getResourceAsStream("/schemas/" + name + ".avsc")) {
            return new Schema.Parser().parse(in);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    final EventReader reader = new EventReader(1 << 20, 64);

    EventConverter converter(Schema schema, boolean dropUnknown) {
        String eventTime = PrivacySchema.of(schema).eventTimeField().map(PrivacyField::path).orElse(null);
        return EventConverter.compile(schema, eventTime, Set.of("type", "schema_version"), dropUnknown);
    }

    GenericRecord convert(Schema schema, String json) {
        return convert(schema, json, new EventConverter.Context());
    }

    GenericRecord convert(Schema schema, String json, EventConverter.Context context) {
        byte[] input = json.getBytes(StandardCharsets.UTF_8);
        reader.envelope(input);
        AvroBuffer out = new AvroBuffer(64);
        reader.convert(input, converter(schema, false), out, context);
        try {
            return new GenericDatumReader<GenericRecord>(schema).read(null,
                    DecoderFactory.get().binaryDecoder(out.toByteArray(), null));
        } catch (IOException e) {
            throw new AssertionError("the converter wrote bytes Avro cannot read", e);
        }
    }

    Rejection rejection(Schema schema, String json) {
        byte[] input = json.getBytes(StandardCharsets.UTF_8);
        try {
            reader.envelope(input);
            reader.convert(input, converter(schema, false), new AvroBuffer(64), new EventConverter.Context());
        } catch (Rejection rejection) {
            return rejection;
        }
        throw new AssertionError("accepted: " + json);
    }

    static final String PRODUCT = """
            {"data": {"type": "product_created", "category": "HOME", "id": "p-1", "user_id": "u-1", "title": "Lamp \\u00e9\\ud83d\\udca1",
              "price": 19.9, "listed_on": "2026-11-26", "created_at": "2026-11-26T10:15:30.250Z",
              "attributes": {"color": "red", "material": "glass"}, "tags": ["home", "light"],
              "dimensions": {"height_cm": 40, "width_cm": 20.5}}}""";

    @Test
    void convertsFieldsInAnyOrderWithDefaultsAndLogicalTypes() {
        Schema schema = schema("product_created");
        EventConverter.Context context = new EventConverter.Context();
        GenericRecord record = convert(schema, PRODUCT, context);

        assertThat(record.get("id")).hasToString("p-1");
        assertThat(record.get("title")).hasToString("Lamp é💡");
        BigDecimal price = new Conversions.DecimalConversion().fromBytes((ByteBuffer) record.get("price"),
                schema.getField("price").schema(), LogicalTypes.decimal(10, 2));
        assertThat(price).isEqualByComparingTo("19.90");
        assertThat(record.get("currency")).hasToString("EUR");
        assertThat(record.get("quantity")).isEqualTo(1);
        assertThat(record.get("category")).hasToString("HOME");
        assertThat(record.get("tags").toString()).isEqualTo("[home, light]");
        assertThat(record.get("attributes").toString()).contains("color=red").contains("material=glass");
        assertThat(((GenericRecord) record.get("dimensions")).get("width_cm")).isEqualTo(20.5);
        assertThat(((GenericRecord) record.get("dimensions")).get("weight_kg")).isNull();
        assertThat(record.get("description")).isNull();
        assertThat(record.get("listed_on")).isEqualTo((int) java.time.LocalDate.of(2026, 11, 26).toEpochDay());
        assertThat(record.get("created_at")).isEqualTo(java.time.Instant.parse("2026-11-26T10:15:30.250Z").toEpochMilli());
        assertThat(context.eventTimeMillis()).isEqualTo(java.time.Instant.parse("2026-11-26T10:15:30.250Z").toEpochMilli());
    }

    @Test
    void theOnePassPathGivesTheTwoPassBytesOrStandsAside() {
        Schema schema = schema("product_created");
        EventConverter converter = converter(schema, false);
        EventReader.ConverterChoice choice = (type, out) -> {
            out.reset();
            return converter;
        };
        byte[] typeFirst = PRODUCT.getBytes(StandardCharsets.UTF_8);
        AvroBuffer onePass = new AvroBuffer(16);
        EventConverter.Context context = new EventConverter.Context();

        Envelope envelope = reader.convertInOnePass(typeFirst, choice, onePass, context);

        AvroBuffer twoPass = new AvroBuffer(16);
        reader.convert(typeFirst, converter, twoPass, new EventConverter.Context());
        assertThat(envelope).isEqualTo(new Envelope("product_created", null, "p-1"));
        assertThat(onePass.toByteArray()).isEqualTo(twoPass.toByteArray());
        assertThat(context.eventTimeMillis()).isEqualTo(java.time.Instant.parse("2026-11-26T10:15:30.250Z").toEpochMilli());

        String typeLater = PRODUCT.replace("\"type\": \"product_created\", ", "").replace("\"id\": \"p-1\"", "\"id\": \"p-1\", \"type\": \"product_created\"");
        assertThat(reader.convertInOnePass(typeLater.getBytes(StandardCharsets.UTF_8), choice, new AvroBuffer(16), context)).isNull();
        String versioned = PRODUCT.replace("\"id\": \"p-1\"", "\"id\": \"p-1\", \"schema_version\": 1");
        assertThat(reader.convertInOnePass(versioned.getBytes(StandardCharsets.UTF_8), choice, new AvroBuffer(16), context)).isNull();
        String invalid = PRODUCT.replace("\"HOME\"", "\"GARDEN\"");
        assertThat(reader.convertInOnePass(invalid.getBytes(StandardCharsets.UTF_8), choice, new AvroBuffer(16), context)).isNull();
        assertThat(reader.convertInOnePass((PRODUCT + " x").getBytes(StandardCharsets.UTF_8), choice, new AvroBuffer(16), context)).isNull();
    }

    @Test
    void readsTheEnvelope() {
        Envelope envelope = reader.envelope("{\"data\":{\"x\":[1,{\"type\":\"no\"}],\"schema_version\":\"2\",\"id\":\"e-9\",\"type\":\"message_sent\"}}"
                .getBytes(StandardCharsets.UTF_8));

        assertThat(envelope).isEqualTo(new Envelope("message_sent", 2, "e-9"));
    }

    @Test
    void envelopeProblemsHaveTheirReasons() {
        assertThat(envelopeRejection("{\"data\": ")).isEqualTo(Reason.MALFORMED_JSON);
        assertThat(envelopeRejection("")).isEqualTo(Reason.MALFORMED_JSON);
        assertThat(envelopeRejection("[1, 2]")).isEqualTo(Reason.NOT_AN_OBJECT);
        assertThat(envelopeRejection("\"text\"")).isEqualTo(Reason.NOT_AN_OBJECT);
        assertThat(envelopeRejection("{\"payload\": {}}")).isEqualTo(Reason.MISSING_ENVELOPE);
        assertThat(envelopeRejection("{\"data\": [1]}")).isEqualTo(Reason.MISSING_ENVELOPE);
        assertThat(envelopeRejection("{\"data\": {\"id\": \"x\"}}")).isEqualTo(Reason.MISSING_TYPE);
        assertThat(envelopeRejection("{\"data\": {\"type\": 7}}")).isEqualTo(Reason.MISSING_TYPE);
        assertThat(envelopeRejection("{\"data\": {\"type\": {\"a\": 1}, \"id\": [\"x\"]}}")).isEqualTo(Reason.MISSING_TYPE);
        assertThat(envelopeRejection("{\"data\": {\"type\": \"a\"")).isEqualTo(Reason.MALFORMED_JSON);
        assertThat(envelopeRejection("{\"data\": {\"type\": \"../etc\"}}")).isEqualTo(Reason.UNKNOWN_EVENT_TYPE);
        assertThat(envelopeRejection("{\"data\": {\"type\": \"a\", \"schema_version\": 0}}")).isEqualTo(Reason.UNKNOWN_SCHEMA_VERSION);
        assertThat(envelopeRejection("{\"data\": {\"type\": \"a\"}} trailing")).isEqualTo(Reason.MALFORMED_JSON);
        assertThat(envelopeRejection("{\"data\": {\"type\": \"a\"}, \"data\": {}}")).isEqualTo(Reason.MALFORMED_JSON);
        assertThat(envelopeRejection("{\"data\": {\"type\": \"a\", \"n\": NaN}}")).isEqualTo(Reason.MALFORMED_JSON);
        assertThat(envelopeRejection("[".repeat(100_000))).isEqualTo(Reason.TOO_DEEP);
        assertThat(envelopeRejection("{\"data\": {\"type\": \"a\", \"deep\": " + "[".repeat(65) + "]".repeat(65) + "}}"))
                .isEqualTo(Reason.TOO_DEEP);
        byte[] invalidUtf8 = {'{', '"', 'd', 'a', 't', 'a', '"', ':', '{', '"', 't', 'y', 'p', 'e', '"', ':', '"', (byte) 0xC3, (byte) 0x28, '"', '}', '}'};
        assertThat(rejectionOf(invalidUtf8)).isEqualTo(Reason.MALFORMED_JSON);
        assertThat(rejectionOf(new byte[(1 << 20) + 1])).isEqualTo(Reason.TOO_LARGE);
    }

    private Reason envelopeRejection(String json) {
        return rejectionOf(json.getBytes(StandardCharsets.UTF_8));
    }

    private Reason rejectionOf(byte[] input) {
        try {
            reader.envelope(input);
        } catch (Rejection rejection) {
            return rejection.reason();
        }
        throw new AssertionError("accepted");
    }

    @Test
    void fieldProblemsHaveReasonsAndPaths() {
        Schema schema = schema("product_created");
        String base = PRODUCT;

        Rejection missing = rejection(schema, base.replace("\"title\": \"Lamp \\u00e9\\ud83d\\udca1\",", ""));
        assertThat(missing.reason()).isEqualTo(Reason.MISSING_FIELD);
        assertThat(missing.path()).isEqualTo("$.data.title");

        Rejection wrongType = rejection(schema, base.replace("\"quantity\": 1", "").replace("\"tags\": [\"home\", \"light\"]", "\"tags\": [\"home\", 7]"));
        assertThat(wrongType.reason()).isEqualTo(Reason.WRONG_TYPE);
        assertThat(wrongType.path()).isEqualTo("$.data.tags[1]");

        Rejection unknown = rejection(schema, base.replace("\"id\": \"p-1\"", "\"id\": \"p-1\", \"colour\": \"red\""));
        assertThat(unknown.reason()).isEqualTo(Reason.UNKNOWN_FIELD);
        assertThat(unknown.path()).isEqualTo("$.data.colour");

        Rejection nested = rejection(schema, base.replace("\"width_cm\": 20.5", "\"width_cm\": \"wide\""));
        assertThat(nested.reason()).isEqualTo(Reason.WRONG_TYPE);
        assertThat(nested.path()).isEqualTo("$.data.dimensions.width_cm");

        assertThat(rejection(schema, base.replace("\"HOME\"", "\"GARDEN\"")).reason()).isEqualTo(Reason.INVALID_VALUE);
        assertThat(rejection(schema, base.replace("19.9", "19.999")).reason()).isEqualTo(Reason.INVALID_VALUE);
        assertThat(rejection(schema, base.replace("\"2026-11-26T10:15:30.250Z\"", "\"yesterday\"")).reason())
                .isEqualTo(Reason.INVALID_VALUE);
        Rejection range = rejection(schema, base.replace("\"category\": \"HOME\"", "\"category\": \"HOME\", \"quantity\": 99999999999"));
        assertThat(range.reason()).isEqualTo(Reason.INVALID_VALUE);
        assertThat(range.path()).isEqualTo("$.data.quantity");
        assertThat(rejection(schema, base.replace("\"id\": \"p-1\"", "\"id\": \"p-1\", \"id\": \"p-2\"")).reason())
                .isEqualTo(Reason.MALFORMED_JSON);
        assertThat(rejection(schema, base.replace("\"attributes\": {", "\"attributes\": {\"color\": \"x\", ")).reason())
                .isEqualTo(Reason.MALFORMED_JSON);
        assertThat(rejection(schema, base.replace("\"height_cm\": 40", "\"height_cm\": 1e400")).reason())
                .isEqualTo(Reason.INVALID_VALUE);
        assertThat(rejection(schema, base.replace("\"user_id\": \"u-1\"", "\"user_id\": null")).reason())
                .isEqualTo(Reason.WRONG_TYPE);
    }

    @Test
    void uuidAndUnionsAndDroppedUnknownFields() {
        Schema schema = schema("message_sent");
        String json = """
                {"data": {"type": "message_sent", "id": "m-1", "sender_id": "u-1", "receiver_id": "u-2",
                 "conversation_id": "0b7e6d8e-3c8f-4f3c-9a57-5a0f6c1b2d3e", "message": "hi",
                 "attachments": [{"kind": "IMAGE", "size_bytes": 1024}], "client": {"platform": "ios", "app_version": "7.1"},
                 "sent_at": 1764150000000, "mood": "happy"}}""";
        byte[] input = json.getBytes(StandardCharsets.UTF_8);
        EventConverter.Context context = new EventConverter.Context();
        AvroBuffer out = new AvroBuffer(16);
        reader.convert(input, converter(schema, true), out, context);
        assertThat(context.droppedUnknownFields()).isEqualTo(1);
        assertThat(context.eventTimeMillis()).isEqualTo(1764150000000L);

        assertThat(rejection(schema, json.replace("0b7e6d8e-3c8f-4f3c-9a57-5a0f6c1b2d3e", "not-a-uuid")).reason())
                .isEqualTo(Reason.INVALID_VALUE);
        Rejection inUnion = rejection(schema, json.replace(", \"mood\": \"happy\"", "").replace("\"app_version\": \"7.1\"", "\"app_version\": 7"));
        assertThat(inUnion.path()).isEqualTo("$.data.client.app_version");
        GenericRecord record = convert(schema, json.replace(", \"mood\": \"happy\"", "").replace("\"client\": {\"platform\": \"ios\", \"app_version\": \"7.1\"}", "\"client\": null"));
        assertThat(record.get("client")).isNull();
    }
}
