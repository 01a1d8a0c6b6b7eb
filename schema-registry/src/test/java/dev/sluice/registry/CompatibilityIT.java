package dev.sluice.registry;

import static dev.sluice.registry.RunningRegistry.schemaBody;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.infra.LocalInfra;
import dev.sluice.infra.Server;
import dev.sluice.infra.junit.LocalInfraTest;
import dev.sluice.registry.RunningRegistry.Answer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Evolution pairs registered under each compatibility level. The expected verdicts follow the Avro
 * specification's schema resolution: a reader fills a field the writer lacks only from its default, finds a
 * renamed field only through its aliases, promotes int to long but not back, and fails on an enum symbol it lacks.
 */
@LocalInfraTest(Server.KAFKA)
class CompatibilityIT {

    static RunningRegistry registry;
    static final AtomicInteger subjects = new AtomicInteger();

    @BeforeAll
    static void start(LocalInfra infra) {
        registry = RunningRegistry.start(infra);
    }

    @AfterAll
    static void stop() {
        registry.close();
    }

    static String schema(String fields) {
        return Schemas.record("Evolving", fields);
    }

    static final String A = "{\"name\":\"a\",\"type\":\"string\"}";
    static final String B_OPTIONAL = "{\"name\":\"b\",\"type\":[\"null\",\"string\"],\"default\":null}";
    static final String B_REQUIRED = "{\"name\":\"b\",\"type\":\"string\"}";
    static final String B_DEFAULT = "{\"name\":\"b\",\"type\":\"string\",\"default\":\"x\"}";
    static final String B_OTHER_DEFAULT = "{\"name\":\"b\",\"type\":\"string\",\"default\":\"y\"}";
    static final String NAME = "{\"name\":\"name\",\"type\":\"string\"}";
    static final String FULL_NAME_ALIAS = "{\"name\":\"full_name\",\"type\":\"string\",\"aliases\":[\"name\"]}";
    static final String FULL_NAME = "{\"name\":\"full_name\",\"type\":\"string\"}";
    static final String N_INT = "{\"name\":\"n\",\"type\":\"int\"}";
    static final String N_LONG = "{\"name\":\"n\",\"type\":\"long\"}";
    static final String COLOR_RG = "{\"name\":\"c\",\"type\":{\"type\":\"enum\",\"name\":\"Color\",\"symbols\":[\"RED\",\"GREEN\"]}}";
    static final String COLOR_RGB = "{\"name\":\"c\",\"type\":{\"type\":\"enum\",\"name\":\"Color\",\"symbols\":[\"RED\",\"GREEN\",\"BLUE\"]}}";

    /** One evolution step: expected verdicts under BACKWARD, FORWARD, FULL. */
    static Stream<Arguments> pairs() {
        List<Arguments> cases = new ArrayList<>();
        add(cases, "add optional field", schema(A), schema(A + "," + B_OPTIONAL), true, true);
        add(cases, "add required field", schema(A), schema(A + "," + B_REQUIRED), false, true);
        add(cases, "remove field without default", schema(A + "," + B_REQUIRED), schema(A), true, false);
        add(cases, "remove field with default", schema(A + "," + B_DEFAULT), schema(A), true, true);
        add(cases, "rename with alias", schema(NAME), schema(FULL_NAME_ALIAS), true, false);
        add(cases, "rename without alias", schema(NAME), schema(FULL_NAME), false, false);
        add(cases, "widen int to long", schema(N_INT), schema(N_LONG), true, false);
        add(cases, "narrow long to int", schema(N_LONG), schema(N_INT), false, true);
        add(cases, "add enum symbol", schema(COLOR_RG), schema(COLOR_RGB), true, false);
        add(cases, "remove enum symbol", schema(COLOR_RGB), schema(COLOR_RG), false, true);
        add(cases, "give a field a default", schema(A + "," + B_REQUIRED), schema(A + "," + B_DEFAULT), true, true);
        add(cases, "take a field's default away", schema(A + "," + B_DEFAULT), schema(A + "," + B_REQUIRED), true, true);
        add(cases, "change a field's default", schema(A + "," + B_DEFAULT), schema(A + "," + B_OTHER_DEFAULT), true, true);
        return cases.stream();
    }

    private static void add(List<Arguments> cases, String name, String before, String after, boolean backward,
            boolean forward) {
        cases.add(Arguments.of(name, "BACKWARD", List.of(before), after, backward));
        cases.add(Arguments.of(name, "FORWARD", List.of(before), after, forward));
        cases.add(Arguments.of(name, "FULL", List.of(before), after, backward && forward));
        cases.add(Arguments.of(name, "NONE", List.of(before), after, true));
    }

    /** Histories that pass step by step but not against every earlier version. */
    static Stream<Arguments> transitive() {
        // a union with null cannot be read as a plain string, so the history uses a default, not an optional
        List<String> backward = List.of(schema(A), schema(A + "," + B_DEFAULT));
        String backwardNext = schema(A + "," + B_REQUIRED);
        List<String> forward = List.of(schema(A + "," + B_REQUIRED), schema(A + "," + B_DEFAULT));
        String forwardNext = schema(A);
        List<String> full = List.of(schema(A), schema(A + "," + B_DEFAULT));
        String fullNext = schema(A + "," + B_REQUIRED);
        return Stream.of(
                Arguments.of("required after a default", "BACKWARD", backward, backwardNext, true),
                Arguments.of("required after a default", "BACKWARD_TRANSITIVE", backward, backwardNext, false),
                Arguments.of("removal after a default", "FORWARD", forward, forwardNext, true),
                Arguments.of("removal after a default", "FORWARD_TRANSITIVE", forward, forwardNext, false),
                Arguments.of("default taken away", "FULL", full, fullNext, true),
                Arguments.of("default taken away", "FULL_TRANSITIVE", full, fullNext, false));
    }

    @ParameterizedTest(name = "{0} under {1}: compatible = {4}")
    @MethodSource({"pairs", "transitive"})
    void registrationFollowsTheLevel(String change, String level, List<String> history, String next, boolean compatible) {
        String subject = "evolution-" + subjects.incrementAndGet() + "-value";
        registry.put("/config/" + subject, "{\"compatibility\":\"NONE\"}");
        history.forEach(schema -> registry.register(subject, schema));
        registry.put("/config/" + subject, "{\"compatibility\":\"" + level + "\"}");

        Answer verdict = registry.post("/compatibility/subjects/" + subject + "/versions/latest?verbose=true", schemaBody(next));
        Answer registration = registry.post("/subjects/" + subject + "/versions", schemaBody(next));

        assertThat(verdict.json().path("is_compatible").asBoolean()).as(verdict.body()).isEqualTo(compatible);
        assertThat(registration.status()).as(registration.body()).isEqualTo(compatible ? 200 : 409);
        if (!compatible) {
            // the reason names the field that breaks
            assertThat(registration.json().path("message").asString()).containsAnyOf("field 'b'", "field 'n'",
                    "field 'c'", "field 'name'", "field 'full_name'");
        }
    }
}
