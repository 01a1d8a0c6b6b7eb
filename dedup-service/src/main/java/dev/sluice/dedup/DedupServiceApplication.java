package dev.sluice.dedup;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

@SpringBootApplication
@ConfigurationPropertiesScan
public class DedupServiceApplication {

    public static void main(String[] args) {
        SpringApplication.run(DedupServiceApplication.class, args);
    }
}
