package dev.sluice.console.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SelectorsTest {

    @Test
    void formValuesBecomeTheApisSelectors() {
        assertThat(Selectors.fromForm("field:account_updated:address.city")).containsExactly(Map.entry("kind", "field"),
                Map.entry("event_type", "account_updated"), Map.entry("path", "address.city"));
        assertThat(Selectors.fromForm("tag:PII")).containsExactly(Map.entry("kind", "tag"), Map.entry("tag", "PII"));
        assertThat(Selectors.fromForm("table:message_sent")).containsEntry("kind", "table")
                .containsEntry("event_type", "message_sent");
        assertThat(Selectors.fromForm("all")).containsExactly(Map.entry("kind", "all"));
    }

    @Test
    void malformedFormValuesAreRefusedWithWhatIsExpected() {
        assertThatThrownBy(() -> Selectors.fromForm("field:account_updated")).hasMessageContaining("field:<event type>:<path>");
        assertThatThrownBy(() -> Selectors.fromForm("column:x")).hasMessageContaining("choose a column or a tag");
        assertThatThrownBy(() -> Selectors.fromForm(" ")).hasMessageContaining("is required");
    }

    @Test
    void storedSelectorsAreDescribedAndMatchedAgainstColumns() {
        Map<String, Object> field = Map.of("event_type", "account_updated", "path", "address");
        Map<String, Object> tag = Map.of("tag", "PII");
        Map<String, Object> table = Map.of("event_type", "message_sent");
        assertThat(Selectors.describe(field)).isEqualTo("account_updated.address");
        assertThat(Selectors.describe(tag)).isEqualTo("tag PII");
        assertThat(Selectors.describe(table)).isEqualTo("table message_sent");
        assertThat(Selectors.describe(Map.of())).isEqualTo("all columns");

        Map<String, Object> city = Map.of("path", "address.city", "tags", List.of());
        Map<String, Object> addressee = Map.of("path", "addressee", "tags", List.of("PII"));
        assertThat(Selectors.covers(field, "account_updated", city)).as("a record field covers its fields").isTrue();
        assertThat(Selectors.covers(field, "account_updated", addressee)).as("not a mere prefix").isFalse();
        assertThat(Selectors.covers(field, "message_sent", city)).isFalse();
        assertThat(Selectors.covers(tag, "message_sent", addressee)).isTrue();
        assertThat(Selectors.covers(tag, "message_sent", city)).isFalse();
        assertThat(Selectors.covers(table, "message_sent", city)).isTrue();
        assertThat(Selectors.covers(table, "account_updated", city)).isFalse();
    }
}
