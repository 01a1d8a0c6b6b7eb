package dev.sluice.dedup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.sluice.core.lake.DirtyHour;
import dev.sluice.core.lake.HourPartition;
import dev.sluice.infra.LocalInfra;
import dev.sluice.infra.Server;
import dev.sluice.infra.junit.LocalInfraTest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The service's process killed with SIGKILL in the middle of a stream and started again: every event lands, and
 * the dirty-hour notices cover every hour that holds landed events.
 */
@LocalInfraTest({Server.KAFKA, Server.CASSANDRA, Server.SCHEMA_REGISTRY})
class SigkillIT {

    static final int EVENTS = 50_000;
    static final int HOURS = 48;
    static final Instant START = Instant.parse("2026-11-10T00:00:00Z");

    @Test
    void sigkillMidStreamLosesNothing(LocalInfra infra) throws Exception {
        try (Landing landing = new Landing(infra)) {
            List<byte[]> events = new ArrayList<>(EVENTS);
            Set<Instant> hours = new HashSet<>();
            for (int n = 0; n < EVENTS; n++) {
                Instant time = START.plusSeconds((n * 13L) % (HOURS * 3600L));
                events.add(landing.event("e-" + n, time));
                hours.add(DirtyHour.hourOf(time));
            }
            landing.send(events);

            Process first = start(landing, "first");
            await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(100))
                    .until(() -> committed(landing) >= EVENTS / 5 || !first.isAlive());
            assertThat(first.isAlive()).as("the first instance is running when it is killed").isTrue();
            first.destroyForcibly().waitFor(); // SIGKILL: no shutdown, a batch possibly half written
            assertThat(committed(landing)).isLessThan(EVENTS);

            Process second = start(landing, "second");
            try {
                await().atMost(Duration.ofMinutes(4)).pollInterval(Duration.ofSeconds(1))
                        .until(() -> committed(landing) == EVENTS);
            } finally {
                second.destroy();
                second.waitFor();
            }
            Set<String> ids = new HashSet<>();
            Set<String> landedHours = new HashSet<>();
            for (Instant hour : hours) {
                List<String> inHour = landing.landedIds(hour);
                ids.addAll(inHour);
                if (!inHour.isEmpty()) {
                    landedHours.add(HourPartition.of(Landing.TYPE, hour).key());
                }
            }
            assertThat(ids).hasSize(EVENTS);
            assertThat(landedHours).hasSize(HOURS);
            Set<String> marked = landing.dirtyHourNotices().stream().map(DirtyHour::key).collect(Collectors.toSet());
            assertThat(marked).containsAll(landedHours);
        }
    }

    /** How many of the valid topic's records the service has committed. */
    static long committed(Landing landing) {
        return landing.infra.committedOffsets(landing.name);
    }

    /** The service's executable jar in its own JVM, as it runs in production. */
    static Process start(Landing landing, String name) throws IOException {
        Path jar;
        try (Stream<Path> files = Files.list(Path.of("target"))) {
            jar = files.filter(f -> f.getFileName().toString().matches("dedup-service-.*-exec\\.jar")).findFirst()
                    .orElseThrow(() -> new IllegalStateException("the dedup service's exec jar is not built (mvn package)"));
        }
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-XX:+UseSerialGC", "-jar", jar.toAbsolutePath().toString()));
        command.addAll(landing.arguments());
        Path log = Path.of("target", "dedup-" + landing.name + "-" + name + ".log");
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        Runtime.getRuntime().addShutdownHook(new Thread(process::destroyForcibly));
        return process;
    }
}
