package dev.sluice.registry;

import static dev.sluice.registry.RunningRegistry.schemaBody;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.infra.LocalInfra;
import dev.sluice.infra.Server;
import dev.sluice.registry.RunningRegistry.Answer;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Kafka gone: a change is answered with Confluent's storage error, in bounded time, and reads still answer. */
class StorageErrorIT {

    @Test
    void aWriteWithoutKafkaIsAStorageError() {
        Path directory = Path.of("target", "local-infra", "storage-error-" + ProcessHandle.current().pid());
        try (LocalInfra own = LocalInfra.builder().directory(directory).build().start(Server.KAFKA);
                RunningRegistry registry = RunningRegistry.start(own, RunningRegistry.freshTopic(),
                        Map.of("sluice.registry.storage-timeout", "3s"))) {
            int id = registry.register("before-value", Schemas.record("Before", "{\"name\":\"id\",\"type\":\"string\"}"));

            own.stop(Server.KAFKA);
            Answer answer = registry.post("/subjects/after-value/versions",
                    schemaBody(Schemas.record("After", "{\"name\":\"id\",\"type\":\"string\"}")));

            assertThat(answer.status()).isEqualTo(500);
            assertThat(answer.errorCode()).isEqualTo(50001);
            assertThat(answer.json().path("message").asString()).contains("backend data store");
            assertThat(registry.get("/schemas/ids/" + id).status()).isEqualTo(200);
        }
    }
}
