package dev.sluice.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.glue.GlueClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Glue cannot run here: the SDK v2 Glue client talks to an HTTP stand-in that speaks Glue's JSON protocol
 * ({@code X-Amz-Target: AWSGlue.<Operation>}), keeps what was created, and records every request, so the tests check
 * the exact operations and bodies the registration sends — not that Glue itself accepts them.
 */
class GlueCatalogAgainstHttpStandInTest {

    static final JsonMapper JSON = JsonMapper.builder().build();
    static final List<Catalog.Column> V1 = List.of(new Catalog.Column("id", "string"),
            new Catalog.Column("at", "timestamp"));
    static final List<Catalog.Column> V2 = List.of(new Catalog.Column("id", "string"),
            new Catalog.Column("at", "timestamp"), new Catalog.Column("device", "struct<os:string>"));

    HttpServer standIn;
    final List<String> operations = new ArrayList<>();
    final Map<String, JsonNode> bodies = new HashMap<>();
    final Map<String, JsonNode> databases = new HashMap<>();
    final Map<String, JsonNode> tables = new HashMap<>();
    final Map<String, JsonNode> partitions = new HashMap<>();
    GlueClient glue;
    PartitionRegistrar registrar;

    @BeforeEach
    void start() throws IOException {
        standIn = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        standIn.createContext("/", this::handle);
        standIn.start();
        glue = GlueClient.builder().endpointOverride(URI.create("http://127.0.0.1:" + standIn.getAddress().getPort()))
                .region(Region.US_EAST_1).httpClientBuilder(UrlConnectionHttpClient.builder())
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("k", "s"))).build();
        registrar = new PartitionRegistrar(new GlueCatalog(glue, null));
    }

    @AfterEach
    void stop() {
        glue.close();
        standIn.stop(0);
    }

    @Test
    void aFirstPartitionCreatesTheDatabaseTheParquetTableAndThePartition() {
        PartitionRegistrar.Outcome outcome = register("v=20261126T100000000Z", V1);

        assertThat(outcome).isEqualTo(PartitionRegistrar.Outcome.CREATED);
        assertThat(operations).containsExactly("GetDatabase", "CreateDatabase", "GetTable", "CreateTable", "GetPartition",
                "CreatePartition");
        assertThat(bodies.get("CreateDatabase").at("/DatabaseInput/Name").asString()).isEqualTo("sluice_tier0");
        JsonNode table = bodies.get("CreateTable");
        assertThat(table.at("/DatabaseName").asString()).isEqualTo("sluice_tier0");
        assertThat(table.at("/TableInput/Name").asString()).isEqualTo("page_viewed");
        assertThat(table.at("/TableInput/TableType").asString()).isEqualTo("EXTERNAL_TABLE");
        assertThat(table.at("/TableInput/PartitionKeys").toString())
                .isEqualTo("[{\"Name\":\"date\",\"Type\":\"string\"},{\"Name\":\"hour\",\"Type\":\"string\"}]");
        assertThat(table.at("/TableInput/StorageDescriptor/Location").asString()).isEqualTo("s3://lake/tier0/events/page_viewed/");
        assertThat(table.at("/TableInput/StorageDescriptor/Columns").toString())
                .isEqualTo("[{\"Name\":\"id\",\"Type\":\"string\"},{\"Name\":\"at\",\"Type\":\"timestamp\"}]");
        assertThat(table.at("/TableInput/StorageDescriptor/InputFormat").asString()).isEqualTo(GlueCatalog.INPUT_FORMAT);
        assertThat(table.at("/TableInput/StorageDescriptor/OutputFormat").asString()).isEqualTo(GlueCatalog.OUTPUT_FORMAT);
        assertThat(table.at("/TableInput/StorageDescriptor/SerdeInfo/SerializationLibrary").asString())
                .isEqualTo(GlueCatalog.SERDE);
        JsonNode partition = bodies.get("CreatePartition");
        assertThat(partition.at("/TableName").asString()).isEqualTo("page_viewed");
        assertThat(partition.at("/PartitionInput/Values").toString()).isEqualTo("[\"2026-11-20\",\"13\"]");
        assertThat(partition.at("/PartitionInput/StorageDescriptor/Location").asString())
                .isEqualTo("s3://lake/tier0/events/page_viewed/date=2026-11-20/hour=13/v=20261126T100000000Z/");
        assertThat(partition.at("/PartitionInput/Parameters/sluice.version").asString()).isEqualTo("v=20261126T100000000Z");
    }

    @Test
    void aRepeatedOrOlderEventChangesNothingAndANewerVersionWithANewColumnUpdatesTableAndPartition() {
        register("v=20261126T110000000Z", V1);
        operations.clear();

        assertThat(register("v=20261126T110000000Z", V1)).isEqualTo(PartitionRegistrar.Outcome.UNCHANGED_NOT_NEWER);
        assertThat(register("v=20261126T100000000Z", V1)).isEqualTo(PartitionRegistrar.Outcome.UNCHANGED_NOT_NEWER);
        assertThat(operations).as("reads only").containsExactly("GetDatabase", "GetTable", "GetPartition",
                "GetDatabase", "GetTable", "GetPartition");
        operations.clear();

        assertThat(register("v=20261126T120000000Z", V2)).isEqualTo(PartitionRegistrar.Outcome.UPDATED);
        assertThat(operations).containsExactly("GetDatabase", "GetTable", "UpdateTable", "GetPartition", "UpdatePartition");
        assertThat(bodies.get("UpdateTable").at("/TableInput/StorageDescriptor/Columns").toString()).isEqualTo(
                "[{\"Name\":\"id\",\"Type\":\"string\"},{\"Name\":\"at\",\"Type\":\"timestamp\"},"
                        + "{\"Name\":\"device\",\"Type\":\"struct<os:string>\"}]");
        JsonNode update = bodies.get("UpdatePartition");
        assertThat(update.at("/PartitionValueList").toString()).isEqualTo("[\"2026-11-20\",\"13\"]");
        assertThat(update.at("/PartitionInput/StorageDescriptor/Location").asString()).endsWith("/v=20261126T120000000Z/");
    }

    @Test
    void aReservoirTableTakesItsColumnsFromTheNewestVersionAndGoesWithItsDatabaseWhenItsLastPartitionIsRemoved() {
        List<Catalog.Column> dropped = List.of(new Catalog.Column("page", "string"));
        List<Catalog.Column> hashed = List.of(new Catalog.Column("page", "string"), new Catalog.Column("user_id", "string"));
        registrar.register("sluice_mkt", "page_viewed", "s3://lake/tier1/mkt/events/page_viewed/", "2026-11-20", "13",
                "v=run1", "s3://lake/tier1/mkt/events/page_viewed/date=2026-11-20/hour=13/v=run1/", dropped, dropped);
        registrar.register("sluice_mkt", "page_viewed", "s3://lake/tier1/mkt/events/page_viewed/", "2026-11-20", "13",
                "v=run2", "s3://lake/tier1/mkt/events/page_viewed/date=2026-11-20/hour=13/v=run2/", hashed, hashed);
        assertThat(bodies.get("UpdateTable").at("/TableInput/StorageDescriptor/Columns").toString()).isEqualTo(
                "[{\"Name\":\"page\",\"Type\":\"string\"},{\"Name\":\"user_id\",\"Type\":\"string\"}]");
        assertThat(bodies.get("UpdateTable").at("/TableInput/Parameters/sluice.table.version").asString()).isEqualTo("v=run2");
        operations.clear();

        assertThat(registrar.unregister("sluice_mkt", "page_viewed", "2026-11-20", "13", true))
                .isEqualTo(PartitionRegistrar.Outcome.REMOVED);
        assertThat(operations).containsExactly("GetPartition", "DeletePartition", "GetPartitions", "DeleteTable", "GetTables",
                "DeleteDatabase");
        assertThat(bodies.get("DeletePartition").at("/PartitionValues").toString()).isEqualTo("[\"2026-11-20\",\"13\"]");
        assertThat(bodies.get("DeleteTable").at("/Name").asString()).isEqualTo("page_viewed");
        assertThat(bodies.get("DeleteDatabase").at("/Name").asString()).isEqualTo("sluice_mkt");
        assertThat(databases).isEmpty();
    }

    PartitionRegistrar.Outcome register(String version, List<Catalog.Column> columns) {
        return registrar.register("sluice_tier0", "page_viewed", "s3://lake/tier0/events/page_viewed/", "2026-11-20", "13",
                version, "s3://lake/tier0/events/page_viewed/date=2026-11-20/hour=13/" + version + "/", columns);
    }

    /** A Glue that keeps databases, tables and partitions in maps; enough of the JSON protocol for the registrar. */
    void handle(HttpExchange exchange) throws IOException {
        String operation = exchange.getRequestHeaders().getFirst("X-Amz-Target").replace("AWSGlue.", "");
        JsonNode body = JSON.readTree(exchange.getRequestBody().readAllBytes());
        operations.add(operation);
        bodies.put(operation, body);
        String db = body.path("DatabaseName").asString("");
        switch (operation) {
            case "GetDatabase" -> found(exchange, databases.get(body.path("Name").asString()), "Database");
            case "CreateDatabase" -> {
                databases.put(body.at("/DatabaseInput/Name").asString(), body.get("DatabaseInput"));
                ok(exchange, JSON.createObjectNode());
            }
            case "GetTable" -> found(exchange, tables.get(db + "." + body.path("Name").asString()), "Table");
            case "CreateTable", "UpdateTable" -> {
                tables.put(db + "." + body.at("/TableInput/Name").asString(), body.get("TableInput"));
                ok(exchange, JSON.createObjectNode());
            }
            case "GetPartition" -> found(exchange, partitions.get(db + "." + body.path("TableName").asString()
                    + body.path("PartitionValues")), "Partition");
            case "CreatePartition", "UpdatePartition" -> {
                partitions.put(db + "." + body.path("TableName").asString() + body.at("/PartitionInput/Values"),
                        body.get("PartitionInput"));
                ok(exchange, JSON.createObjectNode());
            }
            case "DeletePartition" -> {
                partitions.remove(db + "." + body.path("TableName").asString() + body.path("PartitionValues"));
                ok(exchange, JSON.createObjectNode());
            }
            case "GetPartitions" -> {
                String table = db + "." + body.path("TableName").asString() + "[";
                ObjectNode response = JSON.createObjectNode();
                var list = response.putArray("Partitions");
                partitions.forEach((key, value) -> {
                    if (key.startsWith(table)) {
                        list.add(value);
                    }
                });
                ok(exchange, response);
            }
            case "DeleteTable" -> {
                tables.remove(db + "." + body.path("Name").asString());
                ok(exchange, JSON.createObjectNode());
            }
            case "GetTables" -> {
                ObjectNode response = JSON.createObjectNode();
                var list = response.putArray("TableList");
                tables.forEach((key, value) -> {
                    if (key.startsWith(db + ".")) {
                        list.add(value);
                    }
                });
                ok(exchange, response);
            }
            case "DeleteDatabase" -> {
                databases.remove(body.path("Name").asString());
                ok(exchange, JSON.createObjectNode());
            }
            default -> send(exchange, 400, "{\"__type\":\"InvalidInputException\",\"Message\":\"unexpected " + operation + "\"}");
        }
    }

    void found(HttpExchange exchange, JsonNode input, String name) throws IOException {
        if (input == null) {
            send(exchange, 400, "{\"__type\":\"EntityNotFoundException\",\"Message\":\"not found\"}");
            return;
        }
        ObjectNode response = JSON.createObjectNode();
        response.set(name, input);
        ok(exchange, response);
    }

    void ok(HttpExchange exchange, JsonNode body) throws IOException {
        send(exchange, 200, body.toString());
    }

    void send(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/x-amz-json-1.1");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }
}
