package dev.sluice.spring.security;

import java.util.ArrayList;
import java.util.List;
import org.springframework.security.crypto.factory.PasswordEncoderFactories;
import org.springframework.security.crypto.password.PasswordEncoder;

/**
 * No default secret in a deployed service: outside the explicit local mode a service refuses to start with a
 * built-in password, a plain-text one, an empty one, or with no way in at all; the message says what to set.
 */
public final class CredentialPolicy {

    private static final PasswordEncoder ENCODER = PasswordEncoderFactories.createDelegatingPasswordEncoder();

    private CredentialPolicy() {
    }

    /**
     * Checks configured users, as a service's settings name them ({@code setting}, e.g. {@code sluice.security.users}).
     *
     * @throws IllegalStateException with what is wrong and what to set
     */
    public static void checkUsers(String setting, List<SecurityProperties.User> users, boolean localMode) {
        if (localMode) {
            return;
        }
        List<String> problems = new ArrayList<>();
        for (int i = 0; i < users.size(); i++) {
            SecurityProperties.User user = users.get(i);
            String where = setting + "[" + i + "] (" + user.name() + ")";
            String password = user.password();
            if (user.name() == null || user.name().isBlank()) {
                problems.add(setting + "[" + i + "] has no name");
            }
            if (password == null || password.isBlank()) {
                problems.add(where + " has no password");
            } else if (!password.startsWith("{") || password.startsWith("{noop}")) {
                problems.add(where + " has a plain-text password: give it hashed, e.g. {bcrypt}$2a$10$...");
            } else if (isBuiltIn(password)) {
                problems.add(where + " has the built-in local password '" + LocalUsers.PASSWORD + "'");
            }
        }
        if (!problems.isEmpty()) {
            throw new IllegalStateException("refusing to start outside the local mode: " + String.join("; ", problems)
                    + ". Set each user's password to a hash of your own ({bcrypt}..., e.g. from `htpasswd -bnBC 10 \"\" "
                    + "<password>`), by environment or a mounted file, or set SLUICE_LOCAL_MODE=true on a laptop.");
        }
    }

    /** A service needs a way in: configured users or a JWT issuer. */
    public static void checkService(SecurityProperties properties) {
        checkService(properties, false);
    }

    /** @param decoderProvided a JWT decoder is given as a bean (an embedding application, a test) */
    public static void checkService(SecurityProperties properties, boolean decoderProvided) {
        if (properties.localMode()) {
            return;
        }
        if (properties.users().isEmpty() && !properties.jwt().configured() && !decoderProvided) {
            throw new IllegalStateException("refusing to start outside the local mode without credentials: the built-in "
                    + "local users are for SLUICE_LOCAL_MODE=true only. Set SLUICE_SECURITY_JWT_ISSUER_URI (or "
                    + "SLUICE_SECURITY_JWT_JWK_SET_URI) for OAuth2 tokens, or configure users with hashed passwords "
                    + "(SLUICE_SECURITY_USERS_0_NAME, SLUICE_SECURITY_USERS_0_PASSWORD={bcrypt}..., "
                    + "SLUICE_SECURITY_USERS_0_ROLES=PLATFORM_ADMIN).");
        }
        checkUsers("sluice.security.users", properties.users(), false);
    }

    private static boolean isBuiltIn(String encoded) {
        try {
            return ENCODER.matches(LocalUsers.PASSWORD, encoded);
        } catch (IllegalArgumentException e) {
            return false; // an encoding the delegating encoder does not know: not ours either
        }
    }
}
