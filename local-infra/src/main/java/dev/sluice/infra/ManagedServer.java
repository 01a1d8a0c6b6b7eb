package dev.sluice.infra;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * What local-infra needs to know to run one kind of server in a child JVM: its configuration files, JVM options,
 * main class, readiness probe and endpoints. {@link ServerProcess} does the launching, waiting and stopping.
 */
abstract class ManagedServer {

    final Server server;
    final ServerOptions options;
    final Path home;

    ManagedServer(Server server, ServerOptions options, Path home) {
        this.server = server;
        this.options = options;
        this.home = home;
    }

    static ManagedServer of(Server server, ServerOptions options, Path home, boolean keptData) {
        return switch (server) {
            case KAFKA -> new KafkaServer(options, home);
            case CASSANDRA -> new CassandraServer(options, home, keptData);
            case S3 -> new S3Server(options, home);
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

    /** Spring Boot properties that point a Sluice service at this server. */
    abstract Map<String, String> springProperties();

    /** The same endpoints as the environment variables the services read in Kubernetes. */
    abstract Map<String, String> environment();

    /** One line for people: where the server listens. */
    abstract String endpoint();

    /** Commands to run the JVM under (e.g. dropping a capability); empty by default. */
    List<String> commandPrefix() {
        return List.of();
    }

    String heapOption() {
        return "-Xmx" + options.heap();
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
}
