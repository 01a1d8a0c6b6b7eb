package dev.sluice.registry;

import static dev.sluice.registry.RunningRegistry.schemaBody;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.infra.LocalInfra;
import dev.sluice.infra.Server;
import dev.sluice.infra.junit.LocalInfraTest;
import dev.sluice.registry.RunningRegistry.Answer;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The topic is the registry: a restart rebuilds every id, version, config, mode and soft delete from it. */
@LocalInfraTest(Server.KAFKA)
class RestartAndWritersIT {

    @Test
    void aRestartKeepsEveryIdVersionConfigAndSoftDelete(LocalInfra infra) {
        String topic = RunningRegistry.freshTopic();
        List<Integer> ids = new ArrayList<>();
        String before;
        try (RunningRegistry registry = RunningRegistry.start(infra, topic, Map.of())) {
            for (int i = 0; i < 5; i++) {
                ids.add(registry.register("kept-" + i + "-value", Schemas.record("Kept" + i, "{\"name\":\"id\",\"type\":\"string\"}")));
            }
            registry.register("kept-0-value", Schemas.record("Kept0", "{\"name\":\"id\",\"type\":\"string\"},"
                    + "{\"name\":\"x\",\"type\":\"int\",\"default\":1}"));
            registry.delete("/subjects/kept-1-value");
            registry.delete("/subjects/kept-0-value/versions/1");
            registry.delete("/subjects/kept-2-value");
            registry.delete("/subjects/kept-2-value?permanent=true");
            registry.put("/config", "{\"compatibility\":\"FORWARD\"}");
            registry.put("/config/kept-3-value", "{\"compatibility\":\"NONE\"}");
            registry.put("/mode", "{\"mode\":\"READONLY\"}");
            before = snapshot(registry, ids);
        }

        try (RunningRegistry restarted = RunningRegistry.start(infra, topic, Map.of())) {
            assertThat(snapshot(restarted, ids)).isEqualTo(before);
            assertThat(restarted.get("/mode").json().path("mode").asString()).isEqualTo("READONLY");
            restarted.put("/mode", "{\"mode\":\"READWRITE\"}");
            // the permanently deleted id stays retired after the restart
            int next = restarted.register("kept-9-value", Schemas.record("Kept9", "{\"name\":\"id\",\"type\":\"string\"}"));
            assertThat(next).isGreaterThan(ids.stream().mapToInt(Integer::intValue).max().orElseThrow());
        }
    }

    /** Everything a client can read, as one text to compare. */
    private static String snapshot(RunningRegistry registry, List<Integer> ids) {
        StringBuilder text = new StringBuilder();
        text.append(registry.get("/subjects").body()).append(registry.get("/subjects?deleted=true").body());
        for (int i = 0; i < 5; i++) {
            String subject = "kept-" + i + "-value";
            text.append(subject).append(registry.get("/subjects/" + subject + "/versions?deleted=true").body());
            text.append(registry.get("/subjects/" + subject + "/versions/latest").body());
            text.append(registry.get("/config/" + subject).body());
        }
        for (int id : ids) {
            text.append(id).append(registry.get("/schemas/ids/" + id).body())
                    .append(registry.get("/schemas/ids/" + id + "/versions?deleted=true").body());
        }
        return text.append(registry.get("/config").body()).append(registry.get("/mode").body()).toString();
    }

    @Test
    void twoInstancesOnOneTopicNeverAssignAnIdTwice(LocalInfra infra) {
        String topic = RunningRegistry.freshTopic();
        try (RunningRegistry first = RunningRegistry.start(infra, topic, Map.of());
                RunningRegistry second = RunningRegistry.start(infra, topic, Map.of())) {
            Set<Integer> ids = new HashSet<>();
            for (int i = 0; i < 20; i++) {
                RunningRegistry writer = i % 2 == 0 ? first : second;
                String schema = Schemas.record("Both" + i, "{\"name\":\"id\",\"type\":\"string\"}");
                // each write takes the writer role from the other instance, which must cost the client nothing
                Answer answer = writer.post("/subjects/both-" + i + "-value/versions", schemaBody(schema));
                assertThat(answer.status()).as(answer.body()).isEqualTo(200);
                assertThat(ids.add(answer.json().path("id").asInt())).as("id %s assigned once", answer.body()).isTrue();
            }
            assertThat(ids).hasSize(20);
            // both instances read the same state from the topic
            assertThat(first.get("/subjects").body()).isEqualTo(second.get("/subjects").body());
        }
    }
}
