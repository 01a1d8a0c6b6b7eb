package dev.sluice.core.policy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.core.policy.Decision.Basis.Kind;
import dev.sluice.core.privacy.PrivacySchema;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.avro.Schema;
import org.junit.jupiter.api.Test;

/** The talk's rules on the demo events, column by column, nested paths included. */
class PolicyEngineTest {

    static final Instant NOW = Instant.parse("2026-11-29T12:00:00Z");

    static PrivacySchema demo(String type) {
        try {
            return PrivacySchema.of(new Schema.Parser().parse(Files.readString(Path.of("../demo/schemas", type + ".avsc"))));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static Map<String, Decision> decide(String type, String reservoir, Collection<Rule> rules, Collection<Grant> grants) {
        return PolicyEngine.decide(type, demo(type), reservoir, rules, grants, NOW).stream()
                .collect(Collectors.toMap(Decision::path, d -> d));
    }

    static Map<String, Action> actions(Map<String, Decision> decisions) {
        return decisions.values().stream().collect(Collectors.toMap(Decision::path, Decision::action));
    }

    static Rule rule(String id, String reservoir, Selector selector, Action action, boolean approved) {
        return new Rule(id, reservoir, selector, action, "test", null, approved);
    }

    @Test
    void withoutRulesPersonalDataIsDroppedAndTheRestShownTheEventIdHashed() {
        Map<String, Action> message = actions(decide("message_sent", "marketing", List.of(), List.of()));
        assertThat(message).containsEntry("id", Action.SHOW).containsEntry("sender_id", Action.DROP)
                .containsEntry("receiver_id", Action.DROP).containsEntry("conversation_id", Action.SHOW)
                .containsEntry("message", Action.DROP).containsEntry("attachments", Action.SHOW)
                .containsEntry("attachments.kind", Action.SHOW).containsEntry("client.platform", Action.SHOW)
                .containsEntry("client.ip_address", Action.DROP).containsEntry("sent_at", Action.SHOW)
                .containsEntry(PolicyEngine.EVENT_ID, Action.HASH).containsEntry(PolicyEngine.EVENT_TIME, Action.SHOW);
        Map<String, Action> account = actions(decide("account_updated", "marketing", List.of(), List.of()));
        // a record field's tag covers its nested fields
        assertThat(account).containsEntry("address", Action.DROP).containsEntry("address.city", Action.DROP)
                .containsEntry("plan", Action.SHOW).containsEntry("preferences", Action.SHOW);
        assertThat(decide("message_sent", "marketing", List.of(), List.of()).get("message").basis().kind())
                .isEqualTo(Kind.DEFAULT);
    }

    @Test
    void theMostSpecificSelectorWinsFieldOverTagOverTableOverAll() {
        List<Rule> rules = List.of(
                rule("all-drop", null, new Selector.All(), Action.DROP, false),
                rule("table-show", null, new Selector.Table("product_created"), Action.SHOW, true),
                rule("tag-hash", null, new Selector.Tag("free_text"), Action.HASH, true),
                rule("field-show", null, new Selector.Field("product_created", "dimensions"), Action.SHOW, true),
                rule("field-drop", null, new Selector.Field("product_created", "dimensions.weight_kg"), Action.DROP, false));
        Map<String, Decision> product = decide("product_created", "marketing", rules, List.of());
        assertThat(product.get("title").action()).isEqualTo(Action.SHOW);
        assertThat(product.get("title").basis().id()).isEqualTo("table-show");
        assertThat(product.get("description").action()).isEqualTo(Action.HASH);
        assertThat(product.get("description").basis().id()).isEqualTo("tag-hash");
        assertThat(product.get("dimensions.width_cm").basis().id()).as("a record field's rule covers its fields")
                .isEqualTo("field-show");
        assertThat(product.get("dimensions.weight_kg").action()).as("unless a deeper path says otherwise")
                .isEqualTo(Action.DROP);
        // the table rule would expose user_id (personal, DROP by default) and... it is approved: SHOW
        assertThat(product.get("user_id").action()).isEqualTo(Action.SHOW);
        Map<String, Decision> message = decide("message_sent", "marketing", rules, List.of());
        assertThat(message.get("conversation_id").basis().id()).isEqualTo("all-drop");
        assertThat(message.get("conversation_id").action()).isEqualTo(Action.DROP);
        assertThat(message.get("message").basis().id()).isEqualTo("tag-hash");
    }

    @Test
    void aReservoirsOwnRuleBeatsAnAllReservoirsRuleAtTheSameLevelAndTheStricterWinsWhatRemainsTied() {
        List<Rule> rules = List.of(
                rule("global", null, new Selector.Field("message_sent", "message"), Action.DROP, false),
                rule("marketing", "marketing", new Selector.Field("message_sent", "message"), Action.HASH, true),
                rule("contact-show", "marketing", new Selector.Tag("contact"), Action.SHOW, true),
                rule("pii-hash", "marketing", new Selector.Tag("PII"), Action.HASH, true));
        assertThat(decide("message_sent", "marketing", rules, List.of()).get("message").action()).isEqualTo(Action.HASH);
        assertThat(decide("message_sent", "finance", rules, List.of()).get("message").action()).isEqualTo(Action.DROP);
        // email has both tags: the tag rules tie, the stricter wins
        Decision email = decide("account_updated", "marketing", rules, List.of()).get("email");
        assertThat(email.action()).isEqualTo(Action.HASH);
        assertThat(email.basis().id()).isEqualTo("pii-hash");
        assertThat(decide("account_updated", "finance", rules, List.of()).get("email").action()).isEqualTo(Action.DROP);
    }

    @Test
    void aRuleThatExposesMoreThanTheDefaultTakesEffectOnlyApprovedAndAnExpiredOneNotAtAll() {
        Rule unapproved = rule("relax", "marketing", new Selector.Field("message_sent", "sender_id"), Action.HASH, false);
        Decision sender = decide("message_sent", "marketing", List.of(unapproved), List.of()).get("sender_id");
        assertThat(sender.action()).isEqualTo(Action.DROP);
        assertThat(sender.basis().kind()).isEqualTo(Kind.DEFAULT);
        Rule stricter = rule("strict", "marketing", new Selector.Field("message_sent", "conversation_id"), Action.HASH, false);
        assertThat(decide("message_sent", "marketing", List.of(stricter), List.of()).get("conversation_id").action())
                .as("a stricter rule needs no approval").isEqualTo(Action.HASH);
        Rule expired = new Rule("old", "marketing", new Selector.Field("message_sent", "conversation_id"), Action.DROP,
                "t", NOW.minusSeconds(1), false);
        assertThat(decide("message_sent", "marketing", List.of(expired), List.of()).get("conversation_id").basis().kind())
                .isEqualTo(Kind.DEFAULT);
    }

    @Test
    void anApprovedGrantDecidesAndNamesItselfAndBeatsTheReservoirsRuleOnTheSameField() {
        Grant grant = new Grant("g-1", "marketing", new Selector.Field("message_sent", "sender_id"), Action.HASH,
                "campaign attribution", NOW.plusSeconds(3600), "analyst", "dpo");
        Rule drop = rule("r-1", "marketing", new Selector.Field("message_sent", "sender_id"), Action.DROP, false);
        Decision sender = decide("message_sent", "marketing", List.of(drop), List.of(grant)).get("sender_id");
        assertThat(sender.action()).isEqualTo(Action.HASH);
        assertThat(sender.basis().kind()).isEqualTo(Kind.GRANT);
        assertThat(sender.basis().text()).contains("approved by dpo");
        assertThat(decide("message_sent", "finance", List.of(drop), List.of(grant)).get("sender_id").action())
                .as("a grant is for its reservoir").isEqualTo(Action.DROP);
        Grant expired = new Grant("g-2", "marketing", grant.selector(), Action.HASH, "x", NOW, "analyst", "dpo");
        assertThat(decide("message_sent", "marketing", List.of(), List.of(expired)).get("sender_id").action())
                .isEqualTo(Action.DROP);
    }
}
