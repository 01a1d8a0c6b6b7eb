package dev.sluice.spring.security;

import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Who may call a service ({@code sluice.security.*}; environment {@code SLUICE_SECURITY_...}). Two ways in, both
 * on at once when both are configured: an OAuth2 JWT (production: the identity provider's issuer or JWK set, roles
 * from a claim), and configured users over HTTP basic with hashed passwords. Roles: {@code ANALYST}, {@code DPO},
 * {@code PRIVACY_OPS}, {@code PLATFORM_ADMIN}.
 *
 * @param localMode the explicit local mode that {@code ./sluice run} and the tests set ({@code SLUICE_LOCAL_MODE}):
 *        only then are the built-in users and plain-text passwords accepted
 * @param users the configured users; when none are configured the local mode has built-in ones
 *        ({@link LocalUsers}), and outside it there are none (JWT only)
 * @param jwt the OAuth2 resource server
 */
@ConfigurationProperties("sluice.security")
public record SecurityProperties(@DefaultValue("false") boolean localMode, List<User> users, @DefaultValue Jwt jwt) {

    public SecurityProperties {
        users = users == null ? List.of() : List.copyOf(users);
    }

    /**
     * @param password encoded as Spring Security's delegating encoder reads it: {@code {bcrypt}$2a$10$...}
     * @param roles without the {@code ROLE_} prefix
     */
    public record User(String name, String password, List<String> roles) {

        public User {
            roles = roles == null ? List.of() : List.copyOf(roles);
        }

        @Override
        public String toString() {
            return "User[name=" + name + ", roles=" + roles + "]";
        }
    }

    /**
     * @param issuerUri the identity provider (its discovery document gives the keys)
     * @param jwkSetUri the keys directly, when there is no discovery document
     * @param rolesClaim the claim that lists the caller's roles
     * @param nameClaim the claim that names the caller (audit, "who asked")
     */
    public record Jwt(String issuerUri, String jwkSetUri, @DefaultValue("roles") String rolesClaim,
            @DefaultValue("preferred_username") String nameClaim) {

        public boolean configured() {
            return (issuerUri != null && !issuerUri.isBlank()) || (jwkSetUri != null && !jwkSetUri.isBlank());
        }
    }
}
