package dev.sluice.spring.runtime;

import java.time.Duration;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/**
 * The pipeline stages of a service and the two health checks built on them: {@code pipelineLiveness} (in the
 * liveness group: DOWN when a stage died or has made no progress for {@code stallTimeout} while not paused, so that
 * Kubernetes restarts the pod) and {@code pipelineReadiness} (in the readiness group: DOWN while a stage is starting,
 * paused because a dependency is down, or dead).
 */
public final class PipelineStages {

    private final Map<String, Stage> stages = new ConcurrentHashMap<>();
    private final Duration stallTimeout;

    public PipelineStages(Duration stallTimeout) {
        this.stallTimeout = stallTimeout;
    }

    /** The stage of this name, created on first use. */
    public Stage stage(String name) {
        return stages.computeIfAbsent(name, Stage::new);
    }

    public Collection<Stage> all() {
        return stages.values();
    }

    public Duration stallTimeout() {
        return stallTimeout;
    }

    public HealthIndicator liveness() {
        return () -> {
            Health.Builder health = Health.up();
            for (Stage stage : stages.values()) {
                if (stage.needsRestart(stallTimeout)) {
                    health.down();
                }
                health.withDetail(stage.name(), details(stage, stage.needsRestart(stallTimeout)
                        ? (stage.state() == Stage.State.DEAD ? "dead" : "no progress for " + stage.sinceProgress().toSeconds()
                        + " s (limit " + stallTimeout.toSeconds() + " s)") : null));
            }
            return health.build();
        };
    }

    public HealthIndicator readiness() {
        return () -> {
            Health.Builder health = Health.up();
            for (Stage stage : stages.values()) {
                if (!stage.isReady()) {
                    health.down();
                }
                health.withDetail(stage.name(), details(stage, null));
            }
            return health.build();
        };
    }

    private static Map<String, Object> details(Stage stage, String verdict) {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("state", stage.state().name());
        if (stage.reason() != null) {
            details.put("reason", stage.reason());
        }
        details.put("secondsSinceProgress", stage.sinceProgress().toSeconds());
        if (verdict != null) {
            details.put("liveness", verdict);
        }
        return details;
    }
}
