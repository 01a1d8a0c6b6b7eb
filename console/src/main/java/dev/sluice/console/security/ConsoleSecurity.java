package dev.sluice.console.security;

import dev.sluice.spring.security.CredentialPolicy;
import dev.sluice.spring.security.Roles;
import dev.sluice.spring.security.SecurityProperties;
import dev.sluice.spring.security.ServiceSecurityConfiguration;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.core.authority.mapping.GrantedAuthoritiesMapper;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.oauth2.client.AuthorizedClientServiceOAuth2AuthorizedClientManager;
import org.springframework.security.oauth2.client.OAuth2AuthorizedClientManager;
import org.springframework.security.oauth2.client.OAuth2AuthorizedClientProviderBuilder;
import org.springframework.security.oauth2.client.OAuth2AuthorizedClientService;
import org.springframework.security.oauth2.client.registration.ClientRegistrationRepository;
import org.springframework.security.oauth2.core.oidc.user.OidcUserAuthority;
import org.springframework.security.oauth2.core.user.OAuth2UserAuthority;
import org.springframework.security.web.SecurityFilterChain;

/**
 * Browser sessions with CSRF protection (Spring Security's default, on every form), every page behind its role on
 * the server: {@code /analyst/**} ANALYST, {@code /dpo/**} DPO, {@code /privacy/**} PRIVACY_OPS, {@code /admin/**}
 * PLATFORM_ADMIN. Sign-in with a password (the services' users: the local ones in the local mode, the configured
 * ones otherwise) and, when a client registration is configured, with OpenID Connect; roles from the identity
 * provider's roles claim ({@code sluice.security.jwt.roles-claim}, as the services read it from the access token).
 * Whatever the console shows, the services decide again for the same user.
 */
@Configuration(proxyBeanMethods = false)
class ConsoleSecurity {

    private static final Logger log = LoggerFactory.getLogger(ConsoleSecurity.class);

    @Bean
    SecurityFilterChain consolePages(HttpSecurity http, SecurityProperties properties, UserDetailsService users,
            PasswordEncoder encoder, ObjectProvider<ClientRegistrationRepository> registrations) throws Exception {
        boolean oidc = registrations.getIfAvailable() != null;
        boolean passwords = properties.localMode() || !properties.users().isEmpty();
        if (!oidc && !passwords) {
            throw new IllegalStateException("refusing to start outside the local mode without a way to sign in: "
                    + "configure an OpenID Connect client (SPRING_SECURITY_OAUTH2_CLIENT_REGISTRATION_SLUICE_CLIENTID, "
                    + "..._CLIENTSECRET, SPRING_SECURITY_OAUTH2_CLIENT_PROVIDER_SLUICE_ISSUERURI) or users with hashed "
                    + "passwords (SLUICE_SECURITY_USERS_0_NAME, ..._PASSWORD={bcrypt}..., ..._ROLES=DPO), or set "
                    + "SLUICE_LOCAL_MODE=true on a laptop.");
        }
        CredentialPolicy.checkUsers("sluice.security.users", properties.users(), properties.localMode());
        if (properties.localMode()) {
            log.warn("LOCAL MODE (SLUICE_LOCAL_MODE=true): the built-in users sign in with the password 'sluice-local'; "
                    + "never run a deployment like this");
        }
        http.authorizeHttpRequests(requests -> requests
                        .requestMatchers(ServiceSecurityConfiguration.PUBLIC_PATHS).permitAll()
                        .requestMatchers("/login", "/css/**", "/favicon.ico").permitAll()
                        .requestMatchers("/analyst/**").hasRole(Roles.ANALYST)
                        .requestMatchers("/dpo/**").hasRole(Roles.DPO)
                        .requestMatchers("/privacy/**").hasRole(Roles.PRIVACY_OPS)
                        .requestMatchers("/admin/**").hasRole(Roles.PLATFORM_ADMIN)
                        .anyRequest().authenticated())
                .exceptionHandling(errors -> errors.accessDeniedPage("/denied"))
                .logout(logout -> logout.logoutSuccessUrl("/login?signed-out"))
                .headers(headers -> headers.contentSecurityPolicy(csp -> csp.policyDirectives(
                        "default-src 'self'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'")));
        if (passwords) {
            http.authenticationProvider(new RelayingAuthenticationProvider(users, encoder))
                    .formLogin(form -> form.loginPage("/login").defaultSuccessUrl("/", false));
        }
        if (oidc) {
            http.oauth2Login(login -> login.loginPage("/login")
                    .userInfoEndpoint(info -> info.userAuthoritiesMapper(roles(properties.jwt().rolesClaim()))));
        }
        return http.build();
    }

    /** The identity provider's roles claim ({@code "roles": ["DPO"]}) as {@code ROLE_DPO}. */
    static GrantedAuthoritiesMapper roles(String claim) {
        return authorities -> {
            Set<GrantedAuthority> mapped = new HashSet<>(authorities);
            for (GrantedAuthority authority : authorities) {
                Object roles = authority instanceof OidcUserAuthority oidc ? oidc.getAttributes().get(claim)
                        : authority instanceof OAuth2UserAuthority user ? user.getAttributes().get(claim) : null;
                if (roles instanceof Collection<?> names) {
                    names.forEach(name -> mapped.add(new SimpleGrantedAuthority("ROLE_" + name)));
                }
            }
            return List.copyOf(mapped);
        };
    }

    /** Access tokens for the relayed calls, refreshed with the refresh token when they expire. */
    @Bean
    OAuth2AuthorizedClientManager authorizedClients(ObjectProvider<ClientRegistrationRepository> registrations,
            ObjectProvider<OAuth2AuthorizedClientService> clients) {
        if (registrations.getIfAvailable() == null || clients.getIfAvailable() == null) {
            return null;
        }
        var manager = new AuthorizedClientServiceOAuth2AuthorizedClientManager(registrations.getObject(),
                clients.getObject());
        manager.setAuthorizedClientProvider(OAuth2AuthorizedClientProviderBuilder.builder().authorizationCode()
                .refreshToken().build());
        return manager;
    }
}
