package dev.sluice.core.policy;

/**
 * What a reservoir gets of a column: the value ({@code SHOW}), its keyed hash ({@code HASH}: joins within the
 * reservoir, reveals nothing outside it), or nothing ({@code DROP}: the column is not in the reservoir at all).
 */
public enum Action {
    SHOW, HASH, DROP;

    /** DROP > HASH > SHOW: how little of the value the reservoir sees. */
    public int strictness() {
        return ordinal();
    }

    public boolean isStricterThan(Action other) {
        return strictness() > other.strictness();
    }

    /** Whether moving from this action to {@code next} exposes more (DROP to HASH, DROP or HASH to SHOW). */
    public boolean exposesMoreThan(Action next) {
        return next.strictness() < strictness();
    }

    public static Action stricter(Action a, Action b) {
        return a.strictness() >= b.strictness() ? a : b;
    }
}
