package dev.sluice.core.privacy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.core.hashing.KeyedHash;
import dev.sluice.core.hashing.ReservoirKeys;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.junit.jupiter.api.Test;

class ForgetListTest {

    static final ReservoirKeys KEYS = new ReservoirKeys("a master key of thirty-two bytes or more"
            .getBytes(StandardCharsets.UTF_8));
    static final Schema MESSAGE = new Schema.Parser().parse("""
            {"type": "record", "name": "Message", "fields": [
              {"name": "id", "type": "string"},
              {"name": "sender_id", "type": "string", "sluice.entity": "user/id"},
              {"name": "receiver_id", "type": "string", "sluice.entity": "user/id", "sluice.on_erasure": "redact"},
              {"name": "product_id", "type": ["null", "string"], "default": null, "sluice.entity": "product/id"}
            ]}""");

    @Test
    void anEntryIsAKeyedHashOfTypeAndIdThatNamesNobodyInClear() {
        KeyedHash hash = KEYS.forgetListHash();
        String entry = ForgetList.entry(hash, new EntityRef("user/id", "luke"));
        assertThat(entry).hasSize(64).doesNotContain("luke");
        assertThat(entry).isEqualTo(ForgetList.entry(KEYS.forgetListHash(), new EntityRef("user/id", "luke")));
        // the type is part of what is hashed, and the key is no reservoir's
        assertThat(entry).isNotEqualTo(ForgetList.entry(hash, new EntityRef("product/id", "luke")));
        assertThat(entry).isNotEqualTo(KEYS.hasher("forget_list", 1).hash("user/id\u0000luke"));
        assertThat(KEYS.forgetListHash().hash("luke")).isNotEqualTo(KEYS.hasher("sluice forget-list v", 1).hash("luke"));
    }

    @Test
    void anEventIsForgottenWhenAnyEntityFieldNamesAnEntry() {
        KeyedHash hash = KEYS.forgetListHash();
        ForgetList list = new ForgetList(hash, List.of(ForgetList.entry(hash, new EntityRef("user/id", "luke"))));
        EntityPaths paths = EntityPaths.of(PrivacySchema.of(MESSAGE));
        assertThat(list.mentionsForgotten(paths, message("luke", "han"))).isTrue();
        assertThat(list.mentionsForgotten(paths, message("han", "luke"))).isTrue();
        assertThat(list.mentionsForgotten(paths, message("han", "leia"))).isFalse();
        assertThat(list.contains(new EntityRef("user/id", "luke"))).isTrue();
        assertThat(list.contains(new EntityRef("product/id", "luke"))).isFalse();
        ForgetList empty = new ForgetList(null, List.of()); // no key needed while nobody is erased
        assertThat(empty.mentionsForgotten(paths, message("luke", "han"))).isFalse();
        assertThat(empty.with(List.of(ForgetList.entry(hash, new EntityRef("user/id", "x")))).size()).isEqualTo(1);
    }

    static GenericRecord message(String sender, String receiver) {
        GenericRecord event = new GenericData.Record(MESSAGE);
        event.put("id", "m-1");
        event.put("sender_id", sender);
        event.put("receiver_id", receiver);
        return event;
    }
}
