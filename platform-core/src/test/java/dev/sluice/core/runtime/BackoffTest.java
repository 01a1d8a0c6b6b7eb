package dev.sluice.core.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class BackoffTest {

    @Test
    void growsByItsMultiplierUpToItsCap() {
        Backoff backoff = new Backoff(Duration.ofMillis(500), 2.0, Duration.ofSeconds(3));
        assertThat(backoff.next(Duration.ofMillis(500))).isEqualTo(Duration.ofSeconds(1));
        assertThat(backoff.after(1)).isEqualTo(Duration.ofMillis(500));
        assertThat(backoff.after(3)).isEqualTo(Duration.ofSeconds(2));
        assertThat(backoff.after(4)).isEqualTo(Duration.ofSeconds(3));
        assertThat(backoff.after(1000)).isEqualTo(Duration.ofSeconds(3));
        assertThat(new Backoff(Duration.ofSeconds(1), 1.0, Duration.ofSeconds(5)).after(10)).isEqualTo(Duration.ofSeconds(1));
        assertThat(new Backoff(Duration.ofSeconds(1), 1.5, Duration.ofSeconds(5)).after(2)).isEqualTo(Duration.ofMillis(1500));
    }

    @Test
    void refusesWhatIsNotABackoff() {
        assertThatThrownBy(() -> new Backoff(Duration.ZERO, 2, Duration.ofSeconds(1))).hasMessageContaining("positive");
        assertThatThrownBy(() -> new Backoff(Duration.ofSeconds(1), 0.5, Duration.ofSeconds(1))).hasMessageContaining("at least 1");
        assertThatThrownBy(() -> new Backoff(Duration.ofSeconds(2), 2, Duration.ofSeconds(1))).hasMessageContaining("shorter");
    }
}
