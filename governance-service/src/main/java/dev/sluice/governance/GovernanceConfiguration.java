package dev.sluice.governance;

import com.datastax.oss.driver.api.core.CqlSession;
import dev.sluice.core.registry.SchemaRegistryClient;
import dev.sluice.core.topics.Topics;
import dev.sluice.governance.audit.AuditLog;
import dev.sluice.governance.changes.ChangeFeed;
import dev.sluice.governance.policy.Schemas;
import dev.sluice.spring.kafka.KafkaClients;
import dev.sluice.spring.runtime.GuardedLoop;
import dev.sluice.spring.runtime.PipelineStages;
import dev.sluice.spring.runtime.RuntimeProperties;
import dev.sluice.spring.security.Roles;
import dev.sluice.governance.access.LakeAccessPolicies;
import dev.sluice.governance.access.LakeAccessProperties;
import dev.sluice.spring.security.ServiceAuthorization;
import io.swagger.v3.oas.annotations.enums.SecuritySchemeType;
import io.swagger.v3.oas.annotations.security.SecurityScheme;
import java.time.Clock;
import java.time.Duration;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpMethod;
import org.springframework.kafka.core.DefaultKafkaProducerFactory;
import org.springframework.kafka.core.KafkaTemplate;

/**
 * The store, the audit, the change feed, the schemas, who may call what, and the upkeep: a guarded loop that reverts
 * expired grants and rules and publishes what was not acknowledged.
 */
@Configuration
@SecurityScheme(name = "basic", type = SecuritySchemeType.HTTP, scheme = "basic")
@SecurityScheme(name = "bearer-jwt", type = SecuritySchemeType.HTTP, scheme = "bearer", bearerFormat = "JWT")
class GovernanceConfiguration {

    @Bean
    @ConditionalOnMissingBean
    Clock clock() {
        return Clock.systemUTC();
    }

    @Bean
    GovernanceStore governanceStore(CqlSession session, GovernanceProperties properties) {
        return GovernanceStore.open(session, properties.keyspace(), properties.replication());
    }

    @Bean
    AuditLog auditLog(GovernanceStore store) {
        return new AuditLog(store.session(), store.keyspace());
    }

    /** The governance service owns governance.changes (Topics). */
    @Bean(destroyMethod = "destroy")
    DefaultKafkaProducerFactory<byte[], byte[]> changeProducers(KafkaClients kafka, GovernanceProperties properties) {
        try (Admin admin = Admin.create(kafka.common())) {
            Topics.GOVERNANCE_CHANGES_SPEC.named(properties.changesTopic()).createIfMissing(admin,
                    properties.topics().partitions(), properties.topics().replicationFactor(), Duration.ofSeconds(30));
        }
        return new DefaultKafkaProducerFactory<>(kafka.producer("governance"), new ByteArraySerializer(),
                new ByteArraySerializer());
    }

    @Bean
    ChangeFeed changeFeed(GovernanceStore store, DefaultKafkaProducerFactory<byte[], byte[]> changeProducers,
            GovernanceProperties properties, Clock clock) {
        return new ChangeFeed(store, new KafkaTemplate<>(changeProducers), properties.changesTopic(), clock,
                properties.subjectPrefixes());
    }

    @Bean
    LakeAccessPolicies lakeAccessPolicies(LakeAccessProperties lake) {
        return new LakeAccessPolicies(lake);
    }

    @Bean
    Schemas schemas(GovernanceProperties properties) {
        GovernanceProperties.Registry registry = properties.registry();
        return new Schemas(SchemaRegistryClient.builder(registry.url()).userInfo(registry.userInfo())
                .latestTtl(registry.latestTtl()).build(), properties.subjectPrefixes());
    }

    @Bean
    Governance governance(GovernanceStore store, AuditLog audit, ChangeFeed changes, Schemas schemas,
            GovernanceProperties properties, Clock clock) {
        return new Governance(store, audit, changes, schemas, properties, clock);
    }

    /** Expired grants and rules revert by themselves; unacknowledged revisions are published again. */
    @Bean
    GuardedLoop governanceUpkeep(PipelineStages stages, GovernanceProperties properties, RuntimeProperties runtime,
            Governance governance, ChangeFeed changes) {
        return new GuardedLoop(stages.stage("upkeep"), properties.upkeepTick(), runtime.backoff().toBackoff(), () -> {
            governance.expire();
            changes.publishBehind();
        });
    }

    /** The endpoint × role matrix (the data-level checks — membership, own requests, own decisions — are Governance's). */
    @Bean
    ServiceAuthorization governanceAuthorization() {
        String admin = Roles.PLATFORM_ADMIN;
        String dpo = Roles.DPO;
        String analyst = Roles.ANALYST;
        return requests -> requests
                .requestMatchers("/v3/api-docs/**", "/swagger-ui/**", "/swagger-ui.html").authenticated()
                .requestMatchers(HttpMethod.POST, "/reservoirs/*/grants").hasRole(analyst)
                .requestMatchers(HttpMethod.GET, "/reservoirs", "/reservoirs/*", "/reservoirs/*/policy")
                .hasAnyRole(admin, dpo, analyst)
                .requestMatchers(HttpMethod.GET, "/reservoirs/*/iam-policy").hasAnyRole(admin, dpo)
                .requestMatchers(HttpMethod.GET, "/iam/jobs-policy").hasRole(admin)
                .requestMatchers("/reservoirs", "/reservoirs/**").hasRole(admin)
                .requestMatchers(HttpMethod.GET, "/rules", "/rules/*").hasAnyRole(admin, dpo)
                .requestMatchers("/rules", "/rules/**").hasRole(admin)
                .requestMatchers(HttpMethod.GET, "/grants", "/grants/*").hasAnyRole(admin, dpo, analyst)
                .requestMatchers(HttpMethod.POST, "/grants/*/approve", "/grants/*/deny", "/grants/*/revoke").hasRole(dpo)
                .requestMatchers("/audit", "/audit/**").hasRole(dpo);
    }
}
