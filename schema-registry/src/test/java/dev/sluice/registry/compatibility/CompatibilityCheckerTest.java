package dev.sluice.registry.compatibility;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.apache.avro.Schema;
import org.junit.jupiter.api.Test;

class CompatibilityCheckerTest {

    private static Schema parse(String json) {
        return new Schema.Parser().parse(json);
    }

    @Test
    void aNestedBreakIsNamedByItsDottedPath() {
        Schema before = parse("""
                {"type":"record","name":"E","fields":[{"name":"id","type":"string"},
                 {"name":"address","type":{"type":"record","name":"A","fields":[{"name":"zip","type":"int"}]}}]}""");
        Schema after = parse(before.toString().replace("\"zip\",\"type\":\"int\"", "\"zip\",\"type\":\"string\""));

        List<String> reasons = CompatibilityChecker.incompatibilities(CompatibilityLevel.BACKWARD, after, List.of(before));

        assertThat(reasons).singleElement().asString().contains("field 'address.zip'").contains("TYPE_MISMATCH");
    }

    @Test
    void inAUnionAvroReportsTheBranchAndTheFieldThatHoldsIt() {
        Schema before = parse("""
                {"type":"record","name":"E","fields":[
                 {"name":"address","type":["null",{"type":"record","name":"A","fields":[{"name":"zip","type":"int"}]}],"default":null}]}""");
        Schema after = parse(before.toString().replace("\"zip\",\"type\":\"int\"", "\"zip\",\"type\":\"string\""));

        List<String> reasons = CompatibilityChecker.incompatibilities(CompatibilityLevel.BACKWARD, after, List.of(before));

        assertThat(reasons).singleElement().asString().contains("field 'address'").contains("MISSING_UNION_BRANCH");
    }

    @Test
    void noneAndAFirstVersionAcceptAnything() {
        Schema a = parse("{\"type\":\"record\",\"name\":\"E\",\"fields\":[{\"name\":\"x\",\"type\":\"int\"}]}");
        Schema b = parse("{\"type\":\"record\",\"name\":\"E\",\"fields\":[{\"name\":\"y\",\"type\":\"string\"}]}");

        assertThat(CompatibilityChecker.incompatibilities(CompatibilityLevel.NONE, b, List.of(a))).isEmpty();
        assertThat(CompatibilityChecker.incompatibilities(CompatibilityLevel.FULL_TRANSITIVE, b, List.of())).isEmpty();
        assertThat(CompatibilityChecker.incompatibilities(CompatibilityLevel.FULL, b, List.of(a))).isNotEmpty();
    }
}
