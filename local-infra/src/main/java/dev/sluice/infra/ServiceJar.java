package dev.sluice.infra;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Finds the executable jar of one of Sluice's own services: the one named by {@code SLUICE_INFRA_<SERVER>_JAR},
 * else one on the test classpath (a module whose tests need the service depends on it, so the reactor builds it
 * first), else {@code <module>/target/<module>-*<suffix>.jar} of the checkout the JVM runs in.
 */
final class ServiceJar {

    private ServiceJar() {
    }

    /** @param suffix what the executable jar's name ends with before {@code .jar}: "" or "-exec" */
    static Path find(Server server, String module, String suffix) {
        Setting setting = Setting.of(server, "jar");
        Optional<Path> configured = setting.value().map(Path::of);
        if (configured.isPresent()) {
            if (!Files.isRegularFile(configured.get())) {
                throw new IllegalStateException(setting.environmentVariable() + " names " + configured.get()
                        + ", which is not a file");
            }
            return configured.get();
        }
        String pattern = module + "-[0-9].*" + suffix + "\\.jar";
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            Path path = Path.of(entry);
            if (path.getFileName() != null && path.getFileName().toString().matches(pattern) && Files.isRegularFile(path)) {
                return path.toAbsolutePath();
            }
        }
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path target = dir.resolve(module).resolve("target");
            if (Files.isDirectory(target)) {
                try (Stream<Path> files = Files.list(target)) {
                    Optional<Path> built = files.filter(f -> f.getFileName().toString().matches(pattern)).findFirst();
                    if (built.isPresent()) {
                        return built.get();
                    }
                } catch (IOException e) {
                    // keep looking further up
                }
            }
        }
        throw new IllegalStateException("the " + module + " jar is not built: run ./mvnw -pl " + module
                + " -am package -DskipTests (./sluice run does), or set " + setting.environmentVariable());
    }
}
