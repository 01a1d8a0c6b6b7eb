package dev.sluice.core.lake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.time.LocalDate;
import org.junit.jupiter.api.Test;

class HourPartitionTest {

    @Test
    void keyAndPathAreTheTypeDateAndTwoDigitHour() {
        HourPartition hour = HourPartition.of("page_viewed", Instant.parse("2026-03-07T05:00:00Z"));
        assertThat(hour.key()).isEqualTo("page_viewed/2026-03-07/05");
        assertThat(hour.path()).isEqualTo("events/page_viewed/date=2026-03-07/hour=05");
        assertThat(hour.start()).isEqualTo(Instant.parse("2026-03-07T05:00:00Z"));
        assertThat(HourPartition.holding("x", Instant.parse("1969-12-31T23:59:59.999Z")))
                .isEqualTo(new HourPartition("x", LocalDate.parse("1969-12-31"), 23));
    }

    @Test
    void aKeyRoundTripsAndWhatIsNotAKeyIsRefused() {
        HourPartition hour = new HourPartition("a.b-c_d", LocalDate.parse("2026-11-20"), 13);
        assertThat(HourPartition.parseKey(hour.key())).isEqualTo(hour);
        for (String bad : new String[] {"x/2026-11-20/3", "x/2026-11-20/24", "x/2026-13-01/01", "x/2026-11-20",
                "/2026-11-20/01", "x y/2026-11-20/01", "x/2026-11-20/01/extra", "x/2026-11-20/+1"}) {
            assertThatThrownBy(() -> HourPartition.parseKey(bad)).as(bad).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("<type>");
        }
    }

    @Test
    void theDirtyHourKeyIsThePartitionKey() {
        DirtyHour notice = new DirtyHour("t", Instant.parse("2026-11-20T13:00:00Z"), Instant.now(), 1);
        assertThat(notice.key()).isEqualTo(notice.partition().key()).isEqualTo("t/2026-11-20/13");
    }

    @Test
    void refusesWhatIsNotAnHour() {
        assertThatThrownBy(() -> HourPartition.of("x", Instant.parse("2026-11-20T13:30:00Z")))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new HourPartition("../etc", LocalDate.parse("2026-11-20"), 1))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
