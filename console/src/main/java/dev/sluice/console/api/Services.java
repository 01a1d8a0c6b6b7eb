package dev.sluice.console.api;

import dev.sluice.console.ConsoleProperties;
import dev.sluice.console.security.CallerAuthorization;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The two services the console calls. */
@Configuration(proxyBeanMethods = false)
class Services {

    @Bean
    ServiceApi governance(ConsoleProperties properties, CallerAuthorization caller) {
        return new ServiceApi("governance", properties.governanceUrl(), properties.timeout(), caller);
    }

    @Bean
    ServiceApi privacy(ConsoleProperties properties, CallerAuthorization caller) {
        return new ServiceApi("privacy-requests", properties.privacyUrl(), properties.timeout(), caller);
    }
}
