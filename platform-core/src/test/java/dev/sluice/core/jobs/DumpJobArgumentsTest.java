package dev.sluice.core.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.core.lake.HourPartition;
import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.Test;

class DumpJobArgumentsTest {

    @Test
    void whatTheDatapumpWritesTheJobReads() {
        DumpJobArguments arguments = new DumpJobArguments(List.of(new HourPartition("a", LocalDate.parse("2026-11-20"), 1),
                new HourPartition("b", LocalDate.parse("2025-01-02"), 23)), "s3a://lake/tier0", "h1:9042,h2:9042", "dc2",
                "ks", "http://registry:8081", "20261120T010000000Z", "k:9092", "t.partitions", "t.forgotten", "local[2]");
        assertThat(arguments.toArgs()).containsSequence("--hours", "a/2026-11-20/01,b/2025-01-02/23");
        assertThat(DumpJobArguments.parse(arguments.toArgs().toArray(String[]::new))).isEqualTo(arguments);
    }

    @Test
    void optionalArgumentsHaveTheirDefaultsAndRequiredOnesAreRequired() {
        DumpJobArguments parsed = DumpJobArguments.parse(new String[] {"--hours", "a/2026-11-20/01", "--lake", "file:///l",
                "--cassandra", "c:9042", "--registry", "http://r", "--run", "r1"});
        assertThat(parsed.keyspace()).isEqualTo("sluice");
        assertThat(parsed.datacenter()).isEqualTo("datacenter1");
        assertThat(parsed.kafka()).isNull();
        assertThat(parsed.master()).isNull();
        assertThat(parsed.toArgs()).doesNotContain("--kafka", "--master");
        assertThatThrownBy(() -> DumpJobArguments.parse(new String[] {"--hours", "a/2026-11-20/01"}))
                .hasMessageContaining("--lake is required");
        assertThatThrownBy(() -> DumpJobArguments.parse(new String[] {"--hours"})).hasMessageContaining("--name value");
        assertThatThrownBy(() -> DumpJobArguments.parse(new String[] {"--hours", "nope", "--lake", "l", "--cassandra", "c",
                "--registry", "r", "--run", "r"})).hasMessageContaining("not an hour key");
        assertThatThrownBy(() -> DumpJobArguments.parse(new String[] {"--run", "a", "--run", "b"}))
                .hasMessageContaining("given twice");
    }
}
