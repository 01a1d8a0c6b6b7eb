package dev.sluice.privacy;

import com.datastax.oss.driver.api.core.CqlSessionBuilder;
import dev.sluice.core.registry.SchemaRegistryClient;
import dev.sluice.privacy.access.AccessRuns;
import dev.sluice.privacy.access.Exports;
import dev.sluice.privacy.access.ScopeResolver;
import dev.sluice.privacy.index.IndexListener;
import dev.sluice.privacy.requests.Requests;
import dev.sluice.spring.jobs.JobLauncher;
import dev.sluice.spring.kafka.KafkaClients;
import dev.sluice.spring.kafka.KafkaStages;
import dev.sluice.spring.runtime.GuardedLoop;
import dev.sluice.spring.runtime.PipelineStages;
import dev.sluice.spring.runtime.RuntimeProperties;
import dev.sluice.spring.security.Roles;
import dev.sluice.spring.security.ServiceAuthorization;
import io.micrometer.core.instrument.MeterRegistry;
import io.swagger.v3.oas.annotations.enums.SecuritySchemeType;
import io.swagger.v3.oas.annotations.security.SecurityScheme;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.CooperativeStickyAssignor;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.listener.ConcurrentMessageListenerContainer;

/**
 * The service's stages: {@code store-connection}, a guarded loop that opens the Cassandra tables (retrying while
 * Cassandra is away) and then starts {@code indexer}, the listener container that keeps the reverse index and the
 * relations from every valid topic; and {@code access-runs}, the guarded loop that batches the queued access
 * requests into runs of the access job and watches them.
 */
@Configuration
@SecurityScheme(name = "basic", type = SecuritySchemeType.HTTP, scheme = "basic")
@SecurityScheme(name = "bearer-jwt", type = SecuritySchemeType.HTTP, scheme = "bearer", bearerFormat = "JWT")
class PrivacyConfiguration {

    @Bean
    @ConditionalOnMissingBean
    Clock clock() {
        return Clock.systemUTC();
    }

    @Bean
    PrivacyStores privacyStores(ObjectProvider<CqlSessionBuilder> sessions, PrivacyProperties properties) {
        return new PrivacyStores(() -> sessions.getObject().build(), properties);
    }

    @Bean
    SchemaRegistryClient schemaRegistryClient(PrivacyProperties properties) {
        return SchemaRegistryClient.builder(properties.registry().url()).userInfo(properties.registry().userInfo()).build();
    }

    @Bean
    Requests requests(PrivacyStores stores, PrivacyProperties properties, Clock clock) {
        return new Requests(stores::requests, properties.requests(), clock);
    }

    @Bean(destroyMethod = "close")
    Exports exports(PrivacyProperties properties, Clock clock) {
        return new Exports(properties.exports(), properties.s3(), clock);
    }

    @Bean
    ConcurrentMessageListenerContainer<byte[], byte[]> indexerContainer(KafkaStages stages, KafkaClients kafka,
            PrivacyProperties properties, PrivacyStores stores, SchemaRegistryClient registry, MeterRegistry meters) {
        PrivacyProperties.Index index = properties.index();
        IndexListener listener = new IndexListener(index.validTopicPrefix(), stores::index, registry,
                properties.subjectPrefixes(), meters);
        Map<String, Object> consumer = kafka.consumer(index.groupId(), index.maxPollRecords());
        consumer.put(ConsumerConfig.METADATA_MAX_AGE_CONFIG, (int) index.topicDiscoveryInterval().toMillis());
        consumer.put(ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG, List.of(CooperativeStickyAssignor.class));
        return stages.container("indexer", consumer)
                .topicPattern(IndexListener.validTopics(index.validTopicPrefix(), index.deadLetterTopic()))
                .listener(listener)
                .concurrency(index.concurrency())
                .startLater() // once the tables are open
                .build();
    }

    /** Opens the tables, retrying while Cassandra is away, then starts indexing. */
    @Bean
    GuardedLoop storeConnection(PipelineStages stages, RuntimeProperties runtime, PrivacyStores stores,
            ConcurrentMessageListenerContainer<byte[], byte[]> indexerContainer) {
        return new GuardedLoop(stages.stage("store-connection"), Duration.ofSeconds(1), runtime.backoff().toBackoff(),
                () -> {
                    if (stores.open() && !indexerContainer.isRunning()) {
                        indexerContainer.start();
                    }
                });
    }

    @Bean(destroyMethod = "stop")
    AccessRuns accessRuns(Requests requests, PrivacyStores stores, SchemaRegistryClient registry, Exports exports,
            PrivacyProperties properties, MeterRegistry meters, Clock clock) {
        PrivacyProperties.Requests settings = properties.requests();
        return new AccessRuns(requests, () -> new ScopeResolver(stores.index(), registry,
                properties.index().validTopicPrefix(), properties.subjectPrefixes(), settings.scopeDepth(),
                settings.maxScopeEntities(), settings.fallbackDays(), clock), exports,
                new JobLauncher(properties.job().toLaunchSettings()), stores::runs, properties, meters, clock);
    }

    /** Forms batches of queued access requests and watches their runs, once the tables are open. */
    @Bean
    GuardedLoop accessRunsLoop(PipelineStages stages, RuntimeProperties runtime, PrivacyProperties properties,
            PrivacyStores stores, AccessRuns accessRuns) {
        return new GuardedLoop(stages.stage("access-runs"), properties.requests().tick(), runtime.backoff().toBackoff(),
                () -> {
                    if (stores.isOpen()) {
                        accessRuns.turn();
                    }
                });
    }

    /** Every endpoint of the requests is PRIVACY_OPS's; the runs are also PLATFORM_ADMIN's. */
    @Bean
    ServiceAuthorization privacyAuthorization() {
        return requests -> requests
                .requestMatchers("/v3/api-docs/**", "/swagger-ui/**", "/swagger-ui.html").authenticated()
                .requestMatchers("/requests", "/requests/**").hasRole(Roles.PRIVACY_OPS)
                .requestMatchers("/runs", "/runs/**").hasAnyRole(Roles.PRIVACY_OPS, Roles.PLATFORM_ADMIN);
    }
}
