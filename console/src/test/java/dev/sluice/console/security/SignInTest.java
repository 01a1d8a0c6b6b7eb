package dev.sluice.console.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.support.DefaultListableBeanFactory;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.authentication.InsufficientAuthenticationException;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.crypto.factory.PasswordEncoderFactories;
import org.springframework.security.oauth2.client.OAuth2AuthorizedClientManager;
import org.springframework.security.oauth2.core.oidc.OidcIdToken;
import org.springframework.security.oauth2.core.oidc.user.OidcUserAuthority;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;

/** Who the console calls the services as, after each way of signing in. */
class SignInTest {

    @AfterEach
    void signOut() {
        SecurityContextHolder.clearContext();
    }

    @Test
    void aPasswordSignInRelaysThatUsersOwnCredentialsAndNothingElse() {
        var encoder = PasswordEncoderFactories.createDelegatingPasswordEncoder();
        var users = new InMemoryUserDetailsManager(User.withUsername("dpo").password(encoder.encode("s3cret"))
                .roles("DPO").build());
        var provider = new RelayingAuthenticationProvider(users::loadUserByUsername, encoder);

        Authentication signedIn = provider.authenticate(UsernamePasswordAuthenticationToken.unauthenticated("dpo", "s3cret"));
        assertThat(signedIn.isAuthenticated()).isTrue();
        assertThat(signedIn.getCredentials()).as("the password is not kept on the authentication").isNull();
        assertThat(signedIn.getAuthorities()).extracting(GrantedAuthority::getAuthority).contains("ROLE_DPO");
        assertThat(signedIn.getDetails()).hasToString("RelayedCredentials[hidden]");
        assertThatThrownBy(() -> provider.authenticate(UsernamePasswordAuthenticationToken.unauthenticated("dpo", "guess")))
                .isInstanceOf(BadCredentialsException.class);

        SecurityContextHolder.getContext().setAuthentication(signedIn);
        var caller = new CallerAuthorization(new DefaultListableBeanFactory().getBeanProvider(
                OAuth2AuthorizedClientManager.class));
        assertThat(caller.header()).isEqualTo("Basic ZHBvOnMzY3JldA=="); // dpo:s3cret
    }

    @Test
    void nobodySignedInMeansNoCallAtAll() {
        var caller = new CallerAuthorization(new DefaultListableBeanFactory().getBeanProvider(
                OAuth2AuthorizedClientManager.class));
        assertThatThrownBy(caller::header).isInstanceOf(InsufficientAuthenticationException.class);
    }

    @Test
    void theIdentityProvidersRolesClaimBecomesTheRoles() {
        OidcIdToken token = new OidcIdToken("id-token", Instant.now(), Instant.now().plusSeconds(300),
                Map.of("sub", "u-42", "preferred_username", "dora", "roles", List.of("DPO", "ANALYST")));
        var mapped = ConsoleSecurity.roles("roles").mapAuthorities(List.of(new OidcUserAuthority(token)));
        assertThat(mapped).extracting(GrantedAuthority::getAuthority).contains("ROLE_DPO", "ROLE_ANALYST");
        OidcIdToken without = new OidcIdToken("id-token", Instant.now(), Instant.now().plusSeconds(300), Map.of("sub", "u-7"));
        assertThat(ConsoleSecurity.roles("roles").mapAuthorities(List.of(new OidcUserAuthority(without))))
                .extracting(GrantedAuthority::getAuthority).noneMatch(a -> a.startsWith("ROLE_"));
    }
}
