package dev.sluice.infra;

import com.github.dockerjava.api.model.ExposedPort;
import com.github.dockerjava.api.model.HostConfig;
import com.github.dockerjava.api.model.PortBinding;
import com.github.dockerjava.api.model.Ports;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.Container;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.output.OutputFrame;
import org.testcontainers.utility.DockerImageName;

/**
 * A third-party server in a container of its official image ({@link ContainerSpec}), published on the port local-infra
 * chose, its output appended to the server's log, ready when the server's own readiness probe says so (the same as
 * for a child process). Not exercised in CI: no machine here has a Docker engine.
 */
final class ServerContainer implements RunningServer {

    private final ManagedServer server;
    private final GenericContainer<?> container;
    private final Duration startupTime;

    private ServerContainer(ManagedServer server, GenericContainer<?> container, Duration startupTime) {
        this.server = server;
        this.container = container;
        this.startupTime = startupTime;
    }

    static ServerContainer start(ManagedServer server, Duration timeout) {
        if (!DockerClientFactory.instance().isDockerAvailable()) {
            throw new ServerStartException(server.server, server.log(), ServerRuntime.SETTING.environmentVariable()
                    + "=containers needs a Docker engine, and Testcontainers found none (unset it to run the servers"
                    + " as child processes)", null);
        }
        try {
            server.configure(List.of());
            Files.createDirectories(server.log().getParent());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ContainerSpec spec = ContainerSpec.of(server);
        GenericContainer<?> container = new GenericContainer<>(DockerImageName.parse(spec.image()))
                .withEnv(spec.environment())
                .withExposedPorts(spec.containerPort())
                // the port local-infra chose, on the loopback, instead of a random one (the rest of Testcontainers'
                // host configuration stays)
                .withCreateContainerCmdModifier(cmd -> cmd.withHostConfig((cmd.getHostConfig() != null
                        ? cmd.getHostConfig() : HostConfig.newHostConfig()).withPortBindings(
                        new PortBinding(Ports.Binding.bindIpAndPort("127.0.0.1", spec.hostPort()),
                                new ExposedPort(spec.containerPort())))))
                .withLogConsumer(frame -> append(server, frame))
                .withStartupTimeout(timeout);
        if (!spec.command().isEmpty()) {
            container.withCommand(spec.command().toArray(String[]::new));
        }
        Instant started = Instant.now();
        container.start();
        try {
            server.awaitReady(container::isRunning, () -> "its container stopped", timeout);
            for (List<String> command : spec.setup()) {
                Container.ExecResult result = container.execInContainer(command.toArray(String[]::new));
                if (result.getExitCode() != 0) {
                    throw new ServerStartException(server.server, server.log(), String.join(" ", command) + " failed: "
                            + result.getStderr(), null);
                }
            }
        } catch (IOException e) {
            container.stop();
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            container.stop();
            throw new ServerStartException(server.server, server.log(), "interrupted while setting it up", e);
        } catch (RuntimeException e) {
            container.stop();
            throw e;
        }
        return new ServerContainer(server, container, Duration.between(started, Instant.now()));
    }

    private static void append(ManagedServer server, OutputFrame frame) {
        try {
            Files.writeString(server.log(), frame.getUtf8String(), StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND);
        } catch (IOException e) {
            // the log is for people; the server goes on
        }
    }

    @Override
    public ManagedServer server() {
        return server;
    }

    @Override
    public boolean isAlive() {
        return container.isRunning();
    }

    @Override
    public long pid() {
        return container.getContainerInfo().getState().getPidLong();
    }

    @Override
    public Duration startupTime() {
        return startupTime;
    }

    @Override
    public void stop(Duration grace) {
        container.stop();
    }
}
