package dev.sluice.catalog;

import dev.sluice.core.lake.HourPartition;
import dev.sluice.core.lake.LakeLayout;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The registration of one partition from its pointer object, shared by the Lambda handler and the local mode: the
 * pointer is read when the event is handled (not trusted from the event), so a late or repeated event registers
 * what is current, and the registrar ignores versions older than the registered one.
 */
public final class PointerRegistration {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final LakeObjects lake;
    private final PartitionRegistrar registrar;
    private final String database;

    /** @param database the catalog database of this tier */
    public PointerRegistration(LakeObjects lake, PartitionRegistrar registrar, String database) {
        this.lake = lake;
        this.registrar = registrar;
        this.database = database;
    }

    /** @return the outcome, or null when the key is not a partition pointer of the layout */
    public PartitionRegistrar.Outcome register(String key) {
        LakeLayout.PointerKey pointer = LakeLayout.parsePointerKey(key).orElse(null);
        if (pointer == null) {
            return null;
        }
        String version;
        try {
            version = LakeLayout.versionInPointer(lake.read(key));
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException(key + ": " + e.getMessage(), e);
        }
        String versionKey = pointer.partitionPrefix() + version + "/";
        List<Catalog.Column> columns = columns(lake.read(versionKey + LakeLayout.COLUMNS));
        HourPartition partition = pointer.partition();
        return registrar.register(database, partition.eventType(), lake.location(pointer.tablePrefix()),
                partition.date().toString(), String.format("%02d", partition.hour()), version, lake.location(versionKey),
                columns);
    }

    static List<Catalog.Column> columns(String json) {
        JsonNode document = JSON.readTree(json);
        if (!"parquet".equals(document.path("format").asString(""))) {
            throw new IllegalArgumentException("not a Parquet column list: " + json);
        }
        List<Catalog.Column> columns = new ArrayList<>();
        for (JsonNode column : document.path("columns")) {
            columns.add(new Catalog.Column(column.path("name").asString(), column.path("type").asString()));
        }
        return columns;
    }
}
