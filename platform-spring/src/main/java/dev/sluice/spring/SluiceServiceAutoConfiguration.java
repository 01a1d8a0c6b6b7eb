package dev.sluice.spring;

import dev.sluice.spring.kafka.KafkaClients;
import dev.sluice.spring.kafka.KafkaStages;
import dev.sluice.spring.runtime.PipelineStages;
import dev.sluice.spring.runtime.RuntimeProperties;
import dev.sluice.spring.security.SecurityProperties;
import dev.sluice.spring.security.ServiceSecurityConfiguration;
import dev.sluice.spring.web.ProblemAnswers;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.scheduling.concurrent.ThreadPoolTaskScheduler;

/**
 * What every Sluice service gets by depending on platform-spring: its pipeline stages with the two health checks of
 * the liveness and readiness groups, the Kafka client settings, the factory of listener containers, and security.
 * The defaults of the health groups, actuator exposure and local mode are in {@link ServiceDefaults}.
 */
@AutoConfiguration(beforeName = {
        // our security filter chain must be defined first: theirs back off when one exists
        "org.springframework.boot.security.autoconfigure.web.servlet.ServletWebSecurityAutoConfiguration",
        "org.springframework.boot.security.autoconfigure.actuate.web.servlet.ManagementWebSecurityAutoConfiguration",
        "org.springframework.boot.security.oauth2.server.resource.autoconfigure.servlet.OAuth2ResourceServerAutoConfiguration",
        "org.springframework.boot.security.autoconfigure.UserDetailsServiceAutoConfiguration"})
@EnableConfigurationProperties({RuntimeProperties.class, SecurityProperties.class})
@Import({ServiceSecurityConfiguration.class, ProblemAnswers.class})
public class SluiceServiceAutoConfiguration {

    @Bean
    PipelineStages pipelineStages(RuntimeProperties properties) {
        return new PipelineStages(properties.stallTimeout());
    }

    /** In the liveness group: DOWN when a stage died or is stuck. */
    @Bean
    HealthIndicator pipelineLivenessHealthIndicator(PipelineStages stages) {
        return stages.liveness();
    }

    /** In the readiness group: DOWN while a stage starts, waits for a dependency, or died. */
    @Bean
    HealthIndicator pipelineReadinessHealthIndicator(PipelineStages stages) {
        return stages.readiness();
    }

    @Bean
    KafkaClients kafkaClients(@Value("${spring.kafka.bootstrap-servers:localhost:9092}") String bootstrapServers,
            RuntimeProperties properties) {
        return new KafkaClients(bootstrapServers, properties.kafka());
    }

    /** Resumes paused listener containers after their backoff. */
    @Bean(destroyMethod = "shutdown")
    ThreadPoolTaskScheduler sluicePauseScheduler() {
        ThreadPoolTaskScheduler scheduler = new ThreadPoolTaskScheduler();
        scheduler.setThreadNamePrefix("sluice-pause-");
        scheduler.setPoolSize(1);
        scheduler.initialize();
        return scheduler;
    }

    @Bean
    KafkaStages kafkaStages(PipelineStages stages, RuntimeProperties properties, MeterRegistry meters,
            ThreadPoolTaskScheduler sluicePauseScheduler) {
        return new KafkaStages(stages, properties, meters, sluicePauseScheduler);
    }
}
