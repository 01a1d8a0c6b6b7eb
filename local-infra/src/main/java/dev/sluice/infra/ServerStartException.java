package dev.sluice.infra;

import java.nio.file.Path;

/** A server did not come up. The message names the server and its log, and quotes the end of the log. */
public class ServerStartException extends RuntimeException {

    private final Server server;
    private final Path log;

    ServerStartException(Server server, Path log, String reason, Throwable cause) {
        super(message(server, log, reason), cause);
        this.server = server;
        this.log = log;
    }

    private static String message(Server server, Path log, String reason) {
        StringBuilder message = new StringBuilder(server.id()).append(" did not start: ").append(reason)
                .append("\n  log: ").append(log).append('\n');
        var problems = LogTail.problems(log, 10);
        if (!problems.isEmpty()) {
            message.append("  errors in the log:\n").append(String.join("\n", problems).indent(4));
        }
        return message.append("  last lines of the log:\n").append(LogTail.of(log, 25).indent(4)).toString();
    }

    public Server server() {
        return server;
    }

    public Path log() {
        return log;
    }
}
