package dev.sluice.spring;

import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.env.DefaultPropertiesPropertySource;
import org.springframework.core.env.ConfigurableEnvironment;

/**
 * The settings every service has the same, as defaults (a service's own configuration and the environment override
 * them): actuator's health (with the liveness and readiness groups that include the pipeline stages), info and
 * Prometheus endpoints; the local mode from {@code SLUICE_LOCAL_MODE}; Kafka from {@code KAFKA_BOOTSTRAP_SERVERS}.
 */
public class ServiceDefaults implements EnvironmentPostProcessor {

    static final Map<String, Object> DEFAULTS = defaults();

    private static Map<String, Object> defaults() {
        Map<String, Object> defaults = new LinkedHashMap<>();
        defaults.put("management.endpoints.web.exposure.include", "health,info,prometheus");
        defaults.put("management.endpoint.health.show-details", "always");
        defaults.put("management.endpoint.health.probes.enabled", "true");
        defaults.put("management.endpoint.health.group.liveness.include", "livenessState,pipelineLiveness");
        defaults.put("management.endpoint.health.group.readiness.include", "readinessState,pipelineReadiness");
        defaults.put("management.endpoint.health.group.liveness.show-details", "always");
        defaults.put("management.endpoint.health.group.readiness.show-details", "always");
        defaults.put("management.metrics.tags.application", "${spring.application.name}");
        defaults.put("sluice.security.local-mode", "${SLUICE_LOCAL_MODE:false}");
        defaults.put("spring.kafka.bootstrap-servers", "${KAFKA_BOOTSTRAP_SERVERS:localhost:9092}");
        defaults.put("server.shutdown", "graceful");
        defaults.put("logging.level.org.apache.kafka", "WARN");
        return Map.copyOf(defaults);
    }

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        DefaultPropertiesPropertySource.addOrMerge(DEFAULTS, environment.getPropertySources());
    }
}
