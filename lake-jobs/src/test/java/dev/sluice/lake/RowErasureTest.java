package dev.sluice.lake;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.core.privacy.EntityRef;
import dev.sluice.core.privacy.PrivacySchema;
import java.util.List;
import java.util.Set;
import org.apache.avro.Schema;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.catalyst.expressions.GenericRowWithSchema;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import scala.jdk.javaapi.CollectionConverters;

/** What an erasure does to one row, by the annotations: drop, redact (nested and in arrays), keep. */
class RowErasureTest {

    static final Schema REVIEW = new Schema.Parser().parse("""
            {"type": "record", "name": "Review", "fields": [
              {"name": "id", "type": "string"},
              {"name": "author", "type": {"type": "record", "name": "Author", "fields": [
                 {"name": "user_id", "type": "string", "sluice.entity": "user/id"}]}},
              {"name": "mentions", "type": {"type": "array", "items": "string"}, "sluice.entity": "user/id"},
              {"name": "items", "type": {"type": "array", "items": {"type": "record", "name": "Item", "fields": [
                 {"name": "seller_id", "type": "string", "sluice.entity": "user/id"},
                 {"name": "sku", "type": "string"}]}}}
            ]}""");
    static final StructType AUTHOR = new StructType().add("user_id", DataTypes.StringType, false);
    static final StructType ITEM = new StructType().add("seller_id", DataTypes.StringType, false)
            .add("sku", DataTypes.StringType, false);
    static final StructType ROW = new StructType().add("id", DataTypes.StringType, false).add("author", AUTHOR, false)
            .add("mentions", new ArrayType(DataTypes.StringType, false), false)
            .add("items", new ArrayType(ITEM, false), false);
    static final RowErasure ERASURE = RowErasure.of(List.of(PrivacySchema.of(REVIEW)));

    @Test
    void theAuthorFieldDropsTheEventMentionsAndSellersAreRedactedEverythingElseStays() {
        Set<EntityRef> luke = Set.of(new EntityRef("user/id", "luke"));
        RowErasure.Forgotten forgotten = luke::contains;
        // luke wrote it: the whole event goes (the first subject field is drop_event by default)
        assertThat(ERASURE.match(review("luke", List.of("han"), List.of("leia")), forgotten).outcome())
                .isEqualTo(RowErasure.Outcome.DROP);
        // han wrote it, mentioning luke and selling with him: it stays, without luke
        Row mixed = review("han", List.of("luke", "leia"), List.of("luke", "han"));
        RowErasure.Match match = ERASURE.match(mixed, forgotten);
        assertThat(match.outcome()).isEqualTo(RowErasure.Outcome.REDACT);
        assertThat(match.subjects()).containsExactly(new EntityRef("user/id", "luke"));
        Row redacted = ERASURE.redact(mixed, forgotten);
        assertThat(redacted.getString(0)).isEqualTo("r-1");
        assertThat(redacted.getStruct(1).getString(0)).isEqualTo("han");
        assertThat(CollectionConverters.asJava(redacted.<String>getSeq(2))).containsExactly(null, "leia");
        List<Row> items = CollectionConverters.asJava(redacted.<Row>getSeq(3));
        assertThat(items.get(0).isNullAt(0)).isTrue();
        assertThat(items.get(0).getString(1)).isEqualTo("sku-0");
        assertThat(items.get(1).getString(0)).isEqualTo("han");
        assertThat(RowErasure.texts(redacted)).doesNotContain("luke").contains("han", "leia", "sku-1");
        // nobody erased in it: kept as it is
        assertThat(ERASURE.match(review("han", List.of("leia"), List.of()), forgotten).outcome())
                .isEqualTo(RowErasure.Outcome.KEEP);
        // the schema a redacted row is written with lets every value be null
        StructType nullable = RowErasure.nullable(ROW);
        assertThat(nullable.fields()).allMatch(field -> field.nullable());
        assertThat(((ArrayType) nullable.apply("mentions").dataType()).containsNull()).isTrue();
        assertThat(((StructType) ((ArrayType) nullable.apply("items").dataType()).elementType()).apply("seller_id")
                .nullable()).isTrue();
    }

    static Row review(String author, List<String> mentions, List<String> sellers) {
        List<Row> items = new java.util.ArrayList<>();
        for (int i = 0; i < sellers.size(); i++) {
            items.add(new GenericRowWithSchema(new Object[] {sellers.get(i), "sku-" + i}, ITEM));
        }
        return new GenericRowWithSchema(new Object[] {"r-1", new GenericRowWithSchema(new Object[] {author}, AUTHOR),
                CollectionConverters.asScala(mentions).toSeq(), CollectionConverters.asScala(items).toSeq()}, ROW);
    }
}
