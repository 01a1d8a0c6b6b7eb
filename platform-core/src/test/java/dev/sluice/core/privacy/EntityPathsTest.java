package dev.sluice.core.privacy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.junit.jupiter.api.Test;

class EntityPathsTest {

    static final Schema ORDER = new Schema.Parser().parse("""
            {"type": "record", "name": "OrderPlaced", "fields": [
              {"name": "id", "type": "string"},
              {"name": "buyer_id", "type": "string", "sluice.entity": "user/id"},
              {"name": "shipping", "type": ["null", {"type": "record", "name": "Shipping", "fields": [
                 {"name": "courier_id", "type": ["null", "long"], "sluice.entity": "courier/id"}]}], "default": null},
              {"name": "items", "type": {"type": "array", "items": {"type": "record", "name": "Item", "fields": [
                 {"name": "product_id", "type": "string", "sluice.entity": "product/id", "sluice.linked_to": "seller_id"},
                 {"name": "seller_id", "type": "string", "sluice.entity": "user/id"}]}}},
              {"name": "watchers", "type": {"type": "array", "items": "string"}, "sluice.entity": "user/id"},
              {"name": "referrers", "type": {"type": "map", "values": "string"}, "sluice.entity": "user/id"},
              {"name": "note", "type": "string"}
            ]}""");

    static final EntityPaths PATHS = EntityPaths.of(PrivacySchema.of(ORDER));

    static final Set<EntityRef> MENTIONS = Set.of(user("luke"), new EntityRef("courier/id", "7"),
            new EntityRef("product/id", "p1"), new EntityRef("product/id", "p2"), user("han"), user("leia"),
            user("chewie"), user("lando"));

    static final Set<EntityPaths.Link> LINKS = Set.of(
            new EntityPaths.Link(new EntityRef("product/id", "p1"), user("han")),
            new EntityPaths.Link(new EntityRef("product/id", "p2"), user("leia")));

    @Test
    void findsEveryEntityInNestedRecordsArraysMapsAndUnions() {
        GenericRecord order = avroOrder();
        assertThat(PATHS.mentions(order)).containsExactlyInAnyOrderElementsOf(MENTIONS);
        assertThat(PATHS.entityTypes()).containsExactly("user/id", "courier/id", "product/id");
        assertThat(PATHS.mentionsAny(order, Set.of(user("lando")))).isTrue();
        assertThat(PATHS.mentionsAny(order, Set.of(user("p1"), user("vader")))).isFalse();
    }

    @Test
    void pairsLinkedFieldsWithinEachRecordOnly() {
        assertThat(PATHS.links(avroOrder())).containsExactlyInAnyOrderElementsOf(LINKS);
    }

    @Test
    void readsTheJsonFormOfARowTheSameWay() throws Exception {
        JsonNode row = new ObjectMapper().readTree("""
                {"id": "o1", "buyer_id": "luke", "shipping": {"courier_id": 7},
                 "items": [{"product_id": "p1", "seller_id": "han"}, {"product_id": "p2", "seller_id": "leia"}],
                 "watchers": ["chewie"], "referrers": {"campaign": "lando"}, "note": "luke"}""");
        assertThat(PATHS.mentions(row)).containsExactlyInAnyOrderElementsOf(MENTIONS);
        assertThat(PATHS.links(row)).containsExactlyInAnyOrderElementsOf(LINKS);
    }

    @Test
    void nullsAndEmptyCollectionsMentionNothing() throws Exception {
        JsonNode row = new ObjectMapper().readTree("""
                {"id": "o2", "buyer_id": null, "shipping": null, "items": [], "watchers": null, "referrers": {}}""");
        assertThat(PATHS.mentions(row)).isEmpty();
        assertThat(PATHS.links(row)).isEmpty();
    }

    @Test
    void unitesTheFieldsOfEveryVersion() {
        Schema v2 = new Schema.Parser().parse("""
                {"type": "record", "name": "OrderPlaced", "fields": [
                  {"name": "id", "type": "string"},
                  {"name": "gift_for", "type": ["null", "string"], "default": null, "sluice.entity": "user/id"}]}""");
        EntityPaths both = EntityPaths.of(List.of(PrivacySchema.of(ORDER), PrivacySchema.of(v2)));
        GenericRecord gift = new GenericData.Record(v2);
        gift.put("id", "o3");
        gift.put("gift_for", "rey");
        assertThat(both.mentions(gift)).containsExactly(user("rey"));
        assertThat(PATHS.mentions(gift)).isEmpty();
    }

    static EntityRef user(String id) {
        return new EntityRef("user/id", id);
    }

    static GenericRecord avroOrder() {
        Schema shippingSchema = ORDER.getField("shipping").schema().getTypes().get(1);
        Schema itemSchema = ORDER.getField("items").schema().getElementType();
        GenericRecord shipping = new GenericData.Record(shippingSchema);
        shipping.put("courier_id", 7L);
        GenericRecord p1 = new GenericData.Record(itemSchema);
        p1.put("product_id", "p1");
        p1.put("seller_id", "han");
        GenericRecord p2 = new GenericData.Record(itemSchema);
        p2.put("product_id", "p2");
        p2.put("seller_id", "leia");
        GenericRecord order = new GenericData.Record(ORDER);
        order.put("id", "o1");
        order.put("buyer_id", new org.apache.avro.util.Utf8("luke"));
        order.put("shipping", shipping);
        order.put("items", List.of(p1, p2));
        order.put("watchers", List.of("chewie"));
        order.put("referrers", Map.of("campaign", "lando"));
        order.put("note", "luke");
        return order;
    }
}
