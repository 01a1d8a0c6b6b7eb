package dev.sluice.console;

import java.time.Clock;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.context.annotation.Bean;

/** The web console: server-rendered pages over the governance and privacy-requests APIs, as the signed-in user. */
@SpringBootApplication
@ConfigurationPropertiesScan
public class ConsoleApplication {

    public static void main(String[] args) {
        SpringApplication.run(ConsoleApplication.class, args);
    }

    /** Deadlines' countdowns and the default expiry of a grant request are read from it. */
    @Bean
    Clock clock() {
        return Clock.systemUTC();
    }
}
