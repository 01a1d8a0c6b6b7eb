package dev.sluice.catalog;

import dev.sluice.core.lake.LakeLayout;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Which catalog database a partition of the lake belongs to, from where its pointer is: tier one's key prefix
 * followed by a reservoir's name is that reservoir's database ({@code sluice_<reservoir>}); anything else is tier
 * zero's ({@code sluice_tier0}). Both tiers are in one bucket (or one local directory), under their own prefixes.
 *
 * @param tierZeroDatabase tier zero's database
 * @param tierOnePrefix tier one's key prefix, ending with / (e.g. {@code tier1/}); empty: no reservoir is registered
 * @param reservoirDatabasePrefix a reservoir's database is this followed by the reservoir's name
 */
public record LakeTiers(String tierZeroDatabase, String tierOnePrefix, String reservoirDatabasePrefix) {

    private static final Pattern RESERVOIR = Pattern.compile("[a-z][a-z0-9_]{0,63}");

    public LakeTiers {
        Objects.requireNonNull(tierZeroDatabase, "tierZeroDatabase");
        tierOnePrefix = tierOnePrefix == null || tierOnePrefix.isBlank() ? "" : tierOnePrefix.replaceAll("^/+", "")
                .replaceAll("/+$", "") + "/";
        reservoirDatabasePrefix = reservoirDatabasePrefix == null ? "sluice_" : reservoirDatabasePrefix;
    }

    /** Where a partition goes: its database, and its reservoir (null in tier zero). */
    public record Target(String database, String reservoir) {

        public boolean isReservoir() {
            return reservoir != null;
        }
    }

    public Target of(LakeLayout.PointerKey pointer) {
        String root = pointer.root();
        if (!tierOnePrefix.isEmpty() && root.startsWith(tierOnePrefix)) {
            String reservoir = root.substring(tierOnePrefix.length()).replaceAll("/$", "");
            if (!RESERVOIR.matcher(reservoir).matches()) {
                throw new IllegalArgumentException("not a reservoir's partition (tier one is <prefix><reservoir>/events/...): "
                        + pointer.partitionPrefix());
            }
            return new Target(reservoirDatabasePrefix + reservoir, reservoir);
        }
        return new Target(tierZeroDatabase, null);
    }

    /** The key prefix of a reservoir's root in the bucket. */
    public String reservoirPrefix(String reservoir) {
        return tierOnePrefix + reservoir + "/";
    }
}
