package dev.sluice.datapump;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

@SpringBootApplication
@ConfigurationPropertiesScan
public class DatapumpServiceApplication {

    public static void main(String[] args) {
        SpringApplication.run(DatapumpServiceApplication.class, args);
    }
}
