package dev.sluice.governance.audit;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;

/**
 * One entry of the audit: who did what to what, before and after (JSON), why, when; chained to the entry before it
 * by its hash, so that an entry edited, removed or inserted afterwards shows.
 *
 * @param hash SHA-256 over the entry's fields and {@code prevHash} (see {@link #computeHash()})
 */
public record AuditEntry(long seq, Instant at, String actor, String action, String target, String before, String after,
        String reason, String prevHash, String hash) {

    /** The hash of the first entry's predecessor. */
    public static final String GENESIS = "0".repeat(64);

    /** SHA-256 of the fields, each length-prefixed so that no two different entries give the same text. */
    public String computeHash() {
        StringBuilder text = new StringBuilder();
        for (Object part : new Object[] {seq, at, actor, action, target, before, after, reason, prevHash}) {
            String value = part == null ? "" : part.toString();
            text.append(part == null ? -1 : value.length()).append(':').append(value).append('|');
        }
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(text.toString().getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }

    public AuditEntry sealed() {
        AuditEntry unsealed = new AuditEntry(seq, at, actor, action, target, before, after, reason, prevHash, null);
        return new AuditEntry(seq, at, actor, action, target, before, after, reason, prevHash, unsealed.computeHash());
    }
}
