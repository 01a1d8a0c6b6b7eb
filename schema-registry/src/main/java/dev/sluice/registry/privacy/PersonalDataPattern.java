package dev.sluice.registry.privacy;

import java.util.regex.Pattern;

/**
 * A field-name pattern that suggests personal data. Names are compared in snake case ({@code userId} is read as
 * {@code user_id}).
 *
 * @param kind what such a field usually holds, for the message ("a person's id", "an email address")
 * @param regex a full-match, case-insensitive regular expression over the snake-case field name
 * @param annotation the annotation to suggest, e.g. {@code "sluice.entity": "user/id"} or {@code "sluice.tags": ["PII"]}
 */
public record PersonalDataPattern(String kind, String regex, String annotation) {

    public Pattern compiled() {
        return Pattern.compile(regex, Pattern.CASE_INSENSITIVE);
    }
}
