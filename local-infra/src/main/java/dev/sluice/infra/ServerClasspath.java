package dev.sluice.infra;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The jars of a server, resolved by Maven from a small pom that ships in this jar ({@code servers/<id>.pom.xml},
 * filled with the versions of the root pom at build time). The pom does not inherit Spring Boot's dependency
 * management, which would replace the servers' own netty, logback or Jackson versions.
 *
 * <p>Resolution runs {@code mvn dependency:build-classpath} once per pom content; the result is cached in
 * {@code ~/.cache/sluice/classpath} and reused while every jar it names still exists.
 */
final class ServerClasspath {

    private static final String DEPENDENCY_PLUGIN = "org.apache.maven.plugins:maven-dependency-plugin:3.9.0";
    private static final long RESOLVE_TIMEOUT_MINUTES = 15;

    private ServerClasspath() {
    }

    static List<Path> resolve(Server server, Path logDir) {
        String pom = ManagedServer.resource("servers/" + server.id() + ".pom.xml");
        Path cacheDir = Path.of(Setting.of("sluice.infra.classpath-cache")
                .or(Path.of(System.getProperty("user.home"), ".cache", "sluice", "classpath").toString()));
        Path cached = cacheDir.resolve(server.id() + "-" + sha256(pom).substring(0, 16) + ".classpath");
        List<Path> jars = read(cached);
        if (jars.isEmpty() || !jars.stream().allMatch(Files::isRegularFile)) {
            runMaven(server, pom, cached, logDir.resolve(server.id() + "-classpath.log"));
            jars = read(cached);
        }
        return jars;
    }

    private static void runMaven(Server server, String pom, Path target, Path log) {
        try {
            Files.createDirectories(target.getParent());
            Files.createDirectories(log.getParent());
            Path work = Files.createTempDirectory(target.getParent(), server.id() + "-resolve-");
            Path pomFile = work.resolve("pom.xml");
            Files.writeString(pomFile, pom);
            Path output = work.resolve("classpath.txt");
            List<String> command = new ArrayList<>(List.of(mavenCommand(), "-B", "-q", "-Dstyle.color=never",
                    "-f", pomFile.toString(), DEPENDENCY_PLUGIN + ":build-classpath",
                    "-Dmdep.outputFile=" + output));
            String localRepo = System.getProperty("maven.repo.local");
            if (localRepo != null) {
                command.add("-Dmaven.repo.local=" + localRepo);
            }
            Process maven = new ProcessBuilder(command).directory(work.toFile())
                    .redirectErrorStream(true).redirectOutput(log.toFile()).start();
            if (!maven.waitFor(RESOLVE_TIMEOUT_MINUTES, TimeUnit.MINUTES)) {
                maven.destroyForcibly();
                throw new ServerStartException(server, log, "resolving its jars with Maven timed out", null);
            }
            if (maven.exitValue() != 0 || !Files.exists(output)) {
                throw new ServerStartException(server, log,
                        "resolving its jars with Maven failed (" + String.join(" ", command) + ")", null);
            }
            // atomic: a concurrent run sees either no cache entry or a complete one
            Files.move(output, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            Files.deleteIfExists(pomFile);
            Files.deleteIfExists(work);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot resolve the classpath of " + server.id(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while resolving the classpath of " + server.id(), e);
        }
    }

    /** The Maven to run: configured, else the build's own wrapper (found upwards from here), else mvn on the PATH. */
    static String mavenCommand() {
        var configured = Setting.of("sluice.infra.maven").value();
        if (configured.isPresent()) {
            return configured.get();
        }
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path wrapper = dir.resolve("mvnw");
            if (Files.isExecutable(wrapper) && Files.exists(dir.resolve(".mvn"))) {
                return wrapper.toString();
            }
        }
        return "mvn";
    }

    private static List<Path> read(Path classpathFile) {
        if (!Files.isRegularFile(classpathFile)) {
            return List.of();
        }
        try {
            String text = Files.readString(classpathFile).trim();
            return text.isEmpty() ? List.of()
                    : Arrays.stream(text.split(java.io.File.pathSeparator)).map(Path::of).toList();
        } catch (IOException e) {
            return List.of();
        }
    }

    private static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
