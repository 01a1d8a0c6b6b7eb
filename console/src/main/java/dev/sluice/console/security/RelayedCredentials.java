package dev.sluice.console.security;

import java.io.Serial;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * What the console sends to the services for a user signed in with a password: that user's own HTTP basic
 * credentials, so that each service applies its own rules to the person, not to the console. Kept in the user's
 * server-side session only (the cookie holds the session id); it is never rendered.
 */
public record RelayedCredentials(String authorization) implements Serializable {

    @Serial
    private static final long serialVersionUID = 1L;

    static RelayedCredentials basic(String user, String password) {
        return new RelayedCredentials("Basic " + Base64.getEncoder().encodeToString((user + ":" + password)
                .getBytes(StandardCharsets.UTF_8)));
    }

    @Override
    public String toString() {
        return "RelayedCredentials[hidden]";
    }
}
