package dev.sluice.catalog;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Tier zero's layout (lake-jobs' TierZeroPartitions): {@code <root>/events/<type>/date=YYYY-MM-DD/hour=HH/_current}
 * names the partition's current version {@code v=<run>}, which holds the Parquet files and {@code _columns.json}.
 */
public final class LakeLayout {

    static final String POINTER = "_current";
    static final String COLUMNS = "_columns.json";
    private static final Pattern POINTER_KEY = Pattern.compile(
            "^(?<root>(?:.*/)?)events/(?<type>[A-Za-z0-9_.-]+)/date=(?<date>\\d{4}-\\d{2}-\\d{2})/hour=(?<hour>\\d{2})/_current$");

    private LakeLayout() {
    }

    /**
     * A partition's pointer object.
     *
     * @param root the lake root's key prefix ("" or ending with /)
     */
    public record PointerKey(String root, String eventType, String date, String hour) {

        public String partition() {
            return root + "events/" + eventType + "/date=" + date + "/hour=" + hour + "/";
        }

        public String table() {
            return root + "events/" + eventType + "/";
        }
    }

    /** The pointer object's key parsed, or empty when the key is any other object (a Parquet file, ...). */
    public static Optional<PointerKey> pointer(String key) {
        Matcher m = POINTER_KEY.matcher(key);
        return m.matches() ? Optional.of(new PointerKey(m.group("root"), m.group("type"), m.group("date"), m.group("hour")))
                : Optional.empty();
    }
}
