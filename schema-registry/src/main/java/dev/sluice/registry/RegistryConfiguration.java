package dev.sluice.registry;

import dev.sluice.registry.api.RequestSizeLimit;
import dev.sluice.registry.privacy.PrivacyContract;
import dev.sluice.registry.privacy.SubjectRule;
import dev.sluice.registry.storage.SchemaLog;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.CommonClientConfigs;
import org.springframework.beans.factory.annotation.Value;
import dev.sluice.spring.runtime.PipelineStages;
import dev.sluice.spring.runtime.Stage;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;

@Configuration
class RegistryConfiguration {

    /** Started here, before the web server takes requests: the state is complete before the first answer. */
    @Bean(destroyMethod = "close")
    SchemaLog schemaLog(RegistryProperties properties, @Value("${spring.kafka.bootstrap-servers}") String bootstrapServers) {
        Map<String, Object> kafka = new HashMap<>(properties.kafka());
        kafka.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        SchemaLog log = new SchemaLog(kafka, properties.topic(), properties.replicationFactor(), properties.writerId(),
                properties.storageTimeout());
        try {
            log.start();
        } catch (RuntimeException e) {
            log.close();
            throw e;
        }
        return log;
    }

    @Bean
    PrivacyContract privacyContract(RegistryProperties properties) {
        RegistryProperties.Privacy privacy = properties.privacy();
        return new PrivacyContract(
                privacy.modes().stream().map(m -> new SubjectRule<>(m.subjects(), m.mode())).toList(),
                privacy.defaultMode(), privacy.personalDataPatterns(), privacy.subjectPrefixes());
    }

    @Bean
    FilterRegistrationBean<RequestSizeLimit> requestSizeLimit(RegistryProperties properties) {
        FilterRegistrationBean<RequestSizeLimit> registration =
                new FilterRegistrationBean<>(new RequestSizeLimit(properties.maxRequestSize().toBytes()));
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE);
        return registration;
    }

    /** The reader of the schema log is this service's pipeline stage: liveness DOWN if it stops. */
    @Bean
    Stage schemaLogStage(SchemaLog log, PipelineStages stages) {
        Stage stage = stages.stage("schema-log");
        log.observe(new SchemaLog.Observer() {
            @Override
            public void polled() {
                stage.progressed();
            }

            @Override
            public void died(String reason) {
                stage.died(reason);
            }
        });
        return stage;
    }
}
