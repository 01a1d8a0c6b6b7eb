package dev.sluice.console;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.infra.LocalInfra;
import dev.sluice.spring.security.LocalUsers;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What {@code ./sluice run} prints to sign in to the console is what the services and the console accept. */
class LocalUsersAgreeTest {

    @Test
    void localInfraNamesTheLocalUsersTheirRolesAndPassword() {
        Map<String, String> users = new LinkedHashMap<>();
        LocalUsers.USERS.forEach(user -> users.put(user.name(), String.join(",", user.roles())));
        assertThat(LocalInfra.LOCAL_USERS).containsExactlyEntriesOf(users);
        assertThat(LocalInfra.LOCAL_PASSWORD).isEqualTo(LocalUsers.PASSWORD);
        assertThat(LocalInfra.LOCAL_ADMIN).isEqualTo("admin:" + LocalUsers.PASSWORD);
    }
}
