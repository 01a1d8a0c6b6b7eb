package dev.sluice.privacy;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

@SpringBootApplication
@ConfigurationPropertiesScan
public class PrivacyRequestsApplication {

    public static void main(String[] args) {
        SpringApplication.run(PrivacyRequestsApplication.class, args);
    }
}
