package dev.sluice.privacy;

import com.datastax.oss.driver.api.core.CqlSessionBuilder;
import dev.sluice.core.registry.SchemaRegistryClient;
import dev.sluice.privacy.access.AccessRuns;
import dev.sluice.privacy.access.Exports;
import dev.sluice.privacy.access.ScopeResolver;
import dev.sluice.core.hashing.KeyedHash;
import dev.sluice.core.hashing.ReservoirKeys;
import dev.sluice.privacy.erasure.ErasureRuns;
import dev.sluice.privacy.erasure.ForgetLists;
import dev.sluice.privacy.index.IndexListener;
import dev.sluice.privacy.requests.Requests;
import dev.sluice.spring.jobs.JobLauncher;
import dev.sluice.spring.kafka.KafkaClients;
import dev.sluice.spring.kafka.KafkaStages;
import dev.sluice.spring.privacy.ForgetListFollower;
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
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.CooperativeStickyAssignor;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.kafka.core.DefaultKafkaProducerFactory;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.listener.ConcurrentMessageListenerContainer;

/**
 * The service's stages: {@code store-connection}, a guarded loop that opens the Cassandra tables (retrying while
 * Cassandra is away) and then starts {@code indexer}, the listener container that keeps the reverse index and the
 * relations from every valid topic (skipping what the forget-list names); {@code forget-list}, which follows the
 * erased subjects' list; {@code access-runs}, the guarded loop that batches the queued access requests into runs of
 * the access job and watches them; and {@code erasure-runs}, the same for erasures (forget, rewrite, verify).
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
        return new Requests(stores::requests, properties.requests(), properties.subjectPrefixes(), clock);
    }

    @Bean(destroyMethod = "close")
    Exports exports(PrivacyProperties properties, Clock clock) {
        return new Exports(properties.exports(), properties.s3(), clock);
    }

    /** This instance's copy of the forget-list: the indexer skips the erased subjects' events. */
    @Bean
    ForgetListFollower forgetList(PrivacyProperties properties) {
        return ForgetListFollower.fromEnvironment(masterKeyEnvironment(properties));
    }

    /** The environment, with the master key's file from the settings when they name one. */
    static Map<String, String> masterKeyEnvironment(PrivacyProperties properties) {
        Map<String, String> environment = new java.util.HashMap<>(System.getenv());
        String file = properties.job().masterKeyFile();
        if (file != null && !file.isBlank()) {
            environment.put(ReservoirKeys.MASTER_KEY_FILE_ENV, file);
        }
        return environment;
    }

    /** The forget-list's topic is this service's (Topics): created at start when missing, compacted. */
    @Bean
    ConcurrentMessageListenerContainer<byte[], byte[]> forgetListContainer(KafkaStages stages, KafkaClients kafka,
            PrivacyProperties properties, ForgetListFollower forgetList) {
        ForgetListFollower.createTopic(kafka, properties.erasure().forgottenTopic(), 1,
                properties.erasure().forgottenReplicationFactor());
        return forgetList.container(stages, kafka, "forget-list", properties.erasure().forgottenTopic(),
                properties.index().groupId() + "-forget-list");
    }

    @Bean(destroyMethod = "destroy")
    DefaultKafkaProducerFactory<byte[], byte[]> privacyProducers(KafkaClients kafka) {
        return new DefaultKafkaProducerFactory<>(kafka.producer("privacy-requests"), new ByteArraySerializer(),
                new ByteArraySerializer());
    }

    @Bean
    ConcurrentMessageListenerContainer<byte[], byte[]> indexerContainer(KafkaStages stages, KafkaClients kafka,
            PrivacyProperties properties, PrivacyStores stores, SchemaRegistryClient registry, MeterRegistry meters,
            ForgetListFollower forgetList) {
        PrivacyProperties.Index index = properties.index();
        IndexListener listener = new IndexListener(index.validTopicPrefix(), stores::index, registry,
                properties.subjectPrefixes(), meters, forgetList::current);
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

    @Bean(destroyMethod = "stop")
    ErasureRuns erasureRuns(Requests requests, PrivacyStores stores, SchemaRegistryClient registry, Exports exports,
            PrivacyProperties properties, MeterRegistry meters, Clock clock,
            DefaultKafkaProducerFactory<byte[], byte[]> privacyProducers,
            @Value("${spring.kafka.bootstrap-servers}") String kafka,
            @Value("${spring.cassandra.contact-points}") String cassandra,
            @Value("${spring.cassandra.local-datacenter}") String datacenter) {
        PrivacyProperties.Requests settings = properties.requests();
        PrivacyProperties.Erasure erasure = properties.erasure();
        PrivacyProperties.Job job = properties.job();
        KafkaTemplate<byte[], byte[]> template = new KafkaTemplate<>(privacyProducers);
        Supplier<ForgetLists> forgetLists = () -> {
            KeyedHash hash;
            try {
                hash = ReservoirKeys.fromEnvironment(masterKeyEnvironment(properties)).forgetListHash();
            } catch (IllegalStateException e) {
                throw new ErasureRuns.MissingKey("the subject cannot be put on the forget-list: " + e.getMessage(), e);
            }
            return new ForgetLists(stores.requests().session(), properties.keyspace(), template,
                    erasure.forgottenTopic(), hash);
        };
        return new ErasureRuns(requests, () -> new ScopeResolver(stores.index(), registry,
                properties.index().validTopicPrefix(), properties.subjectPrefixes(), 0, settings.maxScopeEntities(),
                settings.fallbackDays(), clock), exports, new JobLauncher(job.toLaunchSettings()), stores::runs,
                forgetLists, stores::index, () -> stores.requests().session(), properties,
                new ErasureRuns.Connections(blankOr(job.cassandra(), cassandra), datacenter, blankOr(job.kafka(), kafka)),
                meters, clock);
    }

    private static String blankOr(String configured, String fallback) {
        return configured == null || configured.isBlank() ? fallback : configured;
    }

    /** Puts erased subjects on the forget-list, rewrites tier zero and verifies, once the access side has recovered. */
    @Bean
    GuardedLoop erasureRunsLoop(PipelineStages stages, RuntimeProperties runtime, PrivacyProperties properties,
            PrivacyStores stores, AccessRuns accessRuns, ErasureRuns erasureRuns) {
        return new GuardedLoop(stages.stage("erasure-runs"), properties.requests().tick(), runtime.backoff().toBackoff(),
                () -> {
                    if (stores.isOpen() && accessRuns.recovered()) {
                        erasureRuns.turn();
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
