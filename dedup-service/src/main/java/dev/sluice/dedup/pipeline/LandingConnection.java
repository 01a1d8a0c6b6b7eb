package dev.sluice.dedup.pipeline;

import dev.sluice.dedup.landing.LandingTable;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The landing table, once open: Cassandra may be away when the service starts. */
public final class LandingConnection {

    private static final Logger log = LoggerFactory.getLogger(LandingConnection.class);

    private final Supplier<LandingTable> opener;
    private volatile LandingTable table;

    LandingConnection(Supplier<LandingTable> opener) {
        this.opener = opener;
    }

    /**
     * Opens the table if it is not open yet (throws while Cassandra does not answer).
     *
     * @return whether this call opened it
     */
    boolean open() {
        if (table != null) {
            return false;
        }
        table = opener.get();
        log.info("landing into {}.landing", table.keyspace());
        return true;
    }

    /** The landing table; null until open. */
    public LandingTable table() {
        return table;
    }
}
