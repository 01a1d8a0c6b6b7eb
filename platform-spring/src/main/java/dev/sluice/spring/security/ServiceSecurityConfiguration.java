package dev.sluice.spring.security;

import java.util.Collection;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.convert.converter.Converter;
import org.springframework.security.authentication.AbstractAuthenticationToken;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.crypto.factory.PasswordEncoderFactories;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtDecoders;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;
import org.springframework.security.oauth2.server.resource.authentication.JwtGrantedAuthoritiesConverter;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.security.web.SecurityFilterChain;

/**
 * Every REST endpoint of a service needs an authenticated caller, except health, info and metrics: configured (or,
 * in the local mode, built-in) users over HTTP basic, and OAuth2 JWTs when an issuer or JWK set is configured (or a
 * {@link JwtDecoder} bean exists, as in tests). Stateless, no CSRF (no browser sessions: the console has its own).
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnWebApplication
public class ServiceSecurityConfiguration {

    private static final Logger log = LoggerFactory.getLogger(ServiceSecurityConfiguration.class);

    /** Paths anybody may call: health for the probes, metrics for Prometheus (no personal data in them). */
    public static final String[] PUBLIC_PATHS = {"/actuator/health", "/actuator/health/**", "/actuator/info",
            "/actuator/prometheus", "/error"};

    @Bean
    @ConditionalOnMissingBean(SecurityFilterChain.class)
    SecurityFilterChain serviceSecurity(HttpSecurity http, SecurityProperties properties,
            ObjectProvider<ServiceAuthorization> authorization, ObjectProvider<JwtDecoder> decoders) throws Exception {
        JwtDecoder decoder = decoders.getIfAvailable(() -> properties.jwt().configured() ? decoder(properties.jwt()) : null);
        CredentialPolicy.checkService(properties, decoders.getIfAvailable() != null);
        if (properties.localMode()) {
            log.warn("LOCAL MODE (SLUICE_LOCAL_MODE=true): built-in users and plain-text passwords are accepted; "
                    + "never run a deployment like this");
        }
        http.csrf(csrf -> csrf.disable())
                .sessionManagement(session -> session.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .httpBasic(basic -> { })
                .authorizeHttpRequests(requests -> {
                    requests.requestMatchers(PUBLIC_PATHS).permitAll();
                    ServiceAuthorization rules = authorization.getIfAvailable();
                    if (rules != null) {
                        rules.authorize(requests);
                        requests.anyRequest().authenticated();
                    } else {
                        requests.anyRequest().hasRole(Roles.PLATFORM_ADMIN);
                    }
                });
        if (decoder != null) {
            http.oauth2ResourceServer(server -> server.jwt(jwt -> jwt.decoder(decoder)
                    .jwtAuthenticationConverter(roles(properties.jwt()))));
        }
        return http.build();
    }

    private static JwtDecoder decoder(SecurityProperties.Jwt jwt) {
        if (jwt.jwkSetUri() != null && !jwt.jwkSetUri().isBlank()) {
            return NimbusJwtDecoder.withJwkSetUri(jwt.jwkSetUri()).build();
        }
        return JwtDecoders.fromIssuerLocation(jwt.issuerUri());
    }

    /** The roles claim ({@code "roles": ["DPO"]}) as {@code ROLE_DPO}; the name claim (or the subject) as the caller. */
    static Converter<Jwt, AbstractAuthenticationToken> roles(SecurityProperties.Jwt settings) {
        JwtGrantedAuthoritiesConverter roles = new JwtGrantedAuthoritiesConverter();
        roles.setAuthoritiesClaimName(settings.rolesClaim());
        roles.setAuthorityPrefix("ROLE_");
        return jwt -> {
            Collection<GrantedAuthority> authorities = roles.convert(jwt);
            String name = jwt.getClaimAsString(settings.nameClaim());
            return new JwtAuthenticationToken(jwt, authorities == null ? List.of() : authorities,
                    name != null ? name : jwt.getSubject());
        };
    }

    @Bean
    @ConditionalOnMissingBean(UserDetailsService.class)
    UserDetailsService serviceUsers(SecurityProperties properties) {
        List<SecurityProperties.User> users = properties.users().isEmpty() && properties.localMode()
                ? LocalUsers.USERS : properties.users();
        InMemoryUserDetailsManager manager = new InMemoryUserDetailsManager();
        for (SecurityProperties.User user : users) {
            String password = user.password().startsWith("{") ? user.password() : "{noop}" + user.password();
            manager.createUser(User.withUsername(user.name()).password(password)
                    .roles(user.roles().toArray(String[]::new)).build());
        }
        // not the manager itself: as a UserDetailsPasswordService it would re-hash passwords on first use
        return manager::loadUserByUsername;
    }

    @Bean
    @ConditionalOnMissingBean(PasswordEncoder.class)
    PasswordEncoder passwordEncoder() {
        return PasswordEncoderFactories.createDelegatingPasswordEncoder();
    }
}
