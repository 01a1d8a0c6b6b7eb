package dev.sluice.infra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/**
 * The foreground command in its own JVM, as {@code ./sluice run} starts it: its servers must not outlive it,
 * whether it is stopped with Ctrl-C or killed outright.
 */
class NoOrphansIT {

    @Test
    void ctrlCStopsTheServers() throws Exception {
        Path directory = Path.of("target", "local-infra", "ctrl-c-" + ProcessHandle.current().pid()).toAbsolutePath();
        Process command = startCommand(directory);
        long serverPid = awaitServerPid(directory, command);

        new ProcessBuilder("kill", "-INT", Long.toString(command.pid())).inheritIO().start().waitFor();

        await().atMost(Duration.ofSeconds(60)).until(() -> !command.isAlive());
        assertThat(ProcessHandle.of(serverPid).map(ProcessHandle::isAlive).orElse(false)).isFalse();
        assertThat(Files.readString(output(directory))).contains("Stopping the servers");
        assertThat(directory.resolve("endpoints.properties")).doesNotExist();
        assertThat(directory.resolve("s3").resolve("server.log")).exists();
    }

    @Test
    void killingTheParentWithSigkillStillStopsTheServers() throws Exception {
        Path directory = Path.of("target", "local-infra", "kill-9-" + ProcessHandle.current().pid()).toAbsolutePath();
        Process command = startCommand(directory);
        long serverPid = awaitServerPid(directory, command);

        command.destroyForcibly().waitFor();

        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250)).until(() ->
                !ProcessHandle.of(serverPid).map(ProcessHandle::isAlive).orElse(false));
        assertThat(Files.readString(directory.resolve("s3").resolve("server.log"))).contains("parent process");
    }

    private static Process startCommand(Path directory) throws IOException {
        Files.createDirectories(directory.getParent());
        // A test run started from a script's background job inherits SIGINT as ignored, and the JVM then leaves
        // it ignored: reset it, as an interactive terminal would have it.
        List<String> command = new ArrayList<>(List.of("env", "--default-signal=INT",
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx128m"));
        for (String property : List.of("sluice.infra.maven", "sluice.infra.classpath-cache", "maven.repo.local")) {
            if (System.getProperty(property) != null) {
                command.add("-D" + property + "=" + System.getProperty(property));
            }
        }
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), LocalInfraCommand.class.getName(),
                "--servers", "s3", "--dir", directory.toString()));
        Process process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(output(directory).toFile()).start();
        Runtime.getRuntime().addShutdownHook(new Thread(process::destroyForcibly));
        return process;
    }

    /** Beside the directory, which the command wipes at start. */
    private static Path output(Path directory) {
        return directory.resolveSibling(directory.getFileName() + ".out");
    }

    private static long awaitServerPid(Path directory, Process command) {
        Path endpoints = directory.resolve("endpoints.properties");
        await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(250)).until(() ->
                Files.exists(endpoints) || !command.isAlive());
        assertThat(command.isAlive()).as("the command is running").isTrue();
        Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(endpoints)) {
            properties.load(reader);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        long pid = Long.parseLong(properties.getProperty("pid.s3"));
        assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)).isTrue();
        return pid;
    }
}
