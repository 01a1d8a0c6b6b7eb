package dev.sluice.infra;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/** One server running in its own child JVM: launched, waited for, stopped gracefully, then killed if need be. */
final class ServerProcess implements RunningServer {

    private static final int MAX_ATTEMPTS = 3;

    private final ManagedServer server;
    private final Process process;
    private final Duration startupTime;

    private ServerProcess(ManagedServer server, Process process, Duration startupTime) {
        this.server = server;
        this.process = process;
        this.startupTime = startupTime;
    }

    /**
     * Starts the server and waits until it is ready. With automatic ports, a port taken between choosing it and
     * binding it (another run on the machine) is retried with new ports; with a fixed port it is an error.
     */
    static ServerProcess start(ManagedServer server, List<Path> classpath, Path launcherDir, Path javaHome,
                               Duration timeout) {
        for (int attempt = 1; ; attempt++) {
            Instant started = Instant.now();
            Process process = launch(server, classpath, launcherDir, javaHome);
            try {
                server.awaitReady(process::isAlive, () -> "its JVM exited with code " + process.exitValue(), timeout);
                return new ServerProcess(server, process, Duration.between(started, Instant.now()));
            } catch (ServerStartException e) {
                stop(process, Duration.ofSeconds(10));
                boolean portRace = server.options.port() == 0 && LogTail.of(server.log(), 200)
                        .contains("Address already in use");
                if (!portRace || attempt == MAX_ATTEMPTS) {
                    throw e;
                }
            }
        }
    }

    private static Process launch(ManagedServer server, List<Path> classpath, Path launcherDir, Path javaHome) {
        try {
            Files.createDirectories(server.data());
            server.configure(classpath);
            List<String> command = new ArrayList<>(server.commandPrefix());
            command.add(javaHome.resolve("bin").resolve("java").toString());
            command.addAll(server.jvmOptions(classpath));
            command.add("-cp");
            command.add(launcherDir + java.io.File.pathSeparator
                    + classpath.stream().map(Path::toString).collect(Collectors.joining(java.io.File.pathSeparator)));
            command.add("dev.sluice.infra.launch.ChildMain");
            command.add(Long.toString(ProcessHandle.current().pid()));
            command.add(server.mainClass());
            command.addAll(server.arguments());
            Files.writeString(server.log(), LogTail.START_BANNER + server.server.id() + " at " + Instant.now()
                    + " (" + server.endpoint() + ")\n", StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            ProcessBuilder builder = new ProcessBuilder(command)
                    .directory(server.home.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(server.log().toFile()));
            builder.environment().putAll(server.processEnvironment());
            return builder.start();
        } catch (IOException e) {
            throw new ServerStartException(server.server, server.log(), "could not launch its JVM: " + e.getMessage(), e);
        }
    }

    /** SIGTERM first so that the server's shutdown hooks run, SIGKILL after the grace period. */
    @Override
    public void stop(Duration grace) {
        stop(process, grace);
    }

    private static void stop(Process process, Duration grace) {
        if (!process.isAlive()) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }

    @Override
    public ManagedServer server() {
        return server;
    }

    @Override
    public long pid() {
        return process.pid();
    }

    @Override
    public boolean isAlive() {
        return process.isAlive();
    }

    @Override
    public Duration startupTime() {
        return startupTime;
    }
}
