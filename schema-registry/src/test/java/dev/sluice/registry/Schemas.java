package dev.sluice.registry;

/** Schemas the tests register. */
final class Schemas {

    private Schemas() {
    }

    static String record(String name, String fields) {
        return "{\"type\":\"record\",\"name\":\"" + name + "\",\"namespace\":\"test\",\"fields\":[" + fields + "]}";
    }

    /** The talk's event, annotated as DESIGN.md shows it. */
    static final String PRODUCT_CREATED = """
            {"type": "record", "name": "ProductCreated", "namespace": "com.example.events",
             "fields": [
               {"name": "id", "type": "string", "doc": "Id of the product",
                "sluice.entity": "product/id", "sluice.linked_to": "user_id"},
               {"name": "user_id", "type": "string", "doc": "Id of the owner", "sluice.entity": "user/id",
                "sluice.tags": ["PII"]},
               {"name": "title", "type": "string"},
               {"name": "created_at", "type": {"type": "long", "logicalType": "timestamp-millis"}, "sluice.event_time": true}
             ]}""";

    /** The same event as a team might first write it, with no privacy annotation. */
    static final String PRODUCT_CREATED_BARE = """
            {"type": "record", "name": "ProductCreated", "namespace": "com.example.events",
             "fields": [
               {"name": "id", "type": "string", "doc": "Id of the product"},
               {"name": "user_id", "type": "string", "doc": "Id of the owner"},
               {"name": "title", "type": "string"},
               {"name": "created_at", "type": {"type": "long", "logicalType": "timestamp-millis"}}
             ]}""";
}
