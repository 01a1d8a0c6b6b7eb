package dev.sluice.catalog.local;

import dev.sluice.catalog.FileCatalog;
import dev.sluice.catalog.LakeObjects;
import dev.sluice.catalog.LakeTiers;
import dev.sluice.catalog.PartitionRegistrar;
import dev.sluice.catalog.PointerRegistration;
import dev.sluice.spring.kafka.DeadLetters;
import dev.sluice.spring.kafka.KafkaClients;
import dev.sluice.spring.kafka.KafkaStages;
import dev.sluice.spring.security.ServiceAuthorization;
import io.micrometer.core.instrument.MeterRegistry;
import java.net.URI;
import java.nio.file.Path;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpMethod;
import org.springframework.kafka.core.DefaultKafkaProducerFactory;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.listener.ConcurrentMessageListenerContainer;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/** The file catalog, the lake it reads pointers from, and the one stage: {@code catalog}, a listener container. */
@Configuration
class CatalogConfiguration {

    @Bean
    FileCatalog fileCatalog(CatalogProperties properties) {
        return new FileCatalog(properties.dir());
    }

    /** The lake, and each tier's key prefix in it ("" or ending with /). */
    record Lake(LakeObjects objects, String tierZeroPrefix, String tierOnePrefix) {
    }

    @Bean
    Lake lake(CatalogProperties properties) {
        URI lake = URI.create(properties.lake());
        URI tierOne = properties.tierOne() == null || properties.tierOne().isBlank()
                ? URI.create(properties.lake().replaceAll("/+$", "")).resolve("tier1") : URI.create(properties.tierOne());
        if (!java.util.Objects.equals(lake.getScheme(), tierOne.getScheme())
                || !java.util.Objects.equals(lake.getHost(), tierOne.getHost())) {
            throw new IllegalStateException("sluice.catalog.lake (" + lake + ") and sluice.catalog.tier-one (" + tierOne
                    + ") must be in one bucket, or both local directories");
        }
        if (!lake.getScheme().startsWith("s3")) {
            // keys relative to the filesystem's root: each tier's prefix is its whole path
            return new Lake(LakeObjects.directory(Path.of("/")), prefix(lake), prefix(tierOne));
        }
        CatalogProperties.S3 settings = properties.s3();
        var s3 = S3Client.builder().httpClientBuilder(UrlConnectionHttpClient.builder())
                .region(Region.of(settings.region())).forcePathStyle(true);
        if (settings.endpoint() != null && !settings.endpoint().isBlank()) {
            s3.endpointOverride(URI.create(settings.endpoint()));
        }
        if (settings.accessKey() != null && !settings.accessKey().isBlank()) {
            s3.credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(settings.accessKey(),
                    settings.secretKey())));
        }
        return new Lake(LakeObjects.s3(s3.build(), lake.getHost()), prefix(lake), prefix(tierOne));
    }

    /** A root's path as a key prefix: {@code s3a://bucket/tier0} is {@code tier0/}, {@code s3a://bucket} is "". */
    private static String prefix(URI root) {
        String path = root.getPath().replaceAll("^/+", "").replaceAll("/+$", "");
        return path.isEmpty() ? "" : path + "/";
    }

    @Bean(destroyMethod = "destroy")
    DefaultKafkaProducerFactory<byte[], byte[]> catalogProducers(KafkaClients kafka) {
        return new DefaultKafkaProducerFactory<>(kafka.producer("catalog"), new ByteArraySerializer(),
                new ByteArraySerializer());
    }

    @Bean
    ConcurrentMessageListenerContainer<byte[], byte[]> catalogContainer(KafkaStages stages, KafkaClients kafka,
            CatalogProperties properties, FileCatalog catalog, Lake lake,
            DefaultKafkaProducerFactory<byte[], byte[]> catalogProducers, MeterRegistry meters) {
        PointerRegistration registration = new PointerRegistration(lake.objects(), new PartitionRegistrar(catalog),
                new LakeTiers(properties.database(), lake.tierOnePrefix(), properties.reservoirDatabasePrefix()));
        PartitionNoticeListener listener = new PartitionNoticeListener(registration, lake.tierZeroPrefix(),
                lake.tierOnePrefix(),
                new DeadLetters(new KafkaTemplate<>(catalogProducers), properties.deadLetterTopic()), meters);
        return stages.container("catalog", kafka.consumer(properties.groupId(), 500))
                .topics(properties.partitionsTopic())
                .listener(listener)
                .build();
    }

    /** The catalog names tables and columns, not data: any signed-in role may read it. */
    @Bean
    ServiceAuthorization catalogAuthorization() {
        return requests -> requests.requestMatchers(HttpMethod.GET, "/catalog").authenticated();
    }
}
