package dev.sluice.infra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** A server that cannot start fails fast with an error that names it, points at its log and quotes the log. */
class FailedStartIT {

    @Test
    void portAlreadyTaken() throws Exception {
        Path directory = Path.of("target", "local-infra", "port-taken-" + ProcessHandle.current().pid());
        try (ServerSocket taken = new ServerSocket()) {
            taken.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            try (LocalInfra infra = LocalInfra.builder().directory(directory).port(Server.KAFKA, taken.getLocalPort())
                    .build()) {
                assertThatThrownBy(() -> infra.start(Server.KAFKA))
                        .isInstanceOfSatisfying(ServerStartException.class, e -> {
                            assertThat(e.server()).isEqualTo(Server.KAFKA);
                            assertThat(e.log()).isEqualTo(infra.log(Server.KAFKA));
                            assertThat(e.getMessage()).startsWith("kafka did not start")
                                    .contains(infra.log(Server.KAFKA).toString())
                                    .contains("Address already in use");
                        });
                assertThat(infra.isRunning(Server.KAFKA)).isFalse();
            }
        }
        assertThat(serverProcessesUnder(directory)).isZero();
    }

    @Test
    void corruptConfiguration() {
        Path directory = Path.of("target", "local-infra", "corrupt-" + ProcessHandle.current().pid());
        try (LocalInfra infra = LocalInfra.builder().directory(directory)
                .config(Server.CASSANDRA, "num_tokens", "not-a-number").build()) {
            assertThatThrownBy(() -> infra.start(Server.CASSANDRA))
                    .isInstanceOfSatisfying(ServerStartException.class, e -> {
                        assertThat(e.server()).isEqualTo(Server.CASSANDRA);
                        assertThat(e.getMessage()).startsWith("cassandra did not start")
                                .contains("exited with code")
                                .contains(infra.log(Server.CASSANDRA).toString())
                                .contains("Invalid yaml")
                                .contains("num_tokens");
                    });
        }
        assertThat(serverProcessesUnder(directory)).isZero();
    }

    private static long serverProcessesUnder(Path directory) {
        String marker = directory.toAbsolutePath().toString();
        return ProcessHandle.allProcesses()
                .filter(p -> p.info().commandLine().map(c -> c.contains(marker)).orElse(false))
                .count();
    }
}
