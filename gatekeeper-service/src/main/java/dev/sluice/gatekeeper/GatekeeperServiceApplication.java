package dev.sluice.gatekeeper;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

@SpringBootApplication
@ConfigurationPropertiesScan
public class GatekeeperServiceApplication {

    public static void main(String[] args) {
        SpringApplication.run(GatekeeperServiceApplication.class, args);
    }
}
