package dev.sluice.catalog;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import tools.jackson.databind.json.JsonMapper;

/**
 * The catalog model of {@link Catalog} in JSON files, for running without AWS: {@code <dir>/<database>/<table>.json}
 * holds the table and its partitions ({@code {"table": {...}, "partitions": {"<date>/<hour>": {...}}}}), each file
 * replaced atomically (written beside it, then renamed over it). One writer at a time (the local mode's one
 * consumer); readers always see a whole file.
 */
public final class FileCatalog implements Catalog {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final Path directory;

    public FileCatalog(Path directory) {
        this.directory = directory;
    }

    /** The document of one table. */
    public record TableFile(Table table, Map<String, Partition> partitions) {
    }

    @Override
    public void ensureDatabase(String database) {
        try {
            Files.createDirectories(directory.resolve(database));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public Optional<Table> table(String database, String name) {
        return read(database, name).map(TableFile::table);
    }

    @Override
    public void putTable(String database, Table table, boolean exists) {
        Map<String, Partition> partitions = read(database, table.name()).map(TableFile::partitions).orElse(Map.of());
        write(database, new TableFile(table, partitions));
    }

    @Override
    public Optional<Partition> partition(String database, String table, List<String> values) {
        return read(database, table).map(file -> file.partitions().get(String.join("/", values)));
    }

    @Override
    public void putPartition(String database, String table, Partition partition, boolean exists) {
        TableFile file = read(database, table).orElseThrow(() -> new IllegalStateException("no table " + database + "."
                + table));
        Map<String, Partition> partitions = new LinkedHashMap<>(file.partitions());
        partitions.put(String.join("/", partition.values()), partition);
        write(database, new TableFile(file.table(), partitions));
    }

    @Override
    public void deletePartition(String database, String table, List<String> values) {
        read(database, table).ifPresent(file -> {
            Map<String, Partition> partitions = new LinkedHashMap<>(file.partitions());
            if (partitions.remove(String.join("/", values)) != null) {
                write(database, new TableFile(file.table(), partitions));
            }
        });
    }

    @Override
    public boolean hasPartitions(String database, String table) {
        return read(database, table).map(file -> !file.partitions().isEmpty()).orElse(false);
    }

    @Override
    public void deleteTable(String database, String table) {
        try {
            Files.deleteIfExists(file(database, table));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public List<String> tables(String database) {
        return tableFiles(database).stream().map(file -> file.table().name()).toList();
    }

    @Override
    public void deleteDatabase(String database) {
        Path db = directory.resolve(database);
        try {
            if (Files.isDirectory(db)) {
                try (var leftovers = Files.list(db)) { // temporary files of writes that died
                    for (Path file : leftovers.toList()) {
                        Files.delete(file);
                    }
                }
                Files.delete(db);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every table of a database, with its partitions. */
    public List<TableFile> tableFiles(String database) {
        List<TableFile> tables = new ArrayList<>();
        Path db = directory.resolve(database);
        if (!Files.isDirectory(db)) {
            return tables;
        }
        try (var files = Files.list(db)) {
            for (Path file : files.filter(f -> f.getFileName().toString().endsWith(".json"))
                    .filter(f -> !f.getFileName().toString().startsWith(".")).sorted().toList()) {
                tables.add(JSON.readValue(file.toFile(), TableFile.class));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return tables;
    }

    public List<String> databases() {
        if (!Files.isDirectory(directory)) {
            return List.of();
        }
        try (var dirs = Files.list(directory)) {
            return dirs.filter(Files::isDirectory).map(d -> d.getFileName().toString()).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private Optional<TableFile> read(String database, String table) {
        Path file = file(database, table);
        return Files.exists(file) ? Optional.of(JSON.readValue(file.toFile(), TableFile.class)) : Optional.empty();
    }

    private void write(String database, TableFile table) {
        Path file = file(database, table.table().name());
        try {
            Files.createDirectories(file.getParent());
            Path temporary = file.resolveSibling("." + file.getFileName() + ".tmp");
            JSON.writerWithDefaultPrettyPrinter().writeValue(temporary.toFile(), table);
            Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private Path file(String database, String table) {
        if (!database.matches("[A-Za-z0-9_.-]+") || !table.matches("[A-Za-z0-9_.-]+")) {
            throw new IllegalArgumentException("not a database or table name: " + database + "." + table);
        }
        return directory.resolve(database).resolve(table + ".json");
    }
}
