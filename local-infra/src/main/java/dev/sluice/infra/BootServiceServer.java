package dev.sluice.infra;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One of Sluice's own Spring Boot services, run from its executable jar (found by {@link ServiceJar}) with
 * Boot's launcher, its settings as command-line arguments and its secrets in its environment, in the explicit local
 * mode (built-in users, which a deployed service refuses), ready when its readiness probe answers 200.
 */
abstract class BootServiceServer extends ManagedServer {

    private int port;

    BootServiceServer(Server server, ServerOptions options, Path home) {
        super(server, options, home);
    }

    /** The service's own settings (the port and address are added). */
    abstract List<String> settings();

    /** The path that answers 200 once the service is ready: the readiness group of platform-spring's services. */
    String readinessPath() {
        return "/actuator/health/readiness";
    }

    /** The service's secrets, as the environment variables it reads them from. */
    Map<String, String> secrets() {
        return Map.of();
    }

    @Override
    Map<String, String> processEnvironment() {
        Map<String, String> environment = new HashMap<>(secrets());
        environment.put("SLUICE_LOCAL_MODE", "true");
        return environment;
    }

    @Override
    void configure(List<Path> classpath) throws IOException {
        port = FreePorts.orPick(options.port());
        Files.createDirectories(conf());
    }

    @Override
    List<String> jvmOptions(List<Path> classpath) {
        return List.of(heapOption(), "-XX:+UseSerialGC");
    }

    /** Spring Boot's launcher for the executable jar; it finds the jar from its own code source. */
    @Override
    String mainClass() {
        return "org.springframework.boot.loader.launch.JarLauncher";
    }

    @Override
    List<String> arguments() {
        List<String> arguments = new ArrayList<>(List.of("--server.port=" + port, "--server.address=127.0.0.1",
                "--spring.main.banner-mode=off"));
        arguments.addAll(settings());
        options.config().forEach((key, value) -> arguments.add("--" + key + "=" + value));
        return arguments;
    }

    @Override
    boolean isReady() {
        return httpStatus(endpoint() + readinessPath()) == 200;
    }

    @Override
    String endpoint() {
        return "http://127.0.0.1:" + port;
    }

    @Override
    int clientPort() {
        return port;
    }
}
