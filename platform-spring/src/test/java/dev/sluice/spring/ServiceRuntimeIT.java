package dev.sluice.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.sluice.infra.LocalInfra;
import dev.sluice.infra.Server;
import dev.sluice.infra.junit.LocalInfraTest;
import dev.sluice.spring.kafka.KafkaClients;
import dev.sluice.spring.kafka.KafkaStages;
import dev.sluice.spring.runtime.PipelineStages;
import dev.sluice.spring.runtime.Stage;
import dev.sluice.spring.security.LocalUsers;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.kafka.listener.ConcurrentMessageListenerContainer;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * A minimal service on platform-spring against a real broker: its liveness goes DOWN (503) when its consumer thread
 * is gone or stuck, its readiness while the stage is not running, and its endpoints need a caller with the role.
 */
@LocalInfraTest(Server.KAFKA)
class ServiceRuntimeIT {

    static final CountDownLatch RELEASE = new CountDownLatch(1);

    @SpringBootApplication
    @RestController
    static class Probe {

        @Bean
        ConcurrentMessageListenerContainer<byte[], byte[]> probeContainer(KafkaStages stages, KafkaClients kafka,
                @Value("${probe.topic}") String topic) {
            return stages.container("probe", kafka.consumer("probe-" + topic, 10)).topics(topic)
                    .listener(records -> records.forEach(record -> {
                        String value = new String(record.value(), StandardCharsets.UTF_8);
                        if (value.equals("fatal")) {
                            throw new Error("simulated: the consumer thread cannot go on");
                        }
                        if (value.equals("stuck")) {
                            try {
                                RELEASE.await(); // a call that never returns
                            } catch (InterruptedException e) {
                                Thread.currentThread().interrupt();
                            }
                        }
                    })).build();
        }

        @GetMapping("/ping")
        String ping() {
            return "pong";
        }
    }

    LocalInfra infra;
    String topic;
    ConfigurableApplicationContext service;
    int port;
    final HttpClient http = HttpClient.newHttpClient();

    @BeforeEach
    void start(LocalInfra infra) throws Exception {
        this.infra = infra;
        topic = "probe-" + UUID.randomUUID().toString().substring(0, 8);
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", infra.kafkaBootstrapServers()))) {
            admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1))).all().get(30, TimeUnit.SECONDS);
        }
        service = new SpringApplicationBuilder(Probe.class).run("--server.port=0", "--spring.main.banner-mode=off",
                "--spring.kafka.bootstrap-servers=" + infra.kafkaBootstrapServers(), "--probe.topic=" + topic,
                "--sluice.security.local-mode=true", "--sluice.runtime.stall-timeout=4s",
                "--sluice.runtime.idle-event-interval=500ms");
        port = Integer.parseInt(service.getEnvironment().getProperty("local.server.port"));
        Stage stage = service.getBean(PipelineStages.class).stage("probe");
        await().atMost(Duration.ofSeconds(60)).until(() -> stage.state() == Stage.State.RUNNING);
    }

    @AfterEach
    void stop() {
        service.close();
    }

    @Test
    void livenessGoesDownWhenTheConsumerThreadIsGone() throws Exception {
        assertThat(status("/actuator/health/liveness", null)).isEqualTo(200);
        assertThat(status("/actuator/health/readiness", null)).isEqualTo(200);
        send("fatal");
        await().atMost(Duration.ofSeconds(60)).until(() -> status("/actuator/health/liveness", null) == 503);
        assertThat(service.getBean(PipelineStages.class).stage("probe").state()).isEqualTo(Stage.State.DEAD);
        assertThat(status("/actuator/health/readiness", null)).isEqualTo(503);
        assertThat(body("/actuator/health/liveness")).contains("probe").contains("DEAD");
    }

    @Test
    void livenessGoesDownWhenTheConsumerMakesNoProgressWhileNotPaused() throws Exception {
        send("stuck");
        await().atMost(Duration.ofSeconds(60)).until(() -> status("/actuator/health/liveness", null) == 503);
        assertThat(body("/actuator/health/liveness")).contains("no progress");
        RELEASE.countDown();
        await().atMost(Duration.ofSeconds(60)).until(() -> status("/actuator/health/liveness", null) == 200);
    }

    @Test
    void endpointsNeedACallerWithTheRoleHealthDoesNot() throws Exception {
        assertThat(status("/ping", null)).isEqualTo(401);
        assertThat(status("/ping", "admin:wrong")).isEqualTo(401);
        assertThat(status("/ping", "analyst:" + LocalUsers.PASSWORD)).isEqualTo(403);
        assertThat(status("/ping", "admin:" + LocalUsers.PASSWORD)).isEqualTo(200);
        assertThat(status("/actuator/health", null)).isEqualTo(200);
        assertThat(status("/actuator/prometheus", null)).isEqualTo(200);
    }

    @Test
    void outsideTheLocalModeAServiceWithTheBuiltInUsersRefusesToStartAndSaysWhatToSet() {
        assertThatThrownBy(() -> new SpringApplicationBuilder(Probe.class).run("--server.port=0",
                "--spring.main.banner-mode=off", "--spring.kafka.bootstrap-servers=" + infra.kafkaBootstrapServers(),
                "--probe.topic=" + topic).close())
                .hasStackTraceContaining("refusing to start outside the local mode")
                .hasStackTraceContaining("SLUICE_SECURITY_JWT_ISSUER_URI");
        assertThatThrownBy(() -> new SpringApplicationBuilder(Probe.class).run("--server.port=0",
                "--spring.main.banner-mode=off", "--spring.kafka.bootstrap-servers=" + infra.kafkaBootstrapServers(),
                "--probe.topic=" + topic, "--sluice.security.users[0].name=ops",
                "--sluice.security.users[0].password=sluice-local", "--sluice.security.users[0].roles=PLATFORM_ADMIN").close())
                .hasStackTraceContaining("plain-text password");
    }

    void send(String value) throws Exception {
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of("bootstrap.servers",
                infra.kafkaBootstrapServers()), new ByteArraySerializer(), new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>(topic, value.getBytes(StandardCharsets.UTF_8))).get(30, TimeUnit.SECONDS);
        }
    }

    int status(String path, String credentials) throws Exception {
        return request(path, credentials).statusCode();
    }

    String body(String path) throws Exception {
        return request(path, null).body();
    }

    HttpResponse<String> request(String path, String credentials) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + path));
        if (credentials != null) {
            request.header("Authorization", "Basic " + Base64.getEncoder().encodeToString(credentials.getBytes(StandardCharsets.UTF_8)));
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
