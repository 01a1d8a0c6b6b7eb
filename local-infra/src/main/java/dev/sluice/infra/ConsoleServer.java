package dev.sluice.infra;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Sluice's web console, from its executable jar, calling this set's governance and privacy-requests services as the
 * signed-in local user (the local mode's users, password {@code sluice-local}).
 */
final class ConsoleServer extends BootServiceServer {

    private final String governanceUrl;
    private final String privacyUrl;

    ConsoleServer(ServerOptions options, Path home, String governanceUrl, String privacyUrl) {
        super(Server.CONSOLE, options, home);
        this.governanceUrl = governanceUrl;
        this.privacyUrl = privacyUrl;
    }

    static Path jar() {
        return ServiceJar.find(Server.CONSOLE, "console", "-exec");
    }

    @Override
    List<String> settings() {
        return List.of("--sluice.console.governance-url=" + governanceUrl, "--sluice.console.privacy-url=" + privacyUrl);
    }

    @Override
    Map<String, String> springProperties() {
        return Map.of("sluice.console.url", endpoint());
    }

    @Override
    Map<String, String> environment() {
        return Map.of("CONSOLE_URL", endpoint());
    }
}
