package dev.sluice.lake;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.config.DefaultDriverOption;
import com.datastax.oss.driver.api.core.config.DriverConfigLoader;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import java.io.Serializable;
import java.net.InetSocketAddress;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.Iterator;
import java.util.List;
import java.util.stream.StreamSupport;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * Reads landing partitions (event type, hour) from Cassandra inside Spark tasks, one task per hour, with the Java
 * driver (no Spark 4 connector exists). Each executor JVM keeps one session per cluster.
 */
final class LandingReader implements Serializable {

    static final StructType SCHEMA = new StructType().add("event_type", DataTypes.StringType)
            .add("hour", DataTypes.TimestampType).add("event_id", DataTypes.StringType)
            .add("schema_id", DataTypes.IntegerType).add("payload", DataTypes.BinaryType)
            .add("event_time", DataTypes.TimestampType).add("landing_time", DataTypes.TimestampType);

    private static final Map<String, CqlSession> SESSIONS = new ConcurrentHashMap<>();

    private final String contactPoints;
    private final String localDatacenter;
    private final String keyspace;

    LandingReader(String contactPoints, String localDatacenter, String keyspace) {
        this.contactPoints = contactPoints;
        this.localDatacenter = localDatacenter;
        this.keyspace = keyspace;
    }

    /** Every landing row of these hours of one event type. */
    Dataset<Row> read(SparkSession spark, String eventType, List<Instant> hours) {
        JavaRDD<Instant> tasks = JavaSparkContext.fromSparkContext(spark.sparkContext())
                .parallelize(hours, Math.max(1, hours.size()));
        JavaRDD<Row> rows = tasks.mapPartitions(partition -> readHours(eventType, partition));
        return spark.createDataFrame(rows, SCHEMA);
    }

    /** Lazily, hour after hour, page after page (the driver fetches the next page as the iterator reaches it). */
    private Iterator<Row> readHours(String eventType, Iterator<Instant> hours) {
        CqlSession session = SESSIONS.computeIfAbsent(contactPoints + '/' + localDatacenter, key -> connect());
        PreparedStatement select = session.prepare("SELECT event_id, schema_id, payload, event_time, landing_time FROM "
                + keyspace + ".landing WHERE event_type = ? AND hour = ?");
        Iterable<Instant> all = () -> hours;
        return StreamSupport.stream(all.spliterator(), false)
                .flatMap(hour -> StreamSupport.stream(session.execute(select.bind(eventType, hour)).spliterator(), false)
                        .map(row -> toRow(eventType, hour, row)))
                .iterator();
    }

    private static Row toRow(String eventType, Instant hour, com.datastax.oss.driver.api.core.cql.Row row) {
        var payload = row.getByteBuffer("payload");
        byte[] bytes = new byte[payload.remaining()];
        payload.get(bytes);
        return RowFactory.create(eventType, Timestamp.from(hour), row.getString("event_id"), row.getInt("schema_id"),
                bytes, Timestamp.from(row.getInstant("event_time")), Timestamp.from(row.getInstant("landing_time")));
    }

    /** This JVM's session to the cluster (the driver's, for the few writes a job makes itself). */
    CqlSession session() {
        return SESSIONS.computeIfAbsent(contactPoints + '/' + localDatacenter, key -> connect());
    }

    /** Closes this JVM's sessions: their threads would otherwise keep a finished job's JVM alive. */
    static void closeSessions() {
        SESSIONS.values().forEach(CqlSession::close);
        SESSIONS.clear();
    }

    private CqlSession connect() {
        var builder = CqlSession.builder().withLocalDatacenter(localDatacenter)
                .withConfigLoader(DriverConfigLoader.programmaticBuilder()
                        .withDuration(DefaultDriverOption.REQUEST_TIMEOUT, Duration.ofSeconds(30)).build());
        for (String point : contactPoints.split(",")) {
            String[] hostPort = point.trim().split(":");
            builder.addContactPoint(new InetSocketAddress(hostPort[0], hostPort.length > 1 ? Integer.parseInt(hostPort[1]) : 9042));
        }
        return builder.build();
    }
}
