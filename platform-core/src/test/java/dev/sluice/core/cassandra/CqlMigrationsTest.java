package dev.sluice.core.cassandra;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class CqlMigrationsTest {

    @Test
    void splitsStatementsAtLineEndingSemicolonsAndDropsComments() {
        String text = """
                -- a comment; with a semicolon
                CREATE TABLE IF NOT EXISTS ks.a (
                    id text PRIMARY KEY, -- trailing text stays
                    v text
                ) WITH comment = 'x;y';

                CREATE INDEX IF NOT EXISTS ON ks.a (v);
                """;
        assertThat(CqlMigrations.statements(text)).containsExactly(
                "CREATE TABLE IF NOT EXISTS ks.a (\n    id text PRIMARY KEY, -- trailing text stays\n    v text\n) WITH comment = 'x;y'",
                "CREATE INDEX IF NOT EXISTS ON ks.a (v)");
    }
}
