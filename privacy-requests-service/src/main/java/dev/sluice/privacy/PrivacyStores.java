package dev.sluice.privacy;

import com.datastax.oss.driver.api.core.CqlSession;
import dev.sluice.privacy.index.EntityIndex;
import dev.sluice.privacy.requests.RequestStore;
import dev.sluice.spring.jobs.JobRunStore;
import dev.sluice.spring.web.ApiError;
import java.util.function.Supplier;

/**
 * The service's Cassandra tables, opened (keyspace and CQL versions applied) by the {@code store-connection} loop,
 * which retries while Cassandra is away; until then the API answers 503 and the indexer has not started.
 */
public final class PrivacyStores {

    private final Supplier<CqlSession> sessions;
    private final PrivacyProperties properties;
    private volatile RequestStore requests;
    private volatile EntityIndex index;
    private volatile JobRunStore runs;

    public PrivacyStores(Supplier<CqlSession> sessions, PrivacyProperties properties) {
        this.sessions = sessions;
        this.properties = properties;
    }

    /** Opens the tables unless open; whether they are. Throws while Cassandra cannot be reached (the loop retries). */
    public synchronized boolean open() {
        if (requests == null) {
            CqlSession session = sessions.get();
            RequestStore store = RequestStore.open(session, properties.keyspace(), properties.replication());
            index = EntityIndex.open(session, properties.keyspace(), properties.index().maxInFlight());
            runs = new JobRunStore(session, properties.keyspace(), "privacy_runs");
            requests = store;
        }
        return true;
    }

    public boolean isOpen() {
        return requests != null;
    }

    public RequestStore requests() {
        return opened(requests);
    }

    public EntityIndex index() {
        return opened(index);
    }

    public JobRunStore runs() {
        return opened(runs);
    }

    private static <T> T opened(T store) {
        if (store == null) {
            throw ApiError.unavailable("the request store is not open yet (Cassandra; see /actuator/health/readiness)");
        }
        return store;
    }
}
