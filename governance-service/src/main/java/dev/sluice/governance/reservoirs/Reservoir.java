package dev.sluice.governance.reservoirs;

import java.time.Instant;
import java.util.Set;

/**
 * A reservoir: a team's anonymized copy of the lake.
 *
 * @param members the analysts who may read it and ask for grants on it
 * @param eventTypes the event types it receives; empty: all
 * @param keyVersion the version of its hashing key (a rotation is a new version)
 * @param revision grows with every change of its effective policy
 * @param publishedRevision the last revision acknowledged on the change feed
 */
public record Reservoir(String name, String owningTeam, Set<String> members, int retentionDays, Set<String> eventTypes,
        int keyVersion, long revision, long publishedRevision, Instant createdAt, Instant updatedAt) {

    public Reservoir {
        members = Set.copyOf(members);
        eventTypes = Set.copyOf(eventTypes);
    }

    public boolean receives(String eventType) {
        return eventTypes.isEmpty() || eventTypes.contains(eventType);
    }
}
