package dev.sluice.core.topics;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;

class TopicsTest {

    @Test
    void theInternalTopicsAreWhatTheirReadersRelyOn() {
        assertThat(Topics.DIRTY_HOURS_SPEC.isCompacted()).isTrue();
        assertThat(Topics.GOVERNANCE_CHANGES_SPEC.isCompacted()).isTrue();
        assertThat(Topics.FORGOTTEN_SPEC.isCompacted()).isTrue();
        assertThat(Topics.PARTITIONS_SPEC.isCompacted()).isFalse();
        assertThat(Topics.PARTITIONS_SPEC.configs()).containsEntry("retention.ms", Long.toString(30L * 24 * 3600 * 1000));
        assertThat(Topics.LAKE_DEAD_LETTERS_SPEC.configs()).containsEntry("retention.ms", "-1");
        var renamed = Topics.DIRTY_HOURS_SPEC.named("t.dirty-hours").newTopic(3, (short) 2);
        assertThat(renamed.name()).isEqualTo("t.dirty-hours");
        assertThat(renamed.numPartitions()).isEqualTo(3);
        assertThat(renamed.configs()).containsEntry("cleanup.policy", "compact");
    }

    @Test
    void theEventTimeHeaderIsExactToTheMicrosecond() {
        RecordHeaders headers = new RecordHeaders();
        long micros = Instant.parse("2026-11-20T13:14:15.123456Z").getEpochSecond() * 1_000_000 + 123_456;
        headers.add(EventHeaders.EVENT_TIME, EventHeaders.eventTimeValue(micros));
        assertThat(EventHeaders.eventTime(headers)).isEqualTo(Instant.parse("2026-11-20T13:14:15.123456Z"));
        RecordHeaders before1970 = new RecordHeaders();
        before1970.add(EventHeaders.EVENT_TIME, EventHeaders.eventTimeValue(-1));
        assertThat(EventHeaders.eventTime(before1970)).isEqualTo(Instant.parse("1969-12-31T23:59:59.999999Z"));
    }

    @Test
    void aMissingOrMalformedHeaderMeansDecode() {
        assertThat(EventHeaders.eventTime(new RecordHeaders())).isNull();
        for (String bad : new String[] {"", "-", "12a", "9999999999999999999", "1.5"}) {
            RecordHeaders headers = new RecordHeaders();
            headers.add(EventHeaders.EVENT_TIME, bad.getBytes(StandardCharsets.US_ASCII));
            assertThat(EventHeaders.eventTime(headers)).as(bad).isNull();
        }
    }
}
