package dev.sluice.infra;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;

/** Kafka in KRaft mode, broker and controller in one JVM, formatted on first start. */
final class KafkaServer extends ManagedServer {

    private int brokerPort;
    private int controllerPort;

    /** The broker's settings besides its addresses and directories: the child process's and the container's. */
    static final Map<String, String> BROKER_DEFAULTS = Map.ofEntries(
            Map.entry("num.partitions", "1"),
            // one node: internal topics cannot be replicated, and few partitions start faster
            Map.entry("offsets.topic.replication.factor", "1"),
            Map.entry("offsets.topic.num.partitions", "4"),
            Map.entry("transaction.state.log.replication.factor", "1"),
            Map.entry("transaction.state.log.min.isr", "1"),
            Map.entry("transaction.state.log.num.partitions", "4"),
            Map.entry("share.coordinator.state.topic.replication.factor", "1"),
            Map.entry("share.coordinator.state.topic.min.isr", "1"),
            Map.entry("group.initial.rebalance.delay.ms", "0"),
            // topics are created explicitly by whoever owns them, as in production
            Map.entry("auto.create.topics.enable", "false"));

    KafkaServer(ServerOptions options, Path home) {
        super(Server.KAFKA, options, home);
    }

    @Override
    void configure(List<Path> classpath) throws IOException {
        brokerPort = FreePorts.orPick(options.port());
        controllerPort = FreePorts.pick();
        Map<String, String> settings = new java.util.HashMap<>(BROKER_DEFAULTS);
        settings.putAll(Map.ofEntries(
                Map.entry("process.roles", "broker,controller"),
                Map.entry("node.id", "1"),
                Map.entry("controller.quorum.voters", "1@127.0.0.1:" + controllerPort),
                Map.entry("listeners", "PLAINTEXT://127.0.0.1:" + brokerPort + ",CONTROLLER://127.0.0.1:" + controllerPort),
                Map.entry("advertised.listeners", "PLAINTEXT://127.0.0.1:" + brokerPort),
                Map.entry("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT"),
                Map.entry("controller.listener.names", "CONTROLLER"),
                Map.entry("inter.broker.listener.name", "PLAINTEXT"),
                Map.entry("log.dirs", data().toAbsolutePath().toString())));
        writeProperties(conf().resolve("server.properties"), settings);
        write(conf().resolve("log4j2.xml"), resource("kafka-log4j2.xml"));
    }

    @Override
    List<String> jvmOptions(List<Path> classpath) {
        return List.of(heapOption(), "-Xms128m", "-XX:+UseG1GC", "-XX:MaxGCPauseMillis=20",
                "-Djava.awt.headless=true",
                "-Dlog4j2.configurationFile=" + conf().resolve("log4j2.xml").toAbsolutePath().toUri());
    }

    @Override
    String mainClass() {
        return "dev.sluice.infra.launch.KafkaMain";
    }

    @Override
    List<String> arguments() {
        return List.of(conf().resolve("server.properties").toAbsolutePath().toString(), clusterId());
    }

    /** A kept data directory keeps the cluster id it was formatted with; a fresh one gets a new id. */
    private String clusterId() {
        Path meta = data().resolve("meta.properties");
        if (Files.exists(meta)) {
            Properties properties = new Properties();
            try (Reader reader = Files.newBufferedReader(meta)) {
                properties.load(reader);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + meta, e);
            }
            if (properties.getProperty("cluster.id") != null) {
                return properties.getProperty("cluster.id");
            }
        }
        return newClusterId();
    }

    /** Base64url of a random UUID; like Kafka's Uuid.randomUuid, never starting with '-' (read as an option). */
    static String newClusterId() {
        while (true) {
            UUID uuid = UUID.randomUUID();
            ByteBuffer bytes = ByteBuffer.allocate(16).putLong(uuid.getMostSignificantBits())
                    .putLong(uuid.getLeastSignificantBits());
            String id = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes.array());
            if (!id.startsWith("-")) {
                return id;
            }
        }
    }

    @Override
    boolean isReady() {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", brokerPort), 500);
        } catch (IOException e) {
            return false;
        }
        // the broker lists itself in metadata only once it is unfenced and can serve requests
        try (Admin admin = Admin.create(Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers(),
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 2000,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 3000))) {
            return !admin.describeCluster().nodes().get(3, TimeUnit.SECONDS).isEmpty();
        } catch (Exception e) {
            return false;
        }
    }

    String bootstrapServers() {
        return "127.0.0.1:" + brokerPort;
    }

    @Override
    Map<String, String> springProperties() {
        return Map.of("spring.kafka.bootstrap-servers", bootstrapServers());
    }

    @Override
    Map<String, String> environment() {
        return Map.of("KAFKA_BOOTSTRAP_SERVERS", bootstrapServers());
    }

    @Override
    String endpoint() {
        return bootstrapServers();
    }

    @Override
    int clientPort() {
        return brokerPort;
    }
}
