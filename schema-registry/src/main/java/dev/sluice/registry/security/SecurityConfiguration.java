package dev.sluice.registry.security;

import dev.sluice.registry.RegistryProperties;
import dev.sluice.spring.security.CredentialPolicy;
import dev.sluice.spring.security.SecurityProperties;
import java.util.List;
import java.nio.charset.StandardCharsets;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpMethod;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.crypto.factory.PasswordEncoderFactories;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.SecurityFilterChain;

/**
 * Changes (register, delete, config, mode) need a configured user over HTTP basic; reads, including the POST
 * lookups and compatibility tests that only read, are open to services unless {@code open-reads} is false.
 * Health and metrics are open.
 */
@Configuration
class SecurityConfiguration {

    private static final Logger log = LoggerFactory.getLogger(SecurityConfiguration.class);

    @Bean
    SecurityFilterChain registrySecurity(HttpSecurity http, RegistryProperties properties) throws Exception {
        AuthenticationEntryPoint unauthorized = (request, response, e) -> {
            response.setStatus(401);
            response.setHeader("WWW-Authenticate", "Basic realm=\"sluice-schema-registry\"");
            response.setContentType("application/vnd.schemaregistry.v1+json");
            response.getOutputStream().write("{\"error_code\":401,\"message\":\"Unauthorized: this request needs a registry user (HTTP basic)\"}"
                    .getBytes(StandardCharsets.UTF_8));
        };
        boolean openReads = properties.security().openReads();
        http.csrf(csrf -> csrf.disable())
                .sessionManagement(session -> session.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .httpBasic(basic -> basic.authenticationEntryPoint(unauthorized))
                .exceptionHandling(handling -> handling.authenticationEntryPoint(unauthorized))
                .authorizeHttpRequests(requests -> {
                    requests.requestMatchers("/actuator/health", "/actuator/health/**", "/actuator/prometheus", "/error")
                            .permitAll();
                    if (openReads) {
                        requests.requestMatchers(HttpMethod.GET, "/**").permitAll();
                        requests.requestMatchers(HttpMethod.POST, "/subjects/{subject}", "/compatibility/**").permitAll();
                    }
                    requests.anyRequest().authenticated();
                });
        return http.build();
    }

    @Bean
    UserDetailsService registryUsers(RegistryProperties properties, SecurityProperties service) {
        List<RegistryProperties.User> configured = properties.security().users();
        if (configured.isEmpty() && !service.localMode()) {
            throw new IllegalStateException("refusing to start outside the local mode without a registry user: set "
                    + "SCHEMA_REGISTRY_USER and SCHEMA_REGISTRY_PASSWORD (a hash: {bcrypt}...), or SLUICE_LOCAL_MODE=true");
        }
        CredentialPolicy.checkUsers("sluice.registry.security.users", configured.stream()
                .map(user -> new SecurityProperties.User(user.name(), user.password(), List.of("WRITER"))).toList(),
                service.localMode());
        InMemoryUserDetailsManager users = new InMemoryUserDetailsManager();
        for (RegistryProperties.User user : properties.security().users()) {
            if (user.name() == null || user.name().isBlank() || user.password() == null || user.password().isBlank()) {
                throw new IllegalStateException("sluice.registry.security.users: every user needs a name and a password");
            }
            // a password may be given hashed ({bcrypt}...); a plain one is stored as {noop}
            String password = user.password().startsWith("{") ? user.password() : "{noop}" + user.password();
            users.createUser(User.withUsername(user.name()).password(password).roles("WRITER").build());
        }
        if (properties.security().users().isEmpty()) {
            log.warn("no registry users configured (sluice.registry.security.users): nobody can change the registry");
        }
        // not the manager itself: as a UserDetailsPasswordService it would "upgrade" {noop} passwords to bcrypt on
        // first use, and every later request would pay a bcrypt check (about 100 ms on this machine's cores)
        return users::loadUserByUsername;
    }

    @Bean
    PasswordEncoder passwordEncoder() {
        return PasswordEncoderFactories.createDelegatingPasswordEncoder();
    }
}
