package dev.sluice.core.lake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.LocalDate;
import org.junit.jupiter.api.Test;

class LakeLayoutTest {

    static final HourPartition HOUR = new HourPartition("page_viewed", LocalDate.parse("2026-11-20"), 13);

    @Test
    void pathsUnderARootAndAReservoir() {
        assertThat(LakeLayout.partition("s3a://lake/tier0/", HOUR))
                .isEqualTo("s3a://lake/tier0/events/page_viewed/date=2026-11-20/hour=13");
        assertThat(LakeLayout.pointer("file:///l", HOUR)).isEqualTo("file:///l/events/page_viewed/date=2026-11-20/hour=13/_current");
        assertThat(LakeLayout.table("s3a://lake/tier0", "page_viewed")).isEqualTo("s3a://lake/tier0/events/page_viewed");
        assertThat(LakeLayout.reservoirRoot("s3a://lake/tier1/", "marketing")).isEqualTo("s3a://lake/tier1/marketing");
        assertThat(LakeLayout.versionDirectory("20261120T130000000Z")).isEqualTo("v=20261120T130000000Z");
        assertThatThrownBy(() -> LakeLayout.versionDirectory("../x")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aPointerKeyIsParsedAnythingElseIsNot() {
        var key = LakeLayout.parsePointerKey("tier0/events/page_viewed/date=2026-11-20/hour=13/_current").orElseThrow();
        assertThat(key.root()).isEqualTo("tier0/");
        assertThat(key.partition()).isEqualTo(HOUR);
        assertThat(key.partitionPrefix()).isEqualTo("tier0/events/page_viewed/date=2026-11-20/hour=13/");
        assertThat(key.tablePrefix()).isEqualTo("tier0/events/page_viewed/");
        assertThat(LakeLayout.parsePointerKey("events/x/date=2026-11-20/hour=01/_current").orElseThrow().root()).isEmpty();
        assertThat(LakeLayout.parsePointerKey("tier0/events/x/date=2026-11-20/hour=01/v=1/part-0.parquet")).isEmpty();
        assertThat(LakeLayout.parsePointerKey("tier0/events/x/date=2026-13-40/hour=01/_current")).isEmpty();
        assertThat(LakeLayout.parsePointerKey("tier0/events/x/date=2026-11-20/hour=25/_current")).isEmpty();
    }

    @Test
    void aPointerNamesAVersionOrIsRefused() {
        assertThat(LakeLayout.versionInPointer(" v=run1\n")).isEqualTo("v=run1");
        assertThatThrownBy(() -> LakeLayout.versionInPointer("../../etc")).isInstanceOf(IllegalArgumentException.class);
        assertThat(LakeLayout.isVersionDirectory("v=run1")).isTrue();
        assertThat(LakeLayout.isVersionDirectory("_current")).isFalse();
    }
}
