package dev.sluice.spring.security;

/** The platform's roles (DESIGN: security). */
public final class Roles {

    /** Requests grants, reads the policies of the reservoirs they belong to. */
    public static final String ANALYST = "ANALYST";
    /** The Data Protection Officer: approves or denies grants, reads the audit. */
    public static final String DPO = "DPO";
    /** Files and follows privacy requests, fetches exports. */
    public static final String PRIVACY_OPS = "PRIVACY_OPS";
    /** Reservoirs, rules, and the pipeline services' operational endpoints. */
    public static final String PLATFORM_ADMIN = "PLATFORM_ADMIN";

    private Roles() {
    }
}
