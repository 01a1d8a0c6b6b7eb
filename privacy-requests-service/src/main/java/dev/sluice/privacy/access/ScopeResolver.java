package dev.sluice.privacy.access;

import dev.sluice.core.jobs.AccessBatch;
import dev.sluice.core.lake.HourPartition;
import dev.sluice.core.privacy.EntityPaths;
import dev.sluice.core.privacy.EntityRef;
import dev.sluice.core.privacy.PrivacySchema;
import dev.sluice.core.registry.SchemaRegistryClient;
import dev.sluice.privacy.index.EntityIndex;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Resolves a request's scope: the subject; the entities linked to it, hop by hop up to the depth (1 by default: a
 * user's products, not the products' other buyers); then, for each, the hours the reverse index names. No scan of
 * the lake where the index answers. The graph is followed through things, never into other people: an entity whose
 * type identifies a data subject (a {@code user/} linked as a message's receiver) is someone else's data, not part
 * of this subject's, so neither it nor what hangs off it joins the scope; the events that mention both (the
 * messages between them) are in the scope through the subject anyway. Where it cannot — an event type whose topic had lost records before the indexer
 * read it (or that the indexer never read) while its schemas carry one of the scope's entity types — the hours it
 * cannot answer for are scanned, bounded by {@code fallbackDays}, and the scope says so.
 */
public final class ScopeResolver {

    private final EntityIndex index;
    private final SchemaRegistryClient registry;
    private final String validSubjectPrefix;
    private final Set<String> subjectPrefixes;
    private final int depth;
    private final int maxEntities;
    private final Duration fallback;
    private final Clock clock;

    /** A scope larger than allowed: the request fails at its scope step with this. */
    public static final class TooLarge extends RuntimeException {
        TooLarge(String message) {
            super(message, null, false, false);
        }
    }

    public ScopeResolver(EntityIndex index, SchemaRegistryClient registry, String validTopicPrefix,
            Set<String> subjectPrefixes, int depth, int maxEntities, int fallbackDays, Clock clock) {
        this.index = index;
        this.registry = registry;
        this.validSubjectPrefix = validTopicPrefix;
        this.subjectPrefixes = subjectPrefixes;
        this.depth = depth;
        this.maxEntities = maxEntities;
        this.fallback = Duration.ofDays(fallbackDays);
        this.clock = clock;
    }

    public Scope resolve(EntityRef subject) {
        Set<EntityRef> entities = new LinkedHashSet<>();
        entities.add(subject);
        Set<EntityRef> frontier = Set.of(subject);
        for (int hop = 0; hop < depth && !frontier.isEmpty(); hop++) {
            Set<EntityRef> next = new LinkedHashSet<>();
            for (EntityRef entity : frontier) {
                for (EntityRef linked : index.linked(entity)) {
                    if (!person(linked) && entities.add(linked)) {
                        next.add(linked);
                    }
                }
                if (entities.size() > maxEntities) {
                    throw new TooLarge("the scope of " + subject + " has more than " + maxEntities + " entities within "
                            + depth + " hops of the relations graph");
                }
            }
            frontier = next;
        }
        Map<String, Set<String>> partitions = new TreeMap<>();
        for (EntityRef entity : entities) {
            index.partitions(entity).forEach((type, hours) -> hours.forEach(hour ->
                    partitions.computeIfAbsent(type, t -> new TreeSet<>()).add(hour.date() + "/"
                            + String.format("%02d", hour.hour()))));
        }
        Map<String, List<String>> listed = new TreeMap<>();
        partitions.forEach((type, hours) -> listed.put(type, new ArrayList<>(hours)));
        return new Scope(new ArrayList<>(entities), listed, scans(entities));
    }

    private boolean person(EntityRef entity) {
        return subjectPrefixes.stream().anyMatch(entity.type()::startsWith);
    }

    /** The event types carrying one of the entities' types whose index is not complete, with the hours to scan. */
    private List<AccessBatch.Scan> scans(Set<EntityRef> entities) {
        Set<String> entityTypes = new TreeSet<>();
        entities.forEach(entity -> entityTypes.add(entity.type()));
        Instant now = clock.instant();
        Instant earliest = HourPartition.holding("any", now.minus(fallback)).start();
        List<AccessBatch.Scan> scans = new ArrayList<>();
        for (String subject : registry.subjects()) {
            if (!subject.startsWith(validSubjectPrefix) || !subject.endsWith("-value")) {
                continue;
            }
            String type = subject.substring(validSubjectPrefix.length(), subject.length() - "-value".length());
            List<PrivacySchema> versions = new ArrayList<>();
            for (int version : registry.versions(subject)) {
                versions.add(PrivacySchema.of(registry.version(subject, version).schema(), subjectPrefixes));
            }
            if (EntityPaths.of(versions).entityTypes().stream().noneMatch(entityTypes::contains)) {
                continue;
            }
            List<EntityIndex.Coverage> coverage = index.coverage(type);
            if (coverage.isEmpty()) {
                scans.add(new AccessBatch.Scan(type, earliest.toString(), now.toString(), "the indexer has read no event "
                        + "of " + type + " yet"));
                continue;
            }
            Optional<Instant> indexedFrom = EntityIndex.indexedFrom(type, coverage); // one read of the coverage
            if (indexedFrom.isPresent() && indexedFrom.get().isAfter(earliest)) {
                scans.add(new AccessBatch.Scan(type, earliest.toString(), indexedFrom.get().toString(), "the topic of "
                        + type + " had lost older records when the indexer began: hours before " + indexedFrom.get()
                        + " may not be indexed"));
            }
        }
        return scans;
    }
}
