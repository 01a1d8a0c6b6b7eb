package dev.sluice.privacy;

import dev.sluice.core.privacy.EntityRef;
import dev.sluice.core.registry.SchemaRegistryClient;
import dev.sluice.core.topics.Topics;
import dev.sluice.infra.LocalInfra;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.avro.Schema;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The talk's story, with ids and event types of a test's own: luke and han exchange messages, luke creates products
 * whose prices change, han has his own. The demo's schemas (message_sent, account_updated, product_created) and a
 * price change that names only the product; raw JSON events as the gatekeeper takes them.
 */
final class TalkStory {

    static final Path DEMO = Path.of("../demo").toAbsolutePath().normalize();
    static final LocalDate DAY = LocalDate.now(ZoneOffset.UTC).minusDays(1);
    static final JsonMapper JSON = JsonMapper.builder().build();
    static final String PRICE_CHANGED = """
            {"type": "record", "name": "ProductPriceChanged", "namespace": "com.example.events",
             "doc": "A seller changed the price of a product.",
             "fields": [
               {"name": "id", "type": "string"},
               {"name": "product_id", "type": "string", "doc": "The product", "sluice.entity": "product/id"},
               {"name": "price_cents", "type": "long", "doc": "The new price in cents"},
               {"name": "changed_at", "type": {"type": "long", "logicalType": "timestamp-millis"},
                "sluice.event_time": true}
             ]}""";

    /** Every event sent: its type (short name), id, hour, and the entities it mentions. */
    record Sent(String type, String id, Instant hour, Set<EntityRef> mentions) {
    }

    final String luke;
    final String han;
    final String leia;
    final String pLuke1;
    final String pLuke2;
    final String pHan1;
    /** Short name (message_sent) → this test's event type. */
    final Map<String, String> types = new LinkedHashMap<>();
    final List<Sent> sent = new ArrayList<>();

    /** Registers the story's types under names of the test bed's own. */
    TalkStory(PrivacyTestbed bed, LocalInfra infra) throws IOException {
        luke = bed.id("luke");
        han = bed.id("han");
        leia = bed.id("leia");
        pLuke1 = bed.id("p-luke-1");
        pLuke2 = bed.id("p-luke-2");
        pHan1 = bed.id("p-han-1");
        SchemaRegistryClient registry = SchemaRegistryClient.builder(infra.schemaRegistryUrl())
                .userInfo(infra.schemaRegistryUserInfo()).build();
        for (String type : List.of("message_sent", "account_updated", "product_created")) {
            types.put(type, type + "_" + bed.name);
            registry.register(Topics.eventSubject(types.get(type)),
                    new Schema.Parser().parse(DEMO.resolve("schemas/" + type + ".avsc").toFile()));
        }
        types.put("product_price_changed", "product_price_changed_" + bed.name);
        registry.register(Topics.eventSubject(types.get("product_price_changed")), new Schema.Parser().parse(PRICE_CHANGED));
    }

    /** The hour's partition key of a sent event ({@code type/yyyy-MM-dd/HH}). */
    String partition(Sent event) {
        return types.get(event.type()) + "/" + DAY + "/"
                + String.format("%02d", event.hour().atOffset(ZoneOffset.UTC).getHour());
    }

    ObjectNode template(String type, String id, Instant hour, Set<EntityRef> mentions) throws IOException {
        String line = Files.readAllLines(DEMO.resolve("events.jsonl")).stream()
                .filter(l -> l.contains("\"type\": \"" + type + "\"")).findFirst().orElseThrow();
        ObjectNode event = (ObjectNode) JSON.readTree(line);
        ((ObjectNode) event.get("data")).put("type", types.get(type)).put("id", id);
        sent.add(new Sent(type, id, hour, mentions));
        return (ObjectNode) event.get("data");
    }

    ObjectNode account(String id, String user, Instant hour) throws IOException {
        ObjectNode data = template("account_updated", id, hour, Set.of(user(user)));
        data.put("user_id", user).put("email", user + "@example.com").put("updated_at", hour.plusSeconds(60).toString());
        return wrap(data);
    }

    ObjectNode product(String id, String user, Instant hour) throws IOException {
        ObjectNode data = template("product_created", id, hour, Set.of(user(user), new EntityRef("product/id", id)));
        data.put("user_id", user).put("title", "product " + id).put("created_at", hour.plusSeconds(120).toString());
        return wrap(data);
    }

    ObjectNode message(String id, String sender, String receiver, String conversation, Instant hour) throws IOException {
        ObjectNode data = template("message_sent", id, hour, Set.of(user(sender), user(receiver),
                new EntityRef("conversation/id", conversation)));
        data.put("sender_id", sender).put("receiver_id", receiver).put("conversation_id", conversation)
                .put("message", "hello from " + sender).put("sent_at", hour.plusSeconds(180).toString());
        return wrap(data);
    }

    ObjectNode price(String id, String product, Instant hour) {
        ObjectNode data = JSON.createObjectNode().put("type", types.get("product_price_changed")).put("id", id)
                .put("product_id", product).put("price_cents", 1999).put("changed_at", hour.plusSeconds(240).toString());
        sent.add(new Sent("product_price_changed", id, hour, Set.of(new EntityRef("product/id", product))));
        return wrap(data);
    }

    static ObjectNode wrap(ObjectNode data) {
        ObjectNode event = JSON.createObjectNode();
        event.set("data", data);
        return event;
    }

    static EntityRef user(String id) {
        return new EntityRef("user/id", id);
    }

}
