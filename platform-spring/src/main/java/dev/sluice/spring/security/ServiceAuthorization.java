package dev.sluice.spring.security;

import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configurers.AuthorizeHttpRequestsConfigurer;

/**
 * A service's own rules of who may call what, applied after the public paths (health, metrics) and before
 * "everything else needs an authenticated caller". Without one, every other path needs {@code PLATFORM_ADMIN}.
 */
@FunctionalInterface
public interface ServiceAuthorization {

    void authorize(AuthorizeHttpRequestsConfigurer<HttpSecurity>.AuthorizationManagerRequestMatcherRegistry requests);
}
