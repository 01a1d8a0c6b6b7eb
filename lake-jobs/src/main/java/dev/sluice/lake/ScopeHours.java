package dev.sluice.lake;

import dev.sluice.core.jobs.AccessBatch;
import dev.sluice.core.lake.HourPartition;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.spark.sql.SparkSession;

/** The tier-zero hours a privacy request needs, per event type: those the index named, and those its scans cover. */
final class ScopeHours {

    private ScopeHours() {
    }

    /**
     * @param partitions per event type, hours as {@code yyyy-MM-dd/HH}
     * @param scans ranges of an event type's hours that tier zero has, listed here
     */
    static Map<String, Set<Instant>> of(SparkSession spark, String tierZero, Map<String, List<String>> partitions,
            List<AccessBatch.Scan> scans) {
        Map<String, Set<Instant>> hours = new TreeMap<>();
        partitions.forEach((type, keys) -> keys.forEach(hour -> hours.computeIfAbsent(type, t -> new TreeSet<>())
                .add(HourPartition.parseKey(type + "/" + hour).start())));
        for (AccessBatch.Scan scan : scans) {
            Instant from = Instant.parse(scan.from());
            Instant to = Instant.parse(scan.to());
            for (Instant hour : new VersionedPartitions(spark, tierZero, scan.eventType())
                    .hours(from.atOffset(ZoneOffset.UTC).toLocalDate(), to.atOffset(ZoneOffset.UTC).toLocalDate())) {
                if (!hour.isBefore(from) && hour.isBefore(to)) {
                    hours.computeIfAbsent(scan.eventType(), t -> new TreeSet<>()).add(hour);
                }
            }
        }
        return hours;
    }

    /** The union of several requests' hours. */
    static void addAll(Map<String, Set<Instant>> into, Map<String, Set<Instant>> hours) {
        hours.forEach((type, set) -> into.computeIfAbsent(type, t -> new TreeSet<>()).addAll(set));
    }
}
