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
 * what is current, and the registrar ignores versions older than the registered one. Tier zero goes to its database,
 * each reservoir to its own ({@link LakeTiers}); a pointer removed from the lake unregisters its partition (and, in
 * a reservoir, the table and database it leaves empty).
 */
public final class PointerRegistration {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final LakeObjects lake;
    private final PartitionRegistrar registrar;
    private final LakeTiers tiers;

    public PointerRegistration(LakeObjects lake, PartitionRegistrar registrar, LakeTiers tiers) {
        this.lake = lake;
        this.registrar = registrar;
        this.tiers = tiers;
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
        JsonNode document = columnList(lake.read(versionKey + LakeLayout.COLUMNS));
        LakeTiers.Target target = tiers.of(pointer);
        HourPartition partition = pointer.partition();
        return registrar.register(target.database(), partition.eventType(), lake.location(pointer.tablePrefix()),
                partition.date().toString(), String.format("%02d", partition.hour()), version, lake.location(versionKey),
                columns(document.path("columns")),
                target.isReservoir() && document.has("table") ? columns(document.path("table")) : null);
    }

    /**
     * The partition of a pointer that is gone from the lake is unregistered.
     *
     * @return the outcome, or null when the key is not a partition pointer of the layout
     */
    public PartitionRegistrar.Outcome unregister(String key) {
        LakeLayout.PointerKey pointer = LakeLayout.parsePointerKey(key).orElse(null);
        if (pointer == null) {
            return null;
        }
        LakeTiers.Target target = tiers.of(pointer);
        HourPartition partition = pointer.partition();
        return registrar.unregister(target.database(), partition.eventType(), partition.date().toString(),
                String.format("%02d", partition.hour()), target.isReservoir());
    }

    static JsonNode columnList(String json) {
        JsonNode document = JSON.readTree(json);
        if (!"parquet".equals(document.path("format").asString(""))) {
            throw new IllegalArgumentException("not a Parquet column list: " + json);
        }
        return document;
    }

    static List<Catalog.Column> columns(JsonNode list) {
        List<Catalog.Column> columns = new ArrayList<>();
        for (JsonNode column : list) {
            columns.add(new Catalog.Column(column.path("name").asString(), column.path("type").asString()));
        }
        return columns;
    }
}
