package dev.sluice.infra;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LogTailTest {

    @TempDir
    Path dir;

    @Test
    void lastLinesOfALargeLog() throws Exception {
        Path log = dir.resolve("server.log");
        Files.writeString(log, IntStream.range(0, 100_000).mapToObj(i -> "line " + i).collect(Collectors.joining("\n")) + "\n");
        assertThat(LogTail.of(log, 3)).isEqualTo("line 99997\nline 99998\nline 99999");
    }

    @Test
    void missingOrEmptyLogSaysSo() throws Exception {
        assertThat(LogTail.of(dir.resolve("none.log"), 5)).isEqualTo("(no log written yet)");
        Path empty = Files.createFile(dir.resolve("empty.log"));
        assertThat(LogTail.of(empty, 5)).isEqualTo("(log is empty)");
    }

    @Test
    void problemsAreTheErrorLinesOfTheLastStartOnly() throws Exception {
        Path log = dir.resolve("server.log");
        Files.writeString(log, String.join("\n",
                LogTail.START_BANNER + "kafka at 10:00",
                "ERROR an error of the previous run",
                LogTail.START_BANNER + "kafka at 11:00",
                "INFO starting",
                "Exception in thread \"main\" java.lang.RuntimeException: Invalid cluster.id",
                "\tat kafka.Kafka.main(Kafka.scala:1)",
                "Caused by: java.io.IOException: disk full",
                "INFO bye"));

        assertThat(LogTail.problems(log, 10)).containsExactly(
                "Exception in thread \"main\" java.lang.RuntimeException: Invalid cluster.id",
                "Caused by: java.io.IOException: disk full");
        assertThat(LogTail.of(log, 100)).startsWith(LogTail.START_BANNER + "kafka at 11:00");
    }
}
