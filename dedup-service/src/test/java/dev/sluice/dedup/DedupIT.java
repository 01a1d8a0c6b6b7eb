package dev.sluice.dedup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.datastax.oss.driver.api.core.cql.Row;
import com.datastax.oss.driver.api.core.cql.SimpleStatement;
import dev.sluice.core.lake.DirtyHour;
import dev.sluice.infra.LocalInfra;
import dev.sluice.infra.Server;
import dev.sluice.infra.junit.LocalInfraTest;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;

/** The dedup service in this JVM against real Kafka, Cassandra and the registry. */
@LocalInfraTest({Server.KAFKA, Server.CASSANDRA, Server.SCHEMA_REGISTRY})
class DedupIT {

    static final Instant HOUR = Instant.parse("2026-11-20T13:00:00Z");

    @Test
    void theSameEventThreeTimesAlsoAcrossARestartLandsOnce(LocalInfra infra) {
        try (Landing landing = new Landing(infra)) {
            byte[] event = landing.event("e-1", HOUR.plusSeconds(60));
            try (ConfigurableApplicationContext dedup = landing.startInJvm()) {
                landing.send(List.of(event));
                await().atMost(Duration.ofSeconds(60)).until(() -> landing.landedIds(HOUR).size() == 1);
                landing.send(List.of(event));
                await().atMost(Duration.ofSeconds(60)).until(() -> count(dedup, "duplicate") == 1);
            }
            try (ConfigurableApplicationContext restarted = landing.startInJvm()) {
                landing.send(List.of(event));
                // the restarted instance does not remember the id: the third copy overwrites its own row
                await().atMost(Duration.ofSeconds(60)).until(() -> count(restarted, "landed") == 1);
            }
            assertThat(landing.landedIds(HOUR)).containsExactly("e-1");
        }
    }

    @Test
    void tenThousandEventsWithTwentyPercentDuplicatesAreCountedExactly(LocalInfra infra) {
        try (Landing landing = new Landing(infra)) {
            List<byte[]> events = new ArrayList<>();
            for (int i = 0; i < 8000; i++) {
                events.add(landing.event("e-" + i, HOUR.plusSeconds(i % 3600)));
            }
            Random random = new Random(42);
            for (int i = 0; i < 2000; i++) {
                int original = random.nextInt(8000);
                events.add(landing.event("e-" + original, HOUR.plusSeconds(original % 3600)));
            }
            Collections.shuffle(events, random);
            try (ConfigurableApplicationContext dedup = landing.startInJvm()) {
                landing.send(events);
                await().atMost(Duration.ofMinutes(2)).until(() -> count(dedup, "landed") + count(dedup, "duplicate") == 10_000);
                assertThat(count(dedup, "landed")).isEqualTo(8000);
                assertThat(count(dedup, "duplicate")).isEqualTo(2000);
            }
            assertThat(new HashSet<>(landing.landedIds(HOUR))).hasSize(8000);
            List<DirtyHour> notices = landing.dirtyHourNotices();
            assertThat(notices).extracting(DirtyHour::key).containsOnly(Landing.TYPE + "/2026-11-20/13");
            assertThat(notices.stream().mapToLong(DirtyHour::events).sum()).as("events in the notices").isEqualTo(8000);
        }
    }

    @Test
    void anEventInAnHourAlreadyMarkedMarksItAgain(LocalInfra infra) {
        try (Landing landing = new Landing(infra); ConfigurableApplicationContext dedup = landing.startInJvm()) {
            Instant late = Instant.now().minus(3, ChronoUnit.DAYS).truncatedTo(ChronoUnit.HOURS);
            landing.send(List.of(landing.event("first", late.plusSeconds(10))));
            await().atMost(Duration.ofSeconds(60)).until(() -> landing.dirtyHourNotices().size() == 1);
            DirtyHour marked = landing.dirtyHourNotices().get(0);
            assertThat(marked.hourStart()).isEqualTo(late);

            // a phone that was offline for three days: its event lands in the hour already marked (and dumped)
            landing.send(List.of(landing.event("late", late.plusSeconds(1800))));
            await().atMost(Duration.ofSeconds(60)).until(() -> landing.dirtyHourNotices().size() == 2);
            DirtyHour again = landing.dirtyHourNotices().get(1);
            assertThat(again.key()).isEqualTo(marked.key());
            assertThat(again.events()).isEqualTo(1);
            assertThat(again.lastLandingTime()).isAfter(marked.lastLandingTime());
            assertThat(landing.landedIds(late)).containsExactlyInAnyOrder("first", "late");
        }
    }

    @Test
    void landedRowsLiveAsLongAsTheConfiguredTtl(LocalInfra infra) {
        try (Landing landing = new Landing(infra)) {
            Instant hour = Instant.now().truncatedTo(ChronoUnit.HOURS);
            try (ConfigurableApplicationContext dedup = landing.startInJvm("--sluice.dedup.landing.default-ttl=3d")) {
                landing.send(List.of(landing.event("ttl-default", hour.plusSeconds(1))));
                await().atMost(Duration.ofSeconds(60)).until(() -> landing.landedIds(hour).size() == 1);
                assertThat(ttl(landing, hour, "ttl-default")).isBetween(3 * 86400 - 120, 3 * 86400);
                Row table = landing.cql().execute(SimpleStatement.newInstance("SELECT default_time_to_live FROM "
                        + "system_schema.tables WHERE keyspace_name = ? AND table_name = 'landing'", landing.keyspace)).one();
                assertThat(table.getInt(0)).isEqualTo(3 * 86400);
            }
            try (ConfigurableApplicationContext dedup = landing.startInJvm("--sluice.dedup.landing.default-ttl=3d",
                    "--sluice.dedup.landing.ttl." + Landing.TYPE + "=2h")) {
                landing.send(List.of(landing.event("ttl-per-type", hour.plusSeconds(2))));
                await().atMost(Duration.ofSeconds(60)).until(() -> landing.landedIds(hour).size() == 2);
                assertThat(ttl(landing, hour, "ttl-per-type")).isBetween(7200 - 120, 7200);
            }
        }
    }

    @Test
    void recordsThatCannotBeDecodedGoToTheDeadLetterTopicAndTheStreamGoesOn(LocalInfra infra) {
        try (Landing landing = new Landing(infra); ConfigurableApplicationContext dedup = landing.startInJvm()) {
            byte[] notAvro = "{\"id\": \"json, not avro\"}".getBytes(StandardCharsets.UTF_8);
            byte[] unknownSchema = landing.event("unknown-schema", HOUR);
            unknownSchema[1] = 0x7f; // schema id 2130706432+: not in the registry
            byte[] truncated = java.util.Arrays.copyOf(landing.event("truncated", HOUR), 12);
            landing.send(List.of(notAvro, landing.event("good-1", HOUR), unknownSchema, truncated,
                    landing.event("good-2", HOUR)));

            Map<String, String> letters = landing.deadLetters(3, Duration.ofSeconds(60));
            assertThat(letters).hasSize(3);
            assertThat(letters.get(new String(notAvro, StandardCharsets.ISO_8859_1))).contains("wire format");
            assertThat(letters.get(new String(unknownSchema, StandardCharsets.ISO_8859_1))).contains("no schema");
            assertThat(letters.get(new String(truncated, StandardCharsets.ISO_8859_1))).contains("cannot decode");
            await().atMost(Duration.ofSeconds(60)).until(() -> landing.landedIds(HOUR).size() == 2);
            assertThat(landing.landedIds(HOUR)).containsExactlyInAnyOrder("good-1", "good-2");
            assertThat(count(dedup, "dead_letter")).isEqualTo(3);
        }
    }

    /**
     * The gatekeeper's records carry the id as their key and the event time in a header: they land from those,
     * without decoding; the payload is still checked to be in the wire format with a known schema id.
     */
    @Test
    void recordsWithTheGatekeepersKeyAndHeaderLandFromThemAndBadPayloadsStillGoToTheDeadLetters(LocalInfra infra) {
        try (Landing landing = new Landing(infra); ConfigurableApplicationContext dedup = landing.startInJvm()) {
            // the header's time wins over the payload's: proof that the payload was not decoded for it
            Instant headerTime = HOUR.plusSeconds(1234).plusNanos(567_000);
            byte[] unknownSchema = landing.event("h-unknown", HOUR);
            unknownSchema[1] = 0x7f;
            Map<String, byte[]> records = new java.util.LinkedHashMap<>();
            records.put("h-1", landing.event("h-1", HOUR.minusSeconds(86_400)));
            records.put("h-2", landing.event("h-2", HOUR.minusSeconds(86_400)));
            records.put("h-json", "{\"id\": \"not avro\"}".getBytes(StandardCharsets.UTF_8));
            records.put("h-unknown", unknownSchema);
            landing.sendAsGatekeeper(records, headerTime);

            await().atMost(Duration.ofSeconds(60)).until(() -> landing.landedIds(HOUR).size() == 2);
            assertThat(landing.landedIds(HOUR)).containsExactlyInAnyOrder("h-1", "h-2");
            Row row = landing.cql().execute(SimpleStatement.newInstance("SELECT event_time FROM " + landing.keyspace
                    + ".landing WHERE event_type = ? AND hour = ? AND event_id = ?", Landing.TYPE, HOUR, "h-1")).one();
            assertThat(row.getInstant("event_time")).isEqualTo(headerTime.truncatedTo(ChronoUnit.MILLIS));
            Map<String, String> letters = landing.deadLetters(2, Duration.ofSeconds(60));
            assertThat(letters.values()).anySatisfy(reason -> assertThat(reason).contains("wire format"))
                    .anySatisfy(reason -> assertThat(reason).contains("no schema"));
            assertThat(count(dedup, "dead_letter")).isEqualTo(2);
        }
    }

    static int ttl(Landing landing, Instant hour, String id) {
        return landing.cql().execute(SimpleStatement.newInstance("SELECT TTL(payload) FROM " + landing.keyspace
                + ".landing WHERE event_type = ? AND hour = ? AND event_id = ?", Landing.TYPE, hour, id)).one().getInt(0);
    }

    /** The service's own count of events by outcome (landed, duplicate, dead_letter). */
    static long count(ConfigurableApplicationContext dedup, String outcome) {
        var counter = dedup.getBean(MeterRegistry.class).find("dedup.events").tag("outcome", outcome)
                .tag("type", Landing.TYPE).counter();
        return counter == null ? 0 : (long) counter.count();
    }

    static Set<String> keys(List<DirtyHour> notices) {
        Set<String> keys = new HashSet<>();
        notices.forEach(n -> keys.add(n.key()));
        return keys;
    }
}
