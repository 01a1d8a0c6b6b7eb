package dev.sluice.catalog;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.glue.GlueClient;
import software.amazon.awssdk.services.glue.model.AlreadyExistsException;
import software.amazon.awssdk.services.glue.model.EntityNotFoundException;
import software.amazon.awssdk.services.glue.model.PartitionInput;
import software.amazon.awssdk.services.glue.model.SerDeInfo;
import software.amazon.awssdk.services.glue.model.StorageDescriptor;
import software.amazon.awssdk.services.glue.model.TableInput;

/** The AWS Glue Data Catalog through the SDK v2 Glue client. Tables are external Parquet tables (Hive's SerDe). */
public final class GlueCatalog implements Catalog {

    static final String INPUT_FORMAT = "org.apache.hadoop.hive.ql.io.parquet.MapredParquetInputFormat";
    static final String OUTPUT_FORMAT = "org.apache.hadoop.hive.ql.io.parquet.MapredParquetOutputFormat";
    static final String SERDE = "org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe";

    private final GlueClient glue;
    private final String catalogId;

    /** @param catalogId the AWS account of the catalog, or null for the caller's */
    public GlueCatalog(GlueClient glue, String catalogId) {
        this.glue = glue;
        this.catalogId = catalogId;
    }

    @Override
    public void ensureDatabase(String database) {
        try {
            glue.getDatabase(b -> b.catalogId(catalogId).name(database));
        } catch (EntityNotFoundException e) {
            try {
                glue.createDatabase(b -> b.catalogId(catalogId).databaseInput(d -> d.name(database)
                        .description("Sluice lake: " + database)));
            } catch (AlreadyExistsException raced) {
                // another invocation created it
            }
        }
    }

    @Override
    public Optional<Table> table(String database, String name) {
        try {
            var table = glue.getTable(b -> b.catalogId(catalogId).databaseName(database).name(name)).table();
            return Optional.of(new Table(table.name(), table.storageDescriptor().location(),
                    columns(table.storageDescriptor().columns()), table.parameters()));
        } catch (EntityNotFoundException e) {
            return Optional.empty();
        }
    }

    @Override
    public void putTable(String database, Table table, boolean exists) {
        TableInput input = TableInput.builder().name(table.name()).tableType("EXTERNAL_TABLE")
                .parameters(table.parameters())
                .partitionKeys(glueColumns(Table.PARTITION_KEYS))
                .storageDescriptor(storage(table.location(), table.columns())).build();
        if (exists) {
            glue.updateTable(b -> b.catalogId(catalogId).databaseName(database).tableInput(input));
            return;
        }
        try {
            glue.createTable(b -> b.catalogId(catalogId).databaseName(database).tableInput(input));
        } catch (AlreadyExistsException raced) {
            glue.updateTable(b -> b.catalogId(catalogId).databaseName(database).tableInput(input));
        }
    }

    @Override
    public Optional<Partition> partition(String database, String table, List<String> values) {
        try {
            var partition = glue.getPartition(b -> b.catalogId(catalogId).databaseName(database).tableName(table)
                    .partitionValues(values)).partition();
            return Optional.of(new Partition(partition.values(), partition.storageDescriptor().location(),
                    columns(partition.storageDescriptor().columns()), partition.parameters()));
        } catch (EntityNotFoundException e) {
            return Optional.empty();
        }
    }

    @Override
    public void putPartition(String database, String table, Partition partition, boolean exists) {
        PartitionInput input = PartitionInput.builder().values(partition.values()).parameters(partition.parameters())
                .storageDescriptor(storage(partition.location(), partition.columns())).build();
        if (exists) {
            glue.updatePartition(b -> b.catalogId(catalogId).databaseName(database).tableName(table)
                    .partitionValueList(partition.values()).partitionInput(input));
            return;
        }
        try {
            glue.createPartition(b -> b.catalogId(catalogId).databaseName(database).tableName(table).partitionInput(input));
        } catch (AlreadyExistsException raced) {
            glue.updatePartition(b -> b.catalogId(catalogId).databaseName(database).tableName(table)
                    .partitionValueList(partition.values()).partitionInput(input));
        }
    }

    @Override
    public void deletePartition(String database, String table, List<String> values) {
        try {
            glue.deletePartition(b -> b.catalogId(catalogId).databaseName(database).tableName(table)
                    .partitionValues(values));
        } catch (EntityNotFoundException gone) {
            // removed already: a repeated event
        }
    }

    @Override
    public boolean hasPartitions(String database, String table) {
        try {
            return !glue.getPartitions(b -> b.catalogId(catalogId).databaseName(database).tableName(table).maxResults(1))
                    .partitions().isEmpty();
        } catch (EntityNotFoundException gone) {
            return false;
        }
    }

    @Override
    public void deleteTable(String database, String table) {
        try {
            glue.deleteTable(b -> b.catalogId(catalogId).databaseName(database).name(table));
        } catch (EntityNotFoundException gone) {
            // removed already
        }
    }

    @Override
    public List<String> tables(String database) {
        try {
            List<String> names = new java.util.ArrayList<>();
            glue.getTablesPaginator(b -> b.catalogId(catalogId).databaseName(database))
                    .forEach(page -> page.tableList().forEach(table -> names.add(table.name())));
            return names;
        } catch (EntityNotFoundException gone) {
            return List.of();
        }
    }

    @Override
    public void deleteDatabase(String database) {
        try {
            glue.deleteDatabase(b -> b.catalogId(catalogId).name(database));
        } catch (EntityNotFoundException gone) {
            // removed already
        }
    }

    private static StorageDescriptor storage(String location, List<Column> columns) {
        return StorageDescriptor.builder().location(location).columns(glueColumns(columns))
                .inputFormat(INPUT_FORMAT).outputFormat(OUTPUT_FORMAT)
                .serdeInfo(SerDeInfo.builder().serializationLibrary(SERDE).parameters(Map.of("serialization.format", "1"))
                        .build())
                .build();
    }

    private static List<software.amazon.awssdk.services.glue.model.Column> glueColumns(List<Column> columns) {
        return columns.stream().map(c -> software.amazon.awssdk.services.glue.model.Column.builder().name(c.name())
                .type(c.type()).build()).toList();
    }

    private static List<Column> columns(List<software.amazon.awssdk.services.glue.model.Column> columns) {
        return columns.stream().map(c -> new Column(c.name(), c.type())).toList();
    }
}
