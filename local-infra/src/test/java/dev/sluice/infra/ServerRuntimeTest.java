package dev.sluice.infra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.EnumSet;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The choice between child processes and containers, and what a container of each third-party server runs. The
 * containers themselves need a Docker engine, which no machine of this project's CI has: this mode is not exercised
 * there (see the README).
 */
class ServerRuntimeTest {

    @Test
    void childProcessesUnlessContainersAreAskedFor() {
        assertThat(System.getenv(ServerRuntime.SETTING.environmentVariable())).as("CI runs the default").isNull();
        assertThat(ServerRuntime.configured()).isEqualTo(ServerRuntime.PROCESSES);
        assertThat(ServerRuntime.parse("containers")).isEqualTo(ServerRuntime.CONTAINERS);
        assertThat(ServerRuntime.parse(" Processes ")).isEqualTo(ServerRuntime.PROCESSES);
        assertThatThrownBy(() -> ServerRuntime.parse("docker"))
                .hasMessage("sluice.infra.servers (or SLUICE_INFRA_SERVERS) must be processes or containers, was 'docker'");
        System.setProperty("sluice.infra.servers", "containers");
        try {
            assertThat(ServerRuntime.configured()).isEqualTo(ServerRuntime.CONTAINERS);
        } finally {
            System.clearProperty("sluice.infra.servers");
        }
    }

    @Test
    void onlyTheThirdPartyServersRunInContainersAndNeverInTheDefault() {
        assertThat(EnumSet.allOf(Server.class)).filteredOn(ServerRuntime.CONTAINERS::containerizes)
                .containsExactlyInAnyOrder(Server.KAFKA, Server.CASSANDRA, Server.S3);
        assertThat(EnumSet.allOf(Server.class)).noneMatch(ServerRuntime.PROCESSES::containerizes);
        assertThat(ContainerSpec.IMAGES.values()).allSatisfy(image -> assertThat(image)
                .matches(Pattern.compile("[a-z/]+:(RELEASE\\.)?[0-9][0-9.T-]+Z?")).doesNotEndWith(":latest"));
    }

    @Test
    void kafkaAdvertisesThePublishedPortWithTheChildProcessesBrokerSettings() {
        ContainerSpec kafka = ContainerSpec.kafka(45123);
        assertThat(kafka.image()).isEqualTo("apache/kafka:4.1.2");
        assertThat(kafka.containerPort()).isEqualTo(45123);
        assertThat(kafka.hostPort()).isEqualTo(45123);
        assertThat(kafka.environment())
                .containsEntry("KAFKA_ADVERTISED_LISTENERS", "PLAINTEXT://127.0.0.1:45123")
                .containsEntry("KAFKA_LISTENERS", "PLAINTEXT://:45123,CONTROLLER://:9093")
                .containsEntry("KAFKA_PROCESS_ROLES", "broker,controller")
                .containsEntry("KAFKA_AUTO_CREATE_TOPICS_ENABLE", "false")
                .containsEntry("KAFKA_OFFSETS_TOPIC_REPLICATION_FACTOR", "1")
                .containsEntry("KAFKA_TRANSACTION_STATE_LOG_MIN_ISR", "1");
        assertThat(kafka.environment().keySet()).hasSize(KafkaServer.BROKER_DEFAULTS.size() + 8);
    }

    @Test
    void cassandraAndTheS3ServerPublishTheirPortsWithLocalInfrasDatacenterAndKeys() {
        ContainerSpec cassandra = ContainerSpec.cassandra(39042, "1g");
        assertThat(cassandra.image()).isEqualTo("cassandra:5.0.6");
        assertThat(cassandra.containerPort()).isEqualTo(9042);
        assertThat(cassandra.hostPort()).isEqualTo(39042);
        assertThat(cassandra.environment()).containsEntry("CASSANDRA_DC", CassandraServer.LOCAL_DATACENTER)
                .containsEntry("MAX_HEAP_SIZE", "1G");

        ContainerSpec s3 = ContainerSpec.s3(39000, "key", "secret-key");
        assertThat(s3.image()).startsWith("minio/minio:RELEASE.");
        assertThat(s3.command()).containsExactly("server", "/data");
        assertThat(s3.containerPort()).isEqualTo(9000);
        assertThat(s3.hostPort()).isEqualTo(39000);
        assertThat(s3.environment()).containsEntry("MINIO_ROOT_USER", "key").containsEntry("MINIO_ROOT_PASSWORD", "secret-key");
        assertThat(s3.setup()).last().isEqualTo(List.of("mc", "mb", "--ignore-existing", "local/sluice-lake",
                "local/sluice-exports", "local/sluice-legal-hold"));
    }
}
