package dev.sluice.core.hashing;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * A reservoir's keyed hash: HMAC-SHA-256 with the reservoir's key over the UTF-8 bytes of a value's canonical text,
 * written as 64 lowercase hex digits. An analyst who knows an id and the reservoir key (from the platform team)
 * computes {@code hmac_sha256(key, "u-42")} and finds the rows of that id in the reservoir.
 */
public final class KeyedHash {

    private static final String HMAC = "HmacSHA256";
    private final SecretKeySpec key;

    public KeyedHash(byte[] key) {
        this.key = new SecretKeySpec(key, HMAC);
    }

    public String hash(String canonicalText) {
        try {
            Mac mac = Mac.getInstance(HMAC);
            mac.init(key);
            return HexFormat.of().formatHex(mac.doFinal(canonicalText.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }

    @Override
    public String toString() {
        return "KeyedHash[key ***]";
    }
}
