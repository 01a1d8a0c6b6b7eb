package dev.sluice.infra;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class CassandraConfigTest {

    private static final String YAML = "cluster_name: 'x'\nnum_tokens: 1\nseed_provider:\n  - seeds: \"a\"\n";

    @Test
    void overrideReplacesATopLevelKey() {
        assertThat(CassandraServer.override(YAML, "num_tokens", "16"))
                .isEqualTo("cluster_name: 'x'\nnum_tokens: 16\nseed_provider:\n  - seeds: \"a\"\n");
    }

    @Test
    void overrideAddsAMissingKey() {
        assertThat(CassandraServer.override(YAML, "auto_snapshot", "true")).isEqualTo(YAML + "auto_snapshot: true\n");
    }

    @Test
    void overrideDoesNotTouchNestedKeysOrTreatTheValueAsARegex() {
        assertThat(CassandraServer.override(YAML, "seeds", "$1")).isEqualTo(YAML + "seeds: $1\n");
    }
}
