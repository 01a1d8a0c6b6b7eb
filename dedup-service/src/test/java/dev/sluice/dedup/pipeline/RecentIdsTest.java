package dev.sluice.dedup.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RecentIdsTest {

    @Test
    void remembersWhatWasAddedPerEventType() {
        RecentIds ids = new RecentIds(1000);
        ids.add(ids.fingerprint("page_viewed", "e-1"));
        assertThat(ids.contains(ids.fingerprint("page_viewed", "e-1"))).isTrue();
        assertThat(ids.contains(ids.fingerprint("page_viewed", "e-2"))).isFalse();
        assertThat(ids.contains(ids.fingerprint("message_sent", "e-1"))).as("same id, other type").isFalse();
    }

    @Test
    void remembersAtLeastHalfItsCapacityAndForgetsTheOldest() {
        RecentIds ids = new RecentIds(10_000);
        for (int i = 0; i < 30_000; i++) {
            ids.add(ids.fingerprint("t", "e-" + i));
        }
        for (int i = 25_000; i < 30_000; i++) {
            assertThat(ids.contains(ids.fingerprint("t", "e-" + i))).as("recent e-%d", i).isTrue();
        }
        for (int i = 0; i < 10_000; i++) {
            assertThat(ids.contains(ids.fingerprint("t", "e-" + i))).as("old e-%d", i).isFalse();
        }
    }

    @Test
    void zeroCapacityRemembersNothing() {
        RecentIds ids = new RecentIds(0);
        ids.add(ids.fingerprint("t", "e"));
        assertThat(ids.contains(ids.fingerprint("t", "e"))).isFalse();
    }

    @Test
    void theSubscriptionTakesEveryValidTopicButTheDeadLetters() {
        var pattern = DedupListener.validTopics("events.valid.", "events.valid.dlt");
        assertThat(pattern.matcher("events.valid.page_viewed").matches()).isTrue();
        assertThat(pattern.matcher("events.valid.dlt_tracking").matches()).isTrue();
        assertThat(pattern.matcher("events.valid.dlt").matches()).isFalse();
        assertThat(pattern.matcher("events.raw").matches()).isFalse();
        assertThat(pattern.matcher("eventsXvalidXpage").matches()).isFalse();
    }
}
