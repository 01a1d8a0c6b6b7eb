package dev.sluice.registry.privacy;

/** What the registry does with privacy findings for a subject. */
public enum PrivacyMode {
    /** Refuse the registration with 422 and the findings. */
    ENFORCE,
    /** Register, and return the findings with the answer. */
    WARN,
    /** Do not check. */
    OFF
}
