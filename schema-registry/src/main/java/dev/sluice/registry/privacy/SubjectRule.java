package dev.sluice.registry.privacy;

import java.util.regex.Pattern;

/**
 * A subject glob ({@code events.valid.*-value}: {@code *} matches any run of characters) and the value that
 * applies to the subjects it matches; the first matching rule wins.
 */
public record SubjectRule<T>(String subjects, T value) {

    public boolean matches(String subject) {
        return glob(subjects).matcher(subject).matches();
    }

    static Pattern glob(String glob) {
        StringBuilder regex = new StringBuilder();
        for (String part : glob.split("\\*", -1)) {
            if (!regex.isEmpty()) {
                regex.append(".*");
            }
            regex.append(Pattern.quote(part));
        }
        return Pattern.compile(regex.toString());
    }
}
