package dev.sluice.infra;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Base64;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class KafkaClusterIdTest {

    /** One id in 64 would start with '-', which kafka-storage reads as an option: it must never be generated. */
    @Test
    void clusterIdsAreSixteenByteBase64UrlAndNeverStartWithADash() {
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < 5_000; i++) {
            String id = KafkaServer.newClusterId();
            assertThat(id).hasSize(22).doesNotStartWith("-").matches("[A-Za-z0-9_-]+");
            assertThat(Base64.getUrlDecoder().decode(id)).hasSize(16);
            ids.add(id);
        }
        assertThat(ids).hasSize(5_000);
    }
}
