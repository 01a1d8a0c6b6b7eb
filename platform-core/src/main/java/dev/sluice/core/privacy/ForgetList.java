package dev.sluice.core.privacy;

import dev.sluice.core.hashing.KeyedHash;
import java.io.Serializable;
import java.util.Collection;
import java.util.Set;

/**
 * The erased subjects, as the platform remembers them: a keyed hash of each (entity type, id), never the id in clear
 * (HMAC-SHA-256 with a key derived from the master key, {@code ReservoirKeys#forgetListHash}), so that the list
 * itself names nobody to whoever reads it without the key. Kept by the privacy-requests service in Cassandra and on
 * the compacted {@code privacy.forgotten} topic; the dedup service drops the events that mention an entry, the
 * indexer does not index them, and the tier-zero dump erases them again (defence in depth).
 *
 * <p>An immutable snapshot; Serializable, so that a Spark job ships it (with its key, in memory) to its executors.
 */
public final class ForgetList implements Serializable {

    private static final long serialVersionUID = 1L;

    private final KeyedHash hash;
    private final Set<String> entries;

    public ForgetList(KeyedHash hash, Collection<String> entries) {
        this.hash = hash;
        this.entries = Set.copyOf(entries);
    }

    /** The entry of an entity: the hex HMAC of {@code <entity type> NUL <id>}. */
    public static String entry(KeyedHash hash, EntityRef entity) {
        return hash.hash(entity.type() + '\u0000' + entity.id());
    }

    public String entry(EntityRef entity) {
        return entry(hash, entity);
    }

    /** The same list with more entries. */
    public ForgetList with(Collection<String> more) {
        java.util.Set<String> all = new java.util.HashSet<>(entries);
        all.addAll(more);
        return new ForgetList(hash, all);
    }

    public boolean isEmpty() {
        return entries.isEmpty();
    }

    public int size() {
        return entries.size();
    }

    public boolean contains(EntityRef entity) {
        return !entries.isEmpty() && entries.contains(entry(entity));
    }

    /** Whether the event (Avro or JSON form) mentions a forgotten entity in any entity field. */
    public boolean mentionsForgotten(EntityPaths paths, Object event) {
        if (entries.isEmpty()) {
            return false;
        }
        for (EntityRef entity : paths.mentions(event)) {
            if (entries.contains(entry(entity))) {
                return true;
            }
        }
        return false;
    }

    @Override
    public String toString() {
        return "ForgetList[" + entries.size() + " entries]";
    }
}
