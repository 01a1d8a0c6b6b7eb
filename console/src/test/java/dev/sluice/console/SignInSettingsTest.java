package dev.sluice.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The console started outside the local mode: it refuses to start without a way to sign in or with a plain-text
 * password, and with an OpenID Connect client it offers that sign-in and sends people to the identity provider
 * (configured here by its endpoints; no identity provider is called).
 */
class SignInSettingsTest {

    static ConfigurableApplicationContext start(String... settings) {
        String[] arguments = new String[settings.length + 3];
        arguments[0] = "--server.port=0";
        arguments[1] = "--spring.main.banner-mode=off";
        arguments[2] = "--sluice.security.local-mode=false";
        System.arraycopy(settings, 0, arguments, 3, settings.length);
        return new SpringApplicationBuilder(ConsoleApplication.class).run(arguments);
    }

    @Test
    void outsideTheLocalModeItRefusesToStartWithoutAWayToSignIn() {
        assertThatThrownBy(SignInSettingsTest::start).rootCause()
                .hasMessageContaining("refusing to start outside the local mode without a way to sign in");
        assertThatThrownBy(() -> start("--sluice.security.users[0].name=dpo", "--sluice.security.users[0].password=hunter2",
                "--sluice.security.users[0].roles=DPO")).rootCause().hasMessageContaining("plain-text password");
    }

    @Test
    void withAnOpenIdConnectClientTheSignInPageSendsPeopleToTheIdentityProvider() throws Exception {
        String registration = "--spring.security.oauth2.client.registration.sluice.";
        String provider = "--spring.security.oauth2.client.provider.sluice.";
        try (ConfigurableApplicationContext console = start(registration + "client-id=sluice-console",
                registration + "client-secret=not-a-real-secret", registration + "client-name=Company account",
                registration + "scope=openid,profile", registration + "provider=sluice",
                registration + "authorization-grant-type=authorization_code",
                registration + "redirect-uri={baseUrl}/login/oauth2/code/{registrationId}",
                provider + "authorization-uri=https://login.example.com/authorize",
                provider + "token-uri=https://login.example.com/token",
                provider + "jwk-set-uri=https://login.example.com/keys",
                provider + "user-info-uri=https://login.example.com/userinfo",
                provider + "user-name-attribute=preferred_username")) {
            String base = "http://127.0.0.1:" + console.getEnvironment().getProperty("local.server.port");
            HttpClient http = HttpClient.newHttpClient();
            String login = http.send(HttpRequest.newBuilder(URI.create(base + "/login")).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            assertThat(login).contains("Sign in with Company account", "/oauth2/authorization/sluice")
                    .doesNotContain("id=\"password\"").doesNotContain("sluice-local");
            HttpResponse<String> away = http.send(HttpRequest.newBuilder(URI.create(base + "/oauth2/authorization/sluice"))
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertThat(away.statusCode()).isEqualTo(302);
            assertThat(away.headers().firstValue("Location").orElseThrow())
                    .startsWith("https://login.example.com/authorize?").contains("client_id=sluice-console")
                    .contains("scope=openid%20profile").contains("response_type=code");
            // every page needs a signed-in person first
            HttpResponse<String> queue = http.send(HttpRequest.newBuilder(URI.create(base + "/dpo")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(queue.statusCode()).isEqualTo(302);
            assertThat(queue.headers().firstValue("Location").orElseThrow()).endsWith("/login");
        }
    }
}
