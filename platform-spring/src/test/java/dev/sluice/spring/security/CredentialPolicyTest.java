package dev.sluice.spring.security;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;

class CredentialPolicyTest {

    static final String OWN_HASH = "{bcrypt}" + new BCryptPasswordEncoder(4).encode("correct horse battery staple");

    static SecurityProperties settings(boolean local, List<SecurityProperties.User> users, String issuer) {
        return new SecurityProperties(local, users, new SecurityProperties.Jwt(issuer, null, "roles", "preferred_username"));
    }

    static SecurityProperties.User user(String password) {
        return new SecurityProperties.User("ops", password, List.of(Roles.PLATFORM_ADMIN));
    }

    @Test
    void outsideTheLocalModeEveryDefaultOrPlainOrMissingSecretStopsTheStartWithWhatToSet() {
        assertThatThrownBy(() -> CredentialPolicy.checkService(settings(false, List.of(), null)))
                .hasMessageContaining("SLUICE_SECURITY_JWT_ISSUER_URI").hasMessageContaining("SLUICE_LOCAL_MODE=true");
        assertThatThrownBy(() -> CredentialPolicy.checkService(settings(false, List.of(user(LocalUsers.PASSWORD_HASH)), null)))
                .hasMessageContaining("built-in local password");
        assertThatThrownBy(() -> CredentialPolicy.checkService(settings(false, List.of(user("hunter2")), null)))
                .hasMessageContaining("plain-text password");
        assertThatThrownBy(() -> CredentialPolicy.checkService(settings(false, List.of(user("{noop}hunter2")), null)))
                .hasMessageContaining("plain-text password");
        assertThatThrownBy(() -> CredentialPolicy.checkService(settings(false, List.of(user("")), null)))
                .hasMessageContaining("no password");
        assertThatThrownBy(() -> CredentialPolicy.checkService(settings(false, List.of(user("{bcrypt}" + new BCryptPasswordEncoder(4)
                .encode(LocalUsers.PASSWORD))), null))).as("any hash of the local password").hasMessageContaining("built-in");
    }

    @Test
    void ownHashedPasswordsOrAnIssuerAreAcceptedAndTheLocalModeAcceptsEverything() {
        assertThatCode(() -> CredentialPolicy.checkService(settings(false, List.of(user(OWN_HASH)), null))).doesNotThrowAnyException();
        assertThatCode(() -> CredentialPolicy.checkService(settings(false, List.of(), "https://id.example.com/realms/sluice")))
                .doesNotThrowAnyException();
        assertThatCode(() -> CredentialPolicy.checkService(settings(true, List.of(), null))).doesNotThrowAnyException();
        assertThatCode(() -> CredentialPolicy.checkService(settings(true, List.of(user("plain")), null))).doesNotThrowAnyException();
    }
}
