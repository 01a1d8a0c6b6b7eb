package dev.sluice.lake;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The packages that spark-submit adds to a cluster's Spark distribution (the pom's {@code spark.packages}) are the
 * jobs' own dependencies at the versions the jobs are built and tested with, and the README's command names them.
 */
class SparkPackagesTest {

    static final List<String> PACKAGES = List.of(System.getProperty("spark.packages").split(","));

    @Test
    void everyPackageIsOnTheJobsClasspathAtTheSameVersion() {
        List<String> classpath = Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
                .map(entry -> entry.replace(File.separatorChar, '/')).toList();
        assertThat(PACKAGES).hasSizeGreaterThanOrEqualTo(8).allSatisfy(coordinate -> {
            String[] parts = coordinate.split(":");
            assertThat(parts).as(coordinate).hasSize(3);
            String jar = "/" + parts[0].replace('.', '/') + "/" + parts[1] + "/" + parts[2] + "/" + parts[1] + "-"
                    + parts[2] + ".jar";
            assertThat(classpath).as(coordinate).anySatisfy(entry -> assertThat(entry).endsWith(jar));
        });
    }

    @Test
    void theReadmesSparkSubmitCommandNamesThem() throws IOException {
        String readme = Files.readString(Path.of("README.md"));
        assertThat(readme).contains("--packages " + String.join(",", PACKAGES) + " ");
    }
}
