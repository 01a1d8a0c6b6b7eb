package dev.sluice.infra;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.Properties;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Runs the servers in the foreground for the local run: prints their endpoints, writes them to
 * {@code <directory>/endpoints.properties}, and stops them on Ctrl-C.
 *
 * <pre>
 * LocalInfraCommand [--servers kafka,cassandra,s3] [--dir .sluice/local] [--keep]
 * </pre>
 */
public final class LocalInfraCommand {

    private static volatile boolean stopping;

    private LocalInfraCommand() {
    }

    public static void main(String[] args) throws Exception {
        Set<Server> servers = EnumSet.allOf(Server.class);
        Path demo = null;
        LocalInfra.Builder builder = LocalInfra.builder();
        if (Setting.of("sluice.infra.directory").value().isEmpty()) {
            builder.directory(Path.of(".sluice", "local"));
        }
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--servers" -> servers = Arrays.stream(args[++i].split(",")).map(Server::fromId)
                        .collect(Collectors.toCollection(() -> EnumSet.noneOf(Server.class)));
                case "--dir" -> builder.directory(Path.of(args[++i]));
                case "--keep" -> builder.keepData(true);
                case "--demo" -> demo = Path.of(args[++i]);
                default -> {
                    System.err.println("usage: LocalInfraCommand [--servers kafka,cassandra,s3,schema-registry,gatekeeper,dedup,datapump,catalog,governance,privacy,console] [--dir DIR] [--keep]"
                            + " [--demo DIR]");
                    System.exit(2);
                }
            }
        }
        LocalInfra infra = builder.build();
        System.out.println("Starting " + servers.stream().map(Server::id).collect(Collectors.joining(", "))
                + " in " + infra.directory() + " ...");
        long started = System.nanoTime();
        try {
            infra.start(servers);
        } catch (RuntimeException e) {
            System.err.println(e.getMessage());
            infra.close();
            System.exit(1);
        }
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            stopping = true;
            System.out.println("Stopping the servers ...");
            // nobody should find endpoints of servers that are going away
            infra.directory().resolve("endpoints.properties").toFile().delete();
        }));
        printEndpoints(infra, (System.nanoTime() - started) / 1_000_000);
        if (demo != null) {
            Demo.run(infra, demo);
        }
        if (infra.isRunning(Server.CONSOLE)) {
            printConsole(infra);
        }
        writeEndpoints(infra);
        watch(infra, servers);
    }

    private static void printEndpoints(LocalInfra infra, long millis) {
        StringBuilder out = new StringBuilder(String.format("%nSluice local infrastructure is up in %.1f s:%n", millis / 1000.0));
        infra.endpoints().forEach((server, endpoint) -> out.append(String.format("  %-16s %-32s pid %-8d ready in %4.1f s   log %s%n",
                server.id(), endpoint, infra.pid(server), infra.startupTime(server).toMillis() / 1000.0, infra.log(server))));
        out.append(String.format("%nEnvironment for the services:%n"));
        infra.environment().forEach((name, value) -> out.append("  export ").append(name).append('=').append(value).append('\n'));
        out.append(String.format("%nEndpoints also in %s. Press Ctrl-C to stop.%n", infra.directory().resolve("endpoints.properties")));
        System.out.print(out);
    }

    /** Where the console is and who may sign in to it. */
    private static void printConsole(LocalInfra infra) {
        StringBuilder out = new StringBuilder(String.format("%nThe console: %s/%nSign in as one of the local users, "
                + "password %s:%n", infra.consoleUrl(), LocalInfra.LOCAL_PASSWORD));
        LocalInfra.LOCAL_USERS.forEach((user, role) -> out.append(String.format("  %-9s %s%n", user, role)));
        System.out.print(out);
    }

    private static void writeEndpoints(LocalInfra infra) throws IOException {
        Properties properties = new Properties();
        properties.putAll(infra.springProperties());
        properties.putAll(infra.environment());
        infra.endpoints().keySet().forEach(server ->
                properties.put("pid." + server.id(), Long.toString(infra.pid(server))));
        // written beside and moved into place, so a reader polling for the file never sees half of it
        Path file = infra.directory().resolve("endpoints.properties");
        Path partial = infra.directory().resolve("endpoints.properties.partial");
        try (var out = Files.newBufferedWriter(partial)) {
            properties.store(out, "endpoints of the running local-infra servers");
        }
        Files.move(partial, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /** Exits (stopping the rest) if a server dies, so that a broken run does not look healthy. */
    private static void watch(LocalInfra infra, Set<Server> servers) throws InterruptedException {
        while (true) {
            Thread.sleep(1000);
            for (Server server : servers) {
                if (!stopping && !infra.isRunning(server)) {
                    System.err.println(server.id() + " stopped unexpectedly; see " + infra.log(server));
                    System.exit(1);
                }
            }
        }
    }
}
