package dev.sluice.infra;

import java.io.IOException;
import java.io.InputStream;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * What local-infra needs to know to run one kind of server in a child JVM: its configuration files, JVM options,
 * main class, readiness probe and endpoints. {@link ServerProcess} does the launching, waiting and stopping.
 */
abstract class ManagedServer {

    private static final long PROBE_INTERVAL_MILLIS = 200;

    final Server server;
    final ServerOptions options;
    final Path home;

    ManagedServer(Server server, ServerOptions options, Path home) {
        this.server = server;
        this.options = options;
        this.home = home;
    }

    /** @param running the servers already up, which a server may require (the registry needs Kafka) */
    static ManagedServer of(Server server, ServerOptions options, Path home, boolean keptData,
            Map<Server, ManagedServer> running) {
        return switch (server) {
            case KAFKA -> new KafkaServer(options, home);
            case CASSANDRA -> new CassandraServer(options, home, keptData);
            case S3 -> new S3Server(options, home);
            case SCHEMA_REGISTRY -> new SchemaRegistryServer(options, home,
                    ((KafkaServer) running.get(Server.KAFKA)).bootstrapServers());
            case GATEKEEPER -> new GatekeeperServer(options, home, ((KafkaServer) running.get(Server.KAFKA)).bootstrapServers(),
                    running.get(Server.SCHEMA_REGISTRY).endpoint());
            case DEDUP -> new DedupServer(options, home, ((KafkaServer) running.get(Server.KAFKA)).bootstrapServers(),
                    ((CassandraServer) running.get(Server.CASSANDRA)).contactPoint(),
                    running.get(Server.SCHEMA_REGISTRY).endpoint());
            case DATAPUMP -> new DatapumpServer(options, home, ((KafkaServer) running.get(Server.KAFKA)).bootstrapServers(),
                    ((CassandraServer) running.get(Server.CASSANDRA)).contactPoint(),
                    running.get(Server.SCHEMA_REGISTRY).endpoint(), (S3Server) running.get(Server.S3));
            case CATALOG -> new CatalogServer(options, home, ((KafkaServer) running.get(Server.KAFKA)).bootstrapServers(),
                    (S3Server) running.get(Server.S3));
            case GOVERNANCE -> new GovernanceServer(options, home, ((KafkaServer) running.get(Server.KAFKA)).bootstrapServers(),
                    ((CassandraServer) running.get(Server.CASSANDRA)).contactPoint(),
                    running.get(Server.SCHEMA_REGISTRY).endpoint());
            case PRIVACY -> new PrivacyRequestsServer(options, home, ((KafkaServer) running.get(Server.KAFKA)).bootstrapServers(),
                    ((CassandraServer) running.get(Server.CASSANDRA)).contactPoint(), running.get(Server.SCHEMA_REGISTRY).endpoint(),
                    (S3Server) running.get(Server.S3));
            case CONSOLE -> new ConsoleServer(options, home, running.get(Server.GOVERNANCE).endpoint(),
                    running.get(Server.PRIVACY).endpoint());
        };
    }

    Path conf() {
        return home.resolve("conf");
    }

    Path data() {
        return home.resolve("data");
    }

    Path log() {
        return home.resolve("server.log");
    }

    /** Picks the ports (fixed ones from the options, free ones otherwise) and writes the configuration. */
    abstract void configure(List<Path> classpath) throws IOException;

    abstract List<String> jvmOptions(List<Path> classpath);

    abstract String mainClass();

    abstract List<String> arguments();

    /** True once the server answers its own protocol (not merely once its port is open). */
    abstract boolean isReady();

    /**
     * Probes {@link #isReady} until it answers, whatever runs the server (a child process, a container).
     *
     * @param running whether what runs the server is still there
     * @param death why it is not, for the error
     * @throws ServerStartException when it is gone, the timeout passed, or the wait was interrupted; the caller
     *         stops what it started
     */
    void awaitReady(java.util.function.BooleanSupplier running, java.util.function.Supplier<String> death,
            Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!isReady()) {
            if (!running.getAsBoolean()) {
                throw new ServerStartException(server, log(), death.get() + " before it was ready", null);
            }
            if (System.nanoTime() > deadline) {
                throw new ServerStartException(server, log(), "not ready after " + timeout.toSeconds() + " s", null);
            }
            try {
                Thread.sleep(PROBE_INTERVAL_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new ServerStartException(server, log(), "interrupted while waiting for it", e);
            }
        }
    }

    /** Spring Boot properties that point a Sluice service at this server. */
    abstract Map<String, String> springProperties();

    /** The same endpoints as the environment variables the services read in Kubernetes. */
    abstract Map<String, String> environment();

    /** One line for people: where the server listens. */
    abstract String endpoint();

    /** The port clients connect to, chosen in {@link #configure}. */
    abstract int clientPort();

    /**
     * Environment variables of the server's process: the secrets it needs (never on its command line, which
     * {@code ps} shows) and the local mode; empty by default.
     */
    Map<String, String> processEnvironment() {
        return Map.of();
    }

    /** Commands to run the JVM under (e.g. dropping a capability); empty by default. */
    List<String> commandPrefix() {
        return List.of();
    }

    String heapOption() {
        return "-Xmx" + options.heap();
    }

    private static final HttpClient PROBE = HttpClient.newBuilder().connectTimeout(Duration.ofMillis(500)).build();

    /** The HTTP status of a GET, or -1 when nothing answers (a readiness probe). */
    static int httpStatus(String url) {
        try {
            HttpRequest request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(2)).GET().build();
            return PROBE.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    static String resource(String name) {
        try (InputStream in = ManagedServer.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + name + " in local-infra");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void write(Path file, String content) throws IOException {
        Files.createDirectories(file.getParent());
        Files.writeString(file, content);
    }

    /** Generated defaults first, then the entries the user overrides. */
    void writeProperties(Path file, Map<String, String> generated) throws IOException {
        Properties properties = new Properties();
        properties.putAll(generated);
        properties.putAll(options.config());
        StringWriter text = new StringWriter();
        properties.store(text, "generated by local-infra for this run");
        write(file, text.toString());
    }
}
