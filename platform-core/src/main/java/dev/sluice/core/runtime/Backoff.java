package dev.sluice.core.runtime;

import java.time.Duration;
import java.util.Objects;

/**
 * How long to wait before trying again after a failure: {@code initial}, then each wait {@code multiplier} times the
 * one before, never more than {@code max}. The one backoff of the platform: the services' listener containers (as
 * spring-kafka's {@code ExponentialBackOff}), their hand-written loops and the datapump's failed runs all take it.
 *
 * @param initial the first wait
 * @param multiplier each next wait is the previous times this (1 keeps it constant)
 * @param max no wait is longer
 */
public record Backoff(Duration initial, double multiplier, Duration max) {

    public Backoff {
        Objects.requireNonNull(initial, "initial");
        Objects.requireNonNull(max, "max");
        if (initial.isNegative() || initial.isZero()) {
            throw new IllegalArgumentException("a backoff's initial wait must be positive: " + initial);
        }
        if (!(multiplier >= 1.0) || Double.isInfinite(multiplier)) {
            throw new IllegalArgumentException("a backoff's multiplier must be at least 1: " + multiplier);
        }
        if (max.compareTo(initial) < 0) {
            throw new IllegalArgumentException("a backoff's max (" + max + ") is shorter than its initial wait (" + initial + ")");
        }
    }

    /** Doubling from {@code initial} up to {@code max}. */
    public static Backoff exponential(Duration initial, Duration max) {
        return new Backoff(initial, 2.0, max);
    }

    /** The wait after {@code current}. */
    public Duration next(Duration current) {
        double millis = current.toMillis() * multiplier;
        return millis >= max.toMillis() ? max : Duration.ofMillis(Math.max(initial.toMillis(), (long) millis));
    }

    /** The wait after the n-th consecutive failure (n ≥ 1): {@code initial} after the first. */
    public Duration after(int failures) {
        Duration wait = initial;
        for (int i = 1; i < failures && wait.compareTo(max) < 0; i++) {
            wait = next(wait);
        }
        return wait;
    }

    /** Sleeps for a wait; false when interrupted (the interrupt is kept for the caller). */
    public static boolean sleep(Duration wait) {
        try {
            Thread.sleep(wait.toMillis());
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
