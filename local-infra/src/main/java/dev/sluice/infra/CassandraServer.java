package dev.sluice.infra;

import java.io.DataInputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A single Cassandra node from the {@code cassandra-all} jars, on the JDK that runs local-infra (17). */
final class CassandraServer extends ManagedServer {

    static final String LOCAL_DATACENTER = "datacenter1";
    private static final byte CQL_V4_REQUEST = 0x04;
    private static final byte CQL_V4_RESPONSE = (byte) 0x84;
    private static final byte OPCODE_OPTIONS = 0x05;
    private static final byte OPCODE_SUPPORTED = 0x06;

    private final boolean keptData;
    private int nativePort;
    private int storagePort;

    CassandraServer(ServerOptions options, Path home, boolean keptData) {
        super(Server.CASSANDRA, options, home);
        this.keptData = keptData;
    }

    @Override
    void configure(List<Path> classpath) throws IOException {
        nativePort = FreePorts.orPick(options.port());
        storagePort = FreePorts.pick();
        String yaml = resource("cassandra.yaml")
                .replace("{{storage_port}}", Integer.toString(storagePort))
                .replace("{{native_port}}", Integer.toString(nativePort))
                .replace("{{data}}", data().toAbsolutePath().toString());
        for (Map.Entry<String, String> entry : options.config().entrySet()) {
            yaml = override(yaml, entry.getKey(), entry.getValue());
        }
        write(conf().resolve("cassandra.yaml"), yaml);
        write(conf().resolve("logback.xml"), resource("cassandra-logback.xml"));
    }

    /** Replaces a top-level key of the generated YAML, or adds it. */
    static String override(String yaml, String key, String value) {
        Matcher line = Pattern.compile("(?m)^" + Pattern.quote(key) + ":.*$").matcher(yaml);
        String replacement = Matcher.quoteReplacement(key + ": " + value);
        return line.find() ? line.replaceFirst(replacement) : yaml + key + ": " + value + "\n";
    }

    @Override
    List<String> jvmOptions(List<Path> classpath) {
        List<String> options = new ArrayList<>();
        options.add("-Xms" + this.options.heap());
        options.add(heapOption());
        resource("cassandra-jvm17.options").lines()
                .map(String::trim)
                .filter(line -> !line.isEmpty() && !line.startsWith("#"))
                .forEach(options::add);
        Path jamm = classpath.stream().filter(jar -> jar.getFileName().toString().startsWith("jamm-")).findFirst()
                .orElseThrow(() -> new IllegalStateException("no jamm jar on the Cassandra classpath"));
        options.add("-javaagent:" + jamm);
        options.add("-Dcassandra-foreground=yes");
        options.add("-Dcassandra.config=" + conf().resolve("cassandra.yaml").toAbsolutePath().toUri());
        options.add("-Dlogback.configurationFile=" + conf().resolve("logback.xml").toAbsolutePath().toUri());
        options.add("-Dcassandra.logdir=" + home.resolve("logs").toAbsolutePath());
        options.add("-Dcassandra.storagedir=" + data().toAbsolutePath());
        options.add("-Dcassandra.skip_wait_for_gossip_to_settle=0");
        if (!keptData) {
            // throwaway data: skip fsync and durable system tables, which costs seconds at every schema change
            options.add("-Dcassandra.skip_sync=true");
            options.add("-Dcassandra.unsafesystem=true");
            options.add("-Dcassandra.test.flush_local_schema_changes=false");
        }
        return options;
    }

    @Override
    List<String> commandPrefix() {
        // As root, Cassandra's mlockall pins the whole heap in RAM; without CAP_IPC_LOCK it fails harmlessly.
        Path setpriv = Path.of("/usr/bin/setpriv");
        if ("root".equals(System.getProperty("user.name")) && Files.isExecutable(setpriv)) {
            return List.of(setpriv.toString(), "--inh-caps=-ipc_lock", "--bounding-set=-ipc_lock");
        }
        return List.of();
    }

    @Override
    String mainClass() {
        return "org.apache.cassandra.service.CassandraDaemon";
    }

    @Override
    List<String> arguments() {
        return List.of();
    }

    /** Sends a CQL v4 OPTIONS frame and expects SUPPORTED: the native protocol is up, not just the socket. */
    @Override
    boolean isReady() {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", nativePort), 500);
            socket.setSoTimeout(2000);
            socket.getOutputStream().write(new byte[] {CQL_V4_REQUEST, 0, 0, 1, OPCODE_OPTIONS, 0, 0, 0, 0});
            DataInputStream in = new DataInputStream(socket.getInputStream());
            byte version = in.readByte();
            in.readByte(); // flags
            in.readShort(); // stream id
            byte opcode = in.readByte();
            return version == CQL_V4_RESPONSE && opcode == OPCODE_SUPPORTED;
        } catch (IOException e) {
            return false;
        }
    }

    String contactPoint() {
        return "127.0.0.1:" + nativePort;
    }

    int nativePort() {
        return nativePort;
    }

    @Override
    Map<String, String> springProperties() {
        return Map.of("spring.cassandra.contact-points", contactPoint(),
                "spring.cassandra.local-datacenter", LOCAL_DATACENTER);
    }

    @Override
    Map<String, String> environment() {
        return Map.of("CASSANDRA_CONTACT_POINTS", contactPoint(), "CASSANDRA_LOCAL_DATACENTER", LOCAL_DATACENTER);
    }

    @Override
    String endpoint() {
        return contactPoint() + " (datacenter " + LOCAL_DATACENTER + ")";
    }

    @Override
    int clientPort() {
        return nativePort;
    }
}
