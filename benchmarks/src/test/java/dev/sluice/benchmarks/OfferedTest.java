package dev.sluice.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** How many events the harness has offered by the end of each 10 ms tick, with and without a ramp. */
class OfferedTest {

    @Test
    void withoutARampTheRateIsSteadyFromTheStart() {
        assertThat(EndToEndHarness.offered(1, 0, 10_000)).isEqualTo(100);
        assertThat(EndToEndHarness.offered(6_000, 0, 10_000)).isEqualTo(600_000);
    }

    @Test
    void aRampOffersHalfTheFullRateOverItsLengthThenTheFullRate() {
        long ramp = 40 * 100; // 40 s of 10 ms ticks
        assertThat(EndToEndHarness.offered(ramp / 2, ramp, 10_000)).isEqualTo(50_000); // a quarter of 20 s x 10 000
        assertThat(EndToEndHarness.offered(ramp, ramp, 10_000)).isEqualTo(200_000);
        assertThat(EndToEndHarness.offered(ramp + 100, ramp, 10_000)).isEqualTo(210_000);
        long previous = 0;
        for (long tick = 1; tick <= ramp + 200; tick++) { // never fewer than before, never more than the full rate
            long now = EndToEndHarness.offered(tick, ramp, 10_000);
            assertThat(now - previous).isBetween(0L, 100L);
            previous = now;
        }
    }
}
