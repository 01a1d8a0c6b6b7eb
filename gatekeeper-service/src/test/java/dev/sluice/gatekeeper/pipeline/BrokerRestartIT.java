package dev.sluice.gatekeeper.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.sluice.gatekeeper.pipeline.Pipeline.Output;
import dev.sluice.infra.LocalInfra;
import dev.sluice.infra.Server;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;

/** The broker restarted in the middle of a stream: every input still appears exactly once. */
class BrokerRestartIT {

    static final int EVENTS = 30_000;

    @Test
    void aBrokerRestartMidStreamNeitherLosesNorDuplicates() throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort(); // fixed for both runs of the broker, so that clients find it again
        }
        Path directory = Path.of("target", "local-infra", "broker-restart-" + ProcessHandle.current().pid());
        try (LocalInfra infra = LocalInfra.builder().directory(directory).keepData(true).port(Server.KAFKA, port).build()
                .start(Server.KAFKA, Server.SCHEMA_REGISTRY)) {
            Pipeline pipeline = new Pipeline(infra);
            pipeline.sendJson(Pipeline.stream(EVENTS));
            try (ConfigurableApplicationContext gatekeeper = pipeline.startInJvm()) {
                await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(100))
                        .until(() -> pipeline.committed() >= EVENTS / 10);
                infra.stop(Server.KAFKA);
                infra.start(Server.KAFKA);

                Output output = pipeline.readAll(EVENTS, Duration.ofMinutes(4));

                assertThat(output.size()).as("valid + rejected").isEqualTo(EVENTS);
                output.assertEachOnce();
                assertThat(output.valid).hasSize(EVENTS / 10 * 9);
                assertThat(output.rejected).hasSize(EVENTS / 10);
            }
        }
    }
}
