package dev.sluice.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The deployment zip (built by the package phase, before this test) is enough on its own: a JVM with only its jars
 * constructs the handler as the Lambda runtime does and handles an event.
 */
class LambdaZipIT {

    @Test
    void theHandlerRunsFromTheZipAlone(@TempDir Path directory) throws Exception {
        Path zip;
        try (Stream<Path> files = Files.list(Path.of("target"))) {
            zip = files.filter(f -> f.getFileName().toString().endsWith("-lambda.zip")).findFirst().orElseThrow();
        }
        assertThat(Files.size(zip)).as("Lambda's limit for a zip uploaded directly").isLessThan(50L * 1024 * 1024);
        unzip(zip, directory);
        Path check = directory.resolve("ZipCheck.java");
        try (InputStream source = getClass().getResourceAsStream("/lambda-zip/ZipCheck.java")) {
            Files.copy(source, check);
        }
        ProcessBuilder launcher = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", directory.resolve("lib") + "/*", check.toString()).redirectErrorStream(true);
        launcher.environment().putAll(Map.of("AWS_REGION", "us-east-1", "AWS_ACCESS_KEY_ID", "unused",
                "AWS_SECRET_ACCESS_KEY", "unused"));
        Process process = launcher.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(output).isZero();
        assertThat(output.lines().toList()).as(output).contains("{ignored=1}");
        assertThat(directory.resolve("lib")).isDirectoryContaining("glob:**/catalog-lambda-*.jar")
                .isDirectoryNotContaining("glob:**/kafka-clients-*.jar");
    }

    static void unzip(Path zip, Path directory) throws IOException {
        try (ZipInputStream in = new ZipInputStream(Files.newInputStream(zip))) {
            for (ZipEntry entry = in.getNextEntry(); entry != null; entry = in.getNextEntry()) {
                Path target = directory.resolve(entry.getName()).normalize();
                if (!target.startsWith(directory)) {
                    throw new IOException("entry outside the zip's directory: " + entry.getName());
                }
                if (entry.isDirectory()) {
                    Files.createDirectories(target);
                } else {
                    Files.createDirectories(target.getParent());
                    Files.copy(in, target);
                }
            }
        }
    }
}
