package dev.sluice.spring.security;

import java.util.List;

/**
 * The users of the local mode, one or two per role, all with the password {@value #PASSWORD} (stored hashed here).
 * Outside the local mode a service refuses to start with them.
 */
public final class LocalUsers {

    public static final String PASSWORD = "sluice-local";
    /** bcrypt (cost 4: quick per request, and it only guards a laptop) of {@value #PASSWORD}. */
    static final String PASSWORD_HASH = "{bcrypt}$2a$04$bnWORRgNxEBZOxuPYD6lGuJ.LTmQSHzCuRpdemna85Q1/cyX40xRi";

    public static final List<SecurityProperties.User> USERS = List.of(
            user("admin", Roles.PLATFORM_ADMIN),
            user("dpo", Roles.DPO),
            user("dpo2", Roles.DPO),
            user("analyst", Roles.ANALYST),
            user("analyst2", Roles.ANALYST),
            user("privacy", Roles.PRIVACY_OPS));

    private LocalUsers() {
    }

    private static SecurityProperties.User user(String name, String role) {
        return new SecurityProperties.User(name, PASSWORD_HASH, List.of(role));
    }
}
