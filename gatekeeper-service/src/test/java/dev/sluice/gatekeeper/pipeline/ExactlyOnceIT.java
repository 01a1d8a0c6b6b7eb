package dev.sluice.gatekeeper.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.sluice.gatekeeper.pipeline.Pipeline.Output;
import dev.sluice.infra.LocalInfra;
import dev.sluice.infra.Server;
import dev.sluice.infra.junit.LocalInfraTest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The gatekeeper process killed with SIGKILL in the middle of 100 000 events and started again: for a
 * read_committed reader every input appears exactly once, as valid Avro or as a rejection.
 */
@LocalInfraTest(Server.SCHEMA_REGISTRY)
class ExactlyOnceIT {

    static final int EVENTS = 100_000;

    @Test
    void sigkillMidStreamNeitherLosesNorDuplicates(LocalInfra infra) throws Exception {
        Pipeline pipeline = new Pipeline(infra);
        pipeline.sendJson(Pipeline.stream(EVENTS));

        Process first = startProcess(pipeline, "first");
        await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(200))
                .until(() -> pipeline.committed() >= EVENTS / 5 || !first.isAlive());
        assertThat(first.isAlive()).as("the first gatekeeper is running when it is killed").isTrue();
        long committedAtKill = pipeline.committed();
        first.destroyForcibly().waitFor(); // SIGKILL: no shutdown hook, an open transaction left behind

        Process second = startProcess(pipeline, "second");
        try {
            Output output = pipeline.readAll(EVENTS, Duration.ofMinutes(4));
            assertThat(committedAtKill).isLessThan(EVENTS);
            assertThat(output.size()).as("valid + rejected; %s", output.size() == EVENTS ? "" : pipeline.diagnose())
                    .isEqualTo(EVENTS);
            output.assertEachOnce();
            assertThat(output.valid).hasSize(EVENTS / 10 * 9);
            assertThat(output.rejected).hasSize(EVENTS / 10);
        } finally {
            second.destroy();
            second.waitFor();
        }
    }

    /** The service's executable jar in its own JVM, as it runs in production. */
    static Process startProcess(Pipeline pipeline, String name) throws IOException {
        Path jar;
        try (Stream<Path> files = Files.list(Path.of("target"))) {
            jar = files.filter(f -> f.getFileName().toString().matches("gatekeeper-service-.*-exec\\.jar")).findFirst()
                    .orElseThrow(() -> new IllegalStateException("the gatekeeper's exec jar is not built (mvn package)"));
        }
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-XX:+UseSerialGC", "-jar", jar.toAbsolutePath().toString()));
        // one transactional id for both: the second incarnation aborts what the first left open
        command.addAll(pipeline.arguments(pipeline.name + "-process"));
        Path log = Path.of("target", "gatekeeper-" + pipeline.name + "-" + name + ".log");
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        Runtime.getRuntime().addShutdownHook(new Thread(process::destroyForcibly));
        return process;
    }
}
