package dev.sluice.spring.runtime;

import dev.sluice.core.runtime.Backoff;
import java.time.Duration;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Settings every service's pipeline stages share ({@code sluice.runtime.*}; environment {@code SLUICE_RUNTIME_...}).
 *
 * @param stallTimeout liveness goes DOWN when a stage that is not paused makes no progress for this long
 * @param idleEventInterval how often an idle listener container says it polled and found nothing (progress for
 *        liveness); must be well below {@code stallTimeout}
 * @param backoff the wait between retries while a dependency is down (initial, multiplier, max)
 * @param kafka Kafka client settings added to every consumer, producer and admin of the service (TLS, SASL, ...);
 *        {@code bootstrap.servers} comes from {@code spring.kafka.bootstrap-servers}
 */
@ConfigurationProperties("sluice.runtime")
public record RuntimeProperties(@DefaultValue("2m") Duration stallTimeout, @DefaultValue("10s") Duration idleEventInterval,
        @DefaultValue BackoffSettings backoff, Map<String, String> kafka) {

    public RuntimeProperties {
        kafka = kafka == null ? Map.of() : Map.copyOf(kafka);
        if (idleEventInterval.compareTo(stallTimeout) >= 0) {
            throw new IllegalArgumentException("sluice.runtime.idle-event-interval (" + idleEventInterval
                    + ") must be shorter than sluice.runtime.stall-timeout (" + stallTimeout + ")");
        }
    }

    /** A {@link Backoff} as settings. */
    public record BackoffSettings(@DefaultValue("500ms") Duration initial, @DefaultValue("2") double multiplier,
            @DefaultValue("30s") Duration max) {

        public Backoff toBackoff() {
            return new Backoff(initial, multiplier, max);
        }
    }

    @Override
    public String toString() {
        // SASL passwords may be among the Kafka settings
        return "RuntimeProperties[stallTimeout=" + stallTimeout + ", idleEventInterval=" + idleEventInterval
                + ", backoff=" + backoff + ", kafka=" + kafka.keySet() + "]";
    }
}
