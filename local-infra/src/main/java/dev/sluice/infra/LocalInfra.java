package dev.sluice.infra;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.Stream;

/**
 * Real servers (Kafka, Cassandra, an S3-compatible store) on this machine, each in its own child JVM, without
 * Docker. Ports are free ones chosen at start unless fixed; logs go to {@code <directory>/<server>/server.log}.
 * Where a Docker engine exists, {@code SLUICE_INFRA_SERVERS=containers} runs the three third-party servers as
 * containers of their official images instead ({@link ServerRuntime}); Sluice's services stay child processes.
 *
 * <pre>{@code
 * try (LocalInfra infra = LocalInfra.builder().build().start(Server.KAFKA, Server.S3)) {
 *     String bootstrap = infra.kafkaBootstrapServers();
 * }
 * }</pre>
 *
 * <p>No orphans: {@link #close()} and a JVM shutdown hook stop the servers (SIGTERM, then SIGKILL after the grace
 * period), and each server JVM stops itself when this JVM is gone, even after {@code kill -9}.
 */
public final class LocalInfra implements AutoCloseable {

    /** The password of every local user. */
    public static final String LOCAL_PASSWORD = "sluice-local";

    /**
     * {@code user:password} of the local mode's platform admin: every Sluice service knows the local users of
     * platform-spring's {@code LocalUsers} (admin, dpo, dpo2, analyst, analyst2, privacy; password sluice-local)
     * while {@code SLUICE_LOCAL_MODE=true}, which local-infra sets for the services it runs.
     */
    public static final String LOCAL_ADMIN = "admin:" + LOCAL_PASSWORD;

    /**
     * The local users and their roles, as platform-spring's {@code LocalUsers} has them (local-infra does not depend
     * on it; the console's tests check that the two agree): what {@code ./sluice run} tells people to sign in with.
     */
    public static final Map<String, String> LOCAL_USERS = orderedMap("admin", "PLATFORM_ADMIN", "dpo", "DPO",
            "dpo2", "DPO", "analyst", "ANALYST", "analyst2", "ANALYST", "privacy", "PRIVACY_OPS");

    private static Map<String, String> orderedMap(String... pairs) {
        Map<String, String> map = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            map.put(pairs[i], pairs[i + 1]);
        }
        return Collections.unmodifiableMap(map);
    }

    private static final String MARKER = ".local-infra";
    private static final String LOCK = ".local-infra.lock";
    static final String MASTER_KEY = "master.key";

    private final Path directory;
    private final boolean keepData;
    private final Path javaHome;
    private final Duration startTimeout;
    private final Duration stopTimeout;
    private final Map<Server, ServerOptions> options;
    private final Map<Server, RunningServer> running = new EnumMap<>(Server.class);
    private final Path launcherDir;
    private final ServerRuntime runtime = ServerRuntime.configured();
    private final FileChannel lock;
    private final Thread shutdownHook;

    private LocalInfra(Builder builder) {
        this.directory = builder.directory.toAbsolutePath().normalize();
        this.keepData = builder.keepData;
        this.javaHome = builder.javaHome;
        this.startTimeout = builder.startTimeout;
        this.stopTimeout = builder.stopTimeout;
        this.options = new EnumMap<>(builder.options);
        refuseForeignDirectory();
        this.lock = lockDirectory();
        prepareDirectory();
        this.launcherDir = installLauncher(directory.resolve("launcher"));
        this.shutdownHook = new Thread(this::stop, "local-infra-shutdown");
        Runtime.getRuntime().addShutdownHook(shutdownHook);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Starts the given servers that are not running yet, in parallel, and waits until each is ready. */
    public LocalInfra start(Server... servers) {
        return start(servers.length == 0 ? EnumSet.allOf(Server.class) : EnumSet.copyOf(Arrays.asList(servers)));
    }

    public synchronized LocalInfra start(Set<Server> servers) {
        // enum order puts every server after the ones it requires
        List<Server> missing = Server.withRequirements(servers).stream().filter(s -> !isRunning(s)).sorted().toList();
        if (missing.isEmpty()) {
            return this;
        }
        Map<Server, ManagedServer> up = new EnumMap<>(Server.class);
        running.forEach((name, process) -> up.put(name, process.server()));
        ExecutorService pool = Executors.newFixedThreadPool(missing.size());
        try {
            // each server starts as soon as the servers it requires are ready, the others all at once
            Map<Server, CompletableFuture<RunningServer>> starting = new EnumMap<>(Server.class);
            for (Server server : missing) {
                List<CompletableFuture<RunningServer>> requirements = server.requires().stream()
                        .filter(starting::containsKey).map(starting::get).toList();
                starting.put(server, CompletableFuture.allOf(requirements.toArray(CompletableFuture[]::new))
                        .thenApplyAsync(ignored -> {
                            Map<Server, ManagedServer> available = new EnumMap<>(up);
                            requirements.forEach(r -> available.put(r.join().server().server, r.join().server()));
                            return launch(server, available);
                        }, pool));
            }
            List<RuntimeException> failures = new ArrayList<>();
            starting.forEach((server, future) -> {
                try {
                    running.put(server, future.join());
                } catch (CompletionException e) {
                    Throwable cause = e.getCause();
                    // a server whose requirement failed reports nothing of its own
                    if (failures.stream().noneMatch(f -> f == cause)) {
                        failures.add(cause instanceof RuntimeException r ? r : new IllegalStateException(cause));
                    }
                }
            });
            if (!failures.isEmpty()) {
                missing.forEach(this::stop);
                RuntimeException first = failures.get(0);
                failures.stream().skip(1).forEach(first::addSuppressed);
                throw first;
            }
            return this;
        } finally {
            pool.shutdownNow();
        }
    }

    private RunningServer launch(Server server, Map<Server, ManagedServer> up) {
        Path home = home(server);
        ManagedServer managed = ManagedServer.of(server, options.get(server), home, keepData, up);
        try {
            Files.createDirectories(home);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (runtime.containerizes(server)) {
            return ServerContainer.start(managed, startTimeout);
        }
        List<Path> classpath = switch (server) {
            case SCHEMA_REGISTRY -> List.of(SchemaRegistryServer.jar());
            case GATEKEEPER -> List.of(GatekeeperServer.jar());
            case DEDUP -> List.of(DedupServer.jar());
            case DATAPUMP -> List.of(DatapumpServer.jar());
            case CATALOG -> List.of(CatalogServer.jar());
            case GOVERNANCE -> List.of(GovernanceServer.jar());
            case PRIVACY -> List.of(PrivacyRequestsServer.jar());
            case CONSOLE -> List.of(ConsoleServer.jar());
            default -> ServerClasspath.resolve(server, home);
        };
        return ServerProcess.start(managed, classpath, launcherDir, javaHome, startTimeout);
    }

    /** Stops one server gracefully; without kept data, its data directory is deleted (its log is kept). */
    public void stop(Server server) {
        RunningServer process;
        synchronized (this) {
            process = running.remove(server);
        }
        if (process != null) {
            process.stop(stopTimeout);
            if (!keepData) {
                deleteRecursively(process.server().data());
            }
        }
    }

    /**
     * Stops one server as if it crashed or was taken down for maintenance, keeping its data and its port, until the
     * returned outage is closed, which starts it again (same port, same data) and waits until it is ready. For tests
     * of what a client does while a server is away.
     *
     * <pre>{@code
     * try (LocalInfra.Outage outage = infra.outage(Server.CASSANDRA)) {
     *     // Cassandra is down here
     * } // up again
     * }</pre>
     */
    public Outage outage(Server server) {
        RunningServer process;
        synchronized (this) {
            process = running.remove(server);
        }
        if (process == null) {
            throw new IllegalStateException(server.id() + " is not running in this local-infra (" + directory + ")");
        }
        int port = process.server().clientPort();
        process.stop(stopTimeout);
        return () -> {
            synchronized (this) {
                ServerOptions before = options.get(server);
                options.put(server, before.withPort(port));
                try {
                    start(server);
                } finally {
                    options.put(server, before);
                }
            }
        };
    }

    /** A server taken down by {@link #outage}; closing it starts the server again. */
    @FunctionalInterface
    public interface Outage extends AutoCloseable {
        @Override
        void close();
    }

    /** Stops every running server, in parallel. */
    public void stop() {
        List<Server> servers;
        synchronized (this) {
            servers = List.copyOf(running.keySet());
        }
        servers.parallelStream().forEach(this::stop);
    }

    @Override
    public void close() {
        stop();
        try {
            lock.close();
        } catch (IOException e) {
            // the lock goes with the process anyway
        }
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException e) {
            // the JVM is already shutting down and runs the hook itself
        }
    }

    public synchronized boolean isRunning(Server server) {
        RunningServer process = running.get(server);
        return process != null && process.isAlive();
    }

    public Path directory() {
        return directory;
    }

    /**
     * The master key of the reservoir hashes in this set (base64 of 32 random bytes, made at the first start and
     * kept with the data): the datapump hands it to the reservoir job by file ({@code SLUICE_MASTER_KEY_FILE}).
     */
    public Path masterKeyFile() {
        return directory.resolve(MASTER_KEY);
    }

    /** The master key's bytes, for tests that compute a reservoir's hashes themselves. */
    public byte[] masterKey() {
        try {
            return java.util.Base64.getDecoder().decode(Files.readString(masterKeyFile()).trim());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public Path log(Server server) {
        return home(server).resolve("server.log");
    }

    private Path home(Server server) {
        return directory.resolve(server.id());
    }

    public long pid(Server server) {
        return process(server).pid();
    }

    public Duration startupTime(Server server) {
        return process(server).startupTime();
    }

    public String kafkaBootstrapServers() {
        return ((KafkaServer) process(Server.KAFKA).server()).bootstrapServers();
    }

    /**
     * The sum of a consumer group's committed offsets over every partition it committed: how many records it has
     * processed of topics read from offset 0. Fails loudly when Kafka does not answer, so that a test waiting for a
     * count cannot pass on a failed call.
     */
    public long committedOffsets(String groupId) {
        try (org.apache.kafka.clients.admin.Admin admin = org.apache.kafka.clients.admin.Admin.create(
                Map.of("bootstrap.servers", kafkaBootstrapServers()))) {
            return admin.listConsumerGroupOffsets(groupId).partitionsToOffsetAndMetadata()
                    .get(30, java.util.concurrent.TimeUnit.SECONDS).values().stream()
                    .filter(java.util.Objects::nonNull).mapToLong(offset -> offset.offset()).sum();
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException("cannot read the committed offsets of group " + groupId + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted reading the offsets of group " + groupId, e);
        }
    }

    /** {@code host:port} of the CQL native transport. */
    public String cassandraContactPoint() {
        return ((CassandraServer) process(Server.CASSANDRA).server()).contactPoint();
    }

    public int cassandraPort() {
        return ((CassandraServer) process(Server.CASSANDRA).server()).nativePort();
    }

    public String cassandraLocalDatacenter() {
        process(Server.CASSANDRA);
        return CassandraServer.LOCAL_DATACENTER;
    }

    public String s3Endpoint() {
        return process(Server.S3).server().endpoint();
    }

    public String s3AccessKey() {
        return ((S3Server) process(Server.S3).server()).accessKey();
    }

    public String s3SecretKey() {
        return ((S3Server) process(Server.S3).server()).secretKey();
    }

    /** The schema registry's base URL (Confluent REST API). */
    public String schemaRegistryUrl() {
        return process(Server.SCHEMA_REGISTRY).server().endpoint();
    }

    /** {@code user:password} of the registry user that may register schemas. */
    public String schemaRegistryUserInfo() {
        return ((SchemaRegistryServer) process(Server.SCHEMA_REGISTRY).server()).userInfo();
    }

    /** The gatekeeper's HTTP base URL (health, metrics). */
    public String gatekeeperUrl() {
        return process(Server.GATEKEEPER).server().endpoint();
    }

    /** The datapump's HTTP base URL (health, metrics, runs, pending hours). */
    public String datapumpUrl() {
        return process(Server.DATAPUMP).server().endpoint();
    }

    /** The local catalog's HTTP base URL ({@code /catalog}: databases, tables, partitions). */
    public String catalogUrl() {
        return process(Server.CATALOG).server().endpoint();
    }

    /** The governance service's HTTP base URL (reservoirs, rules, grants, policies, audit). */
    public String governanceUrl() {
        return process(Server.GOVERNANCE).server().endpoint();
    }

    /** The privacy-requests service's HTTP base URL (requests, exports, runs). */
    public String privacyUrl() {
        return process(Server.PRIVACY).server().endpoint();
    }

    /** The web console's URL. */
    public String consoleUrl() {
        return process(Server.CONSOLE).server().endpoint();
    }

    /** The dedup service's HTTP base URL (health, metrics, dirty hours, landed events). */
    public String dedupUrl() {
        return process(Server.DEDUP).server().endpoint();
    }

    public String s3Region() {
        process(Server.S3);
        return S3Server.REGION;
    }

    /** One line per running server: where it listens. */
    public synchronized Map<Server, String> endpoints() {
        Map<Server, String> endpoints = new EnumMap<>(Server.class);
        running.forEach((server, process) -> endpoints.put(server, process.server().endpoint()));
        return endpoints;
    }

    /** Spring Boot properties that point the Sluice services at the running servers. */
    public synchronized Map<String, String> springProperties() {
        Map<String, String> properties = new LinkedHashMap<>();
        running.values().forEach(process -> properties.putAll(process.server().springProperties()));
        return properties;
    }

    /** The same endpoints as environment variables, as the services read them in Kubernetes. */
    public synchronized Map<String, String> environment() {
        Map<String, String> environment = new LinkedHashMap<>();
        running.values().forEach(process -> environment.putAll(process.server().environment()));
        return environment;
    }

    private synchronized RunningServer process(Server server) {
        RunningServer process = running.get(server);
        if (process == null) {
            throw new IllegalStateException(server.id() + " is not running in this local-infra (" + directory + ")");
        }
        return process;
    }

    private void refuseForeignDirectory() {
        if (keepData || !Files.isDirectory(directory) || Files.exists(directory.resolve(MARKER))) {
            return;
        }
        try (Stream<Path> entries = Files.list(directory)) {
            if (entries.anyMatch(entry -> !isLock(entry))) {
                throw new IllegalArgumentException(directory + " is not empty and was not made by local-infra; "
                        + "refusing to wipe it for a fresh run");
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + directory, e);
        }
    }

    /** Two runs on one directory would wipe or corrupt each other's data: the second one is refused. */
    private FileChannel lockDirectory() {
        try {
            Files.createDirectories(directory);
            FileChannel channel = FileChannel.open(directory.resolve(LOCK), StandardOpenOption.CREATE,
                    StandardOpenOption.WRITE);
            FileLock acquired;
            try {
                acquired = channel.tryLock();
            } catch (OverlappingFileLockException e) {
                acquired = null;
            }
            if (acquired == null) {
                channel.close();
                throw new IllegalStateException(directory + " is in use by another running local-infra; stop it or "
                        + "choose another directory");
            }
            return channel;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot lock " + directory, e);
        }
    }

    private static boolean isLock(Path entry) {
        return entry.getFileName().toString().equals(LOCK);
    }

    private void prepareDirectory() {
        try {
            if (!keepData) {
                try (Stream<Path> entries = Files.list(directory)) {
                    entries.filter(entry -> !isLock(entry))
                            .forEach(LocalInfra::deleteRecursively);
                }
            }
            Files.writeString(directory.resolve(MARKER), "made by Sluice local-infra\n");
            if (!Files.exists(masterKeyFile())) {
                byte[] key = new byte[32];
                new java.security.SecureRandom().nextBytes(key);
                Files.writeString(masterKeyFile(), java.util.Base64.getEncoder().encodeToString(key) + "\n");
                try {
                    Files.setPosixFilePermissions(masterKeyFile(), java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
                } catch (UnsupportedOperationException notPosix) {
                    // the directory is the user's own anyway
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare " + directory, e);
        }
    }

    /** The child JVMs get the launcher classes from their own directory, not this whole jar and its resources. */
    private static Path installLauncher(Path dir) {
        try {
            for (String name : List.of("ChildMain", "KafkaMain")) {
                Path target = dir.resolve("dev/sluice/infra/launch/" + name + ".class");
                Files.createDirectories(target.getParent());
                try (InputStream in = LocalInfra.class.getResourceAsStream("launch/" + name + ".class")) {
                    Files.write(target, in.readAllBytes());
                }
            }
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot install the launcher in " + dir, e);
        }
    }

    private static void deleteRecursively(Path path) {
        if (!Files.exists(path)) {
            return;
        }
        try (Stream<Path> tree = Files.walk(path)) {
            tree.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + path, e);
        }
    }

    /** Settings default to {@code sluice.infra.*} system properties or {@code SLUICE_INFRA_*} variables. */
    public static final class Builder {

        private Path directory = Setting.of("sluice.infra.directory").value().map(Path::of)
                .orElseGet(() -> Path.of("target", "local-infra", LocalDateTime.now()
                        .format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")) + "-" + ProcessHandle.current().pid()));
        private boolean keepData = Boolean.parseBoolean(Setting.of("sluice.infra.keep-data").or("false"));
        private Path javaHome = Path.of(Setting.of("sluice.infra.java-home").or(System.getProperty("java.home")));
        private Duration startTimeout = Duration.ofSeconds(Setting.of("sluice.infra.start-timeout").intOr(180));
        private Duration stopTimeout = Duration.ofSeconds(Setting.of("sluice.infra.stop-timeout").intOr(30));
        private final Map<Server, ServerOptions> options = new EnumMap<>(Server.class);

        private Builder() {
            for (Server server : Server.values()) {
                options.put(server, ServerOptions.defaults(server));
            }
        }

        /** Where data, configuration and logs go; a fresh run wipes it first unless {@link #keepData} is set. */
        public Builder directory(Path directory) {
            this.directory = directory;
            return this;
        }

        /** Reuse the data already in the directory, and keep it when the servers stop. */
        public Builder keepData(boolean keepData) {
            this.keepData = keepData;
            return this;
        }

        public Builder javaHome(Path javaHome) {
            this.javaHome = javaHome;
            return this;
        }

        public Builder startTimeout(Duration startTimeout) {
            this.startTimeout = startTimeout;
            return this;
        }

        public Builder stopTimeout(Duration stopTimeout) {
            this.stopTimeout = stopTimeout;
            return this;
        }

        /** A fixed port for the server's client endpoint (0: a free one at every start). */
        public Builder port(Server server, int port) {
            options.compute(server, (s, o) -> o.withPort(port));
            return this;
        }

        public Builder heap(Server server, String heap) {
            options.compute(server, (s, o) -> o.withHeap(heap));
            return this;
        }

        /** Overrides one entry of the server's generated configuration. */
        public Builder config(Server server, String key, String value) {
            options.compute(server, (s, o) -> o.withConfig(key, value));
            return this;
        }

        public LocalInfra build() {
            return new LocalInfra(this);
        }
    }
}
