package dev.sluice.core.lake;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The lake's layout, written by the lake jobs and read by the catalog and the services: under a root (tier zero's,
 * or a reservoir's in tier one) each partition is {@code events/<type>/date=<yyyy-MM-dd>/hour=<HH>/} and holds
 * versions {@code v=<run>/} (Parquet files and {@value #COLUMNS}) and a pointer {@value #POINTER} whose content
 * names the version readers use.
 *
 * <p>Why versions and a pointer: S3 has no atomic rename of a directory, so overwriting a partition in place would
 * let a reader see a mix of old and new files, or none. A writer puts its version beside the current one and only
 * then replaces the pointer, one PUT that S3 makes visible atomically: a reader that follows the pointer sees the old
 * version or the new one, never a part.
 */
public final class LakeLayout {

    /** The directory below a root that holds the event types' tables. */
    public static final String EVENTS = "events";
    /** The pointer object of a partition; its content is the current version's directory name. */
    public static final String POINTER = "_current";
    /**
     * Beside the files of each version: {@code {"format":"parquet","columns":[{"name","type"}]}} with Hive type
     * names, what a catalog table needs without reading Parquet.
     */
    public static final String COLUMNS = "_columns.json";
    /** Version directories are {@code v=<run>}; run ids sort by time. */
    public static final String VERSION_PREFIX = "v=";

    private static final Pattern VERSION = Pattern.compile("v=[A-Za-z0-9_.:-]+");
    private static final Pattern POINTER_KEY = Pattern.compile("^(?<root>(?:.*/)?)" + EVENTS
            + "/(?<type>[A-Za-z0-9_.-]+)/date=(?<date>\\d{4}-\\d{2}-\\d{2})/hour=(?<hour>\\d{2})/" + POINTER + "$");

    private LakeLayout() {
    }

    /** {@code v=<run>}. */
    public static String versionDirectory(String run) {
        String version = VERSION_PREFIX + run;
        if (!VERSION.matcher(version).matches()) {
            throw new IllegalArgumentException("not a run id (letters, digits, _ . : -): '" + run + "'");
        }
        return version;
    }

    public static boolean isVersionDirectory(String name) {
        return VERSION.matcher(name).matches();
    }

    /** The version a pointer's content names, checked (a pointer is trusted by nobody). */
    public static String versionInPointer(String content) {
        String version = content.trim();
        if (!isVersionDirectory(version)) {
            throw new IllegalArgumentException("a partition pointer names no version: '" + version + "'");
        }
        return version;
    }

    /** {@code <root>/events/<type>} (root without a trailing slash). */
    public static String table(String root, String eventType) {
        return trim(root) + '/' + EVENTS + '/' + eventType;
    }

    /** {@code <root>/events/<type>/date=…/hour=…}. */
    public static String partition(String root, HourPartition partition) {
        return trim(root) + '/' + partition.path();
    }

    /** {@code <root>/events/<type>/date=…/hour=…/_current}. */
    public static String pointer(String root, HourPartition partition) {
        return partition(root, partition) + '/' + POINTER;
    }

    /** {@code events/<type>/date=…/hour=…/_current}, relative to a root. */
    public static String relativePointer(HourPartition partition) {
        return partition.path() + '/' + POINTER;
    }

    /** {@code <root>/<reservoir>}: a reservoir's root in tier one. */
    public static String reservoirRoot(String tierOneRoot, String reservoir) {
        return trim(tierOneRoot) + '/' + reservoir;
    }

    private static String trim(String root) {
        return root.replaceAll("/+$", "");
    }

    /**
     * A partition's pointer object, as an object key in a bucket.
     *
     * @param root the key prefix in front of {@code events/} ("" or ending with /)
     */
    public record PointerKey(String root, HourPartition partition) {

        /** The partition's key prefix, ending with /. */
        public String partitionPrefix() {
            return root + partition.path() + '/';
        }

        /** The table's key prefix, ending with /. */
        public String tablePrefix() {
            return root + EVENTS + '/' + partition.eventType() + '/';
        }
    }

    /** The pointer object's key parsed, or empty when the key is any other object (a Parquet file, ...). */
    public static Optional<PointerKey> parsePointerKey(String key) {
        Matcher m = POINTER_KEY.matcher(key);
        if (!m.matches()) {
            return Optional.empty();
        }
        try {
            return Optional.of(new PointerKey(m.group("root"), new HourPartition(m.group("type"),
                    java.time.LocalDate.parse(m.group("date")), Integer.parseInt(m.group("hour")))));
        } catch (RuntimeException e) {
            return Optional.empty(); // date=2026-13-45, hour=27: not a partition of the layout
        }
    }
}
