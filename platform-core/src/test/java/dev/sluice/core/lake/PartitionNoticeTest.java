package dev.sluice.core.lake;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.Test;

class PartitionNoticeTest {

    @Test
    void roundTripsThroughJsonWithTheReasonsOfDesignMd() {
        PartitionNotice notice = new PartitionNotice("zero", null, "page_viewed", LocalDate.parse("2026-11-20"), 7,
                List.of("events/page_viewed/date=2026-11-20/hour=07/v=r1/part-0.parquet"), 42,
                PartitionNotice.Reason.LATE_EVENTS);
        String json = new String(notice.toJson(), StandardCharsets.UTF_8);
        assertThat(json).contains("\"reason\":\"late-events\"").doesNotContain("reservoir");
        assertThat(PartitionNotice.fromJson(notice.toJson())).isEqualTo(notice);
        assertThat(notice.key()).isEqualTo("zero/page_viewed/2026-11-20/07");
        assertThat(new PartitionNotice("one", "growth", "page_viewed", LocalDate.parse("2026-11-20"), 13, List.of(), 0,
                PartitionNotice.Reason.POLICY_CHANGE).key()).isEqualTo("one/growth/page_viewed/2026-11-20/13");
    }
}
