package dev.sluice.infra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class SettingTest {

    @AfterEach
    void clear() {
        System.clearProperty("sluice.infra.test-only.port");
    }

    @Test
    void environmentVariableIsDerivedFromTheProperty() {
        assertThat(Setting.of(Server.KAFKA, "heap").environmentVariable()).isEqualTo("SLUICE_INFRA_KAFKA_HEAP");
        assertThat(Setting.of("sluice.infra.start-timeout").environmentVariable()).isEqualTo("SLUICE_INFRA_START_TIMEOUT");
    }

    @Test
    void systemPropertyWinsOverTheDefault() {
        System.setProperty("sluice.infra.test-only.port", " 9092 ");
        assertThat(Setting.of("sluice.infra.test-only.port").intOr(0)).isEqualTo(9092);
        assertThat(Setting.of("sluice.infra.not-set").or("fallback")).isEqualTo("fallback");
    }

    @Test
    void aNumberThatIsNotOneNamesBothWaysToSetIt() {
        System.setProperty("sluice.infra.test-only.port", "ninety");
        assertThatThrownBy(() -> Setting.of("sluice.infra.test-only.port").intOr(0))
                .hasMessageContaining("sluice.infra.test-only.port")
                .hasMessageContaining("SLUICE_INFRA_TEST_ONLY_PORT")
                .hasMessageContaining("ninety");
    }

    @Test
    void unknownServerIdListsTheKnownOnes() {
        assertThat(Server.fromId(" Kafka")).isEqualTo(Server.KAFKA);
        assertThatThrownBy(() -> Server.fromId("redis")).hasMessage("unknown server 'redis'; known: kafka, cassandra, s3, schema-registry, gatekeeper, dedup, datapump, catalog, governance, privacy, console");
    }

    @Test
    void dedupBringsKafkaCassandraAndTheRegistryAlong() {
        assertThat(Server.withRequirements(java.util.Set.of(Server.DEDUP)))
                .containsExactlyInAnyOrder(Server.DEDUP, Server.KAFKA, Server.CASSANDRA, Server.SCHEMA_REGISTRY);
    }

    @Test
    void theRegistryBringsKafkaAlong() {
        assertThat(Server.withRequirements(java.util.Set.of(Server.SCHEMA_REGISTRY)))
                .containsExactlyInAnyOrder(Server.SCHEMA_REGISTRY, Server.KAFKA);
        assertThat(Server.withRequirements(java.util.Set.of(Server.S3))).containsExactly(Server.S3);
    }
}
