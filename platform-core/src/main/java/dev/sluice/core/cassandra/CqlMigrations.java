package dev.sluice.core.cassandra;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.Row;
import com.datastax.oss.driver.api.core.cql.SimpleStatement;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A component's Cassandra schema as versioned CQL resources, {@code <directory>/V1.cql}, {@code V2.cql}, ... (no
 * gaps), applied in order at start. Each applied version is recorded in {@code <keyspace>.schema_migrations} with
 * its checksum: it is not applied again, and a resource edited after it was applied stops the start (write a new
 * version instead). Statements should be idempotent ({@code IF NOT EXISTS}), so that two instances starting at once
 * do no harm. {@code ${keyspace}} in a resource is replaced by the keyspace.
 *
 * <p>Needs {@code org.apache.cassandra:java-driver-core} on the classpath (an optional dependency of platform-core).
 */
public final class CqlMigrations {

    private static final Logger log = LoggerFactory.getLogger(CqlMigrations.class);
    /** DDL waits for schema agreement; the driver's 2 s request default is too short on a busy node. */
    private static final Duration DDL_TIMEOUT = Duration.ofSeconds(60);
    private static final Pattern STATEMENT_END = Pattern.compile(";\\s*(\\R|$)");

    private final String component;
    private final String directory;
    private final ClassLoader classLoader;

    /**
     * @param component the name the versions are recorded under (e.g. {@code landing})
     * @param directory the classpath directory of the {@code V<n>.cql} resources (e.g. {@code cql/landing})
     */
    public CqlMigrations(String component, String directory, ClassLoader classLoader) {
        this.component = component;
        this.directory = directory.endsWith("/") ? directory : directory + "/";
        this.classLoader = classLoader;
    }

    /** Creates the keyspace when missing; {@code replication} is CQL, e.g. {@code {'class': 'SimpleStrategy', ...}}. */
    public static void ensureKeyspace(CqlSession session, String keyspace, String replication) {
        session.execute(ddl("CREATE KEYSPACE IF NOT EXISTS " + keyspace + " WITH replication = " + replication));
    }

    /** Applies the versions not applied yet; returns their numbers. */
    public List<Integer> apply(CqlSession session, String keyspace) {
        session.execute(ddl("CREATE TABLE IF NOT EXISTS " + keyspace + ".schema_migrations (component text, "
                + "version int, checksum text, applied_at timestamp, PRIMARY KEY (component, version))"));
        Map<Integer, String> applied = new TreeMap<>();
        for (Row row : session.execute(SimpleStatement.newInstance("SELECT version, checksum FROM " + keyspace
                + ".schema_migrations WHERE component = ?", component))) {
            applied.put(row.getInt("version"), row.getString("checksum"));
        }
        List<Integer> done = new ArrayList<>();
        for (int version = 1; ; version++) {
            String text = resource(version);
            if (text == null) {
                break;
            }
            String checksum = sha256(text);
            String before = applied.get(version);
            if (before != null) {
                if (!before.equals(checksum)) {
                    throw new IllegalStateException(directory + "V" + version + ".cql was changed after it was applied"
                            + " to " + keyspace + "; add a new version instead of editing an applied one");
                }
                continue;
            }
            for (String statement : statements(text.replace("${keyspace}", keyspace))) {
                session.execute(ddl(statement));
            }
            session.execute(SimpleStatement.newInstance("INSERT INTO " + keyspace + ".schema_migrations (component, "
                    + "version, checksum, applied_at) VALUES (?, ?, ?, ?)", component, version, checksum, Instant.now()));
            log.info("applied {}V{}.cql to keyspace {}", directory, version, keyspace);
            done.add(version);
        }
        return done;
    }

    /** The statements of a resource: {@code --} comments dropped, split at a {@code ;} that ends a line. */
    static List<String> statements(String text) {
        StringBuilder code = new StringBuilder();
        for (String line : text.split("\\R")) {
            String trimmed = line.strip();
            if (!trimmed.startsWith("--")) {
                code.append(line).append('\n');
            }
        }
        List<String> statements = new ArrayList<>();
        for (String part : STATEMENT_END.split(code)) {
            if (!part.isBlank()) {
                statements.add(part.strip());
            }
        }
        return statements;
    }

    private String resource(int version) {
        try (InputStream in = classLoader.getResourceAsStream(directory + "V" + version + ".cql")) {
            return in == null ? null : new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static SimpleStatement ddl(String cql) {
        return SimpleStatement.newInstance(cql).setTimeout(DDL_TIMEOUT);
    }

    private static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
