package dev.sluice.registry;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.core.registry.SchemaRegistryClient;
import dev.sluice.core.topics.Topics;
import dev.sluice.infra.LocalInfra;
import dev.sluice.infra.Server;
import dev.sluice.infra.junit.LocalInfraTest;
import org.apache.avro.Schema;
import org.junit.jupiter.api.Test;

/**
 * The registry as later modules' tests and the local run get it: local-infra starts this module's jar in its own
 * JVM, after the Kafka it needs, and hands its URL and writer credentials to the tests.
 */
@LocalInfraTest(Server.SCHEMA_REGISTRY)
class LocalInfraRegistryIT {

    @Test
    void localInfraRunsTheRegistryJarAgainstItsKafka(LocalInfra infra) {
        assertThat(infra.isRunning(Server.KAFKA)).isTrue();
        assertThat(System.getProperty("sluice.schema-registry.url")).isEqualTo(infra.schemaRegistryUrl());
        SchemaRegistryClient client = SchemaRegistryClient.builder(infra.schemaRegistryUrl())
                .userInfo(infra.schemaRegistryUserInfo()).build();

        Schema schema = new Schema.Parser().parse(Schemas.PRODUCT_CREATED);
        int id = client.register(Topics.eventSubject("product_created"), schema);

        assertThat(client.latest(Topics.eventSubject("product_created")).id()).isEqualTo(id);
        assertThat(client.schemaById(id).getField("user_id").getObjectProp("sluice.entity")).isEqualTo("user/id");
    }
}
