package dev.sluice.core.lake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class DirtyHourTest {

    @Test
    void keyIsTypeDateAndTwoDigitHourInUtc() {
        DirtyHour hour = new DirtyHour("page_viewed", Instant.parse("2026-03-07T05:00:00Z"),
                Instant.parse("2026-11-26T10:00:00.123Z"), 42);
        assertThat(hour.key()).isEqualTo("page_viewed/2026-03-07/05");
        assertThat(hour.date()).hasToString("2026-03-07");
        assertThat(hour.hour()).isEqualTo(5);
    }

    @Test
    void valueRoundTripsThroughJson() {
        DirtyHour hour = new DirtyHour("page_viewed", Instant.parse("2026-03-07T23:00:00Z"),
                Instant.parse("2026-11-26T10:00:00.123Z"), 42);
        assertThat(new String(hour.toJson(), StandardCharsets.UTF_8)).isEqualTo("{\"event_type\":\"page_viewed\","
                + "\"date\":\"2026-03-07\",\"hour\":23,\"last_landing_time\":\"2026-11-26T10:00:00.123Z\",\"events\":42}");
        assertThat(DirtyHour.fromJson(hour.toJson())).isEqualTo(hour);
    }

    @Test
    void anEventTimeBelongsToTheHourThatStartsAtOrBeforeIt() {
        assertThat(DirtyHour.hourOf(Instant.parse("2026-03-07T05:59:59.999Z"))).isEqualTo(Instant.parse("2026-03-07T05:00:00Z"));
        assertThat(DirtyHour.hourOf(Instant.parse("1969-12-31T23:30:00Z"))).isEqualTo(Instant.parse("1969-12-31T23:00:00Z"));
    }

    @Test
    void refusesWhatIsNotANotice() {
        assertThatThrownBy(() -> DirtyHour.fromJson("{\"event_type\":\"x\"}".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not a dirty-hour notice");
        assertThatThrownBy(() -> new DirtyHour("x", Instant.parse("2026-03-07T05:30:00Z"), Instant.EPOCH, 1))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
