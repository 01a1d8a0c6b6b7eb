package dev.sluice.core.hashing;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * A reservoir's keyed hash: HMAC-SHA-256 with the reservoir's key over the UTF-8 bytes of a value's canonical text,
 * written as 64 lowercase hex digits. Serializable, so that a Spark job ships it to its executors in memory (never
 * to a file, a topic or an argument). An analyst who knows an id and the reservoir key (from the platform team)
 * computes {@code hmac_sha256(key, "u-42")} and finds the rows of that id in the reservoir.
 */
public final class KeyedHash implements java.io.Serializable {

    private static final long serialVersionUID = 1L;

    private static final String HMAC = "HmacSHA256";
    private final SecretKeySpec key;
    /** A MAC per thread, keyed once: Mac is not thread-safe, and getInstance + init per value costs more than the hash. */
    private transient volatile ThreadLocal<Mac> macs;

    public KeyedHash(byte[] key) {
        this.key = new SecretKeySpec(key, HMAC);
    }

    public String hash(String canonicalText) {
        // doFinal resets the MAC to its key: the next value starts clean
        return HexFormat.of().formatHex(mac().doFinal(canonicalText.getBytes(StandardCharsets.UTF_8)));
    }

    private Mac mac() {
        ThreadLocal<Mac> local = macs;
        if (local == null) {
            local = ThreadLocal.withInitial(this::newMac);
            macs = local; // two threads racing here each use a correct MAC; one of the thread-locals is dropped
        }
        return local.get();
    }

    private Mac newMac() {
        try {
            Mac mac = Mac.getInstance(HMAC);
            mac.init(key);
            return mac;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }

    @Override
    public String toString() {
        return "KeyedHash[key ***]";
    }
}
