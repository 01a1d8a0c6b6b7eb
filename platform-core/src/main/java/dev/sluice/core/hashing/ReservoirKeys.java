package dev.sluice.core.hashing;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Map;

/**
 * Each reservoir's hashing key, derived from one platform master key (HKDF-SHA-256, RFC 5869) with the reservoir's
 * name and key version: no per-reservoir secret is stored or sent anywhere, a key rotation is a new version, and the
 * same value hashes equally within a reservoir and differently across reservoirs. Only the master key is a secret;
 * it reaches the services and jobs that hash by environment ({@value #MASTER_KEY_ENV}, base64) or a file
 * ({@value #MASTER_KEY_FILE_ENV}), never by arguments, topics or logs.
 */
public final class ReservoirKeys {

    public static final String MASTER_KEY_ENV = "SLUICE_MASTER_KEY";
    public static final String MASTER_KEY_FILE_ENV = "SLUICE_MASTER_KEY_FILE";
    /** The HKDF salt: fixed, public, it separates Sluice's keys from any other use of the master key. */
    static final byte[] SALT = "sluice reservoir keys v1".getBytes(StandardCharsets.UTF_8);

    private final byte[] masterKey;

    public ReservoirKeys(byte[] masterKey) {
        if (masterKey.length < 32) {
            throw new IllegalArgumentException("the master key must have at least 32 bytes (256 bits), not " + masterKey.length);
        }
        this.masterKey = masterKey.clone();
    }

    /** The master key from {@value #MASTER_KEY_ENV} (base64) or the file {@value #MASTER_KEY_FILE_ENV} names. */
    public static ReservoirKeys fromEnvironment(Map<String, String> environment) {
        String inline = environment.get(MASTER_KEY_ENV);
        String file = environment.get(MASTER_KEY_FILE_ENV);
        try {
            String encoded = inline != null && !inline.isBlank() ? inline
                    : file != null && !file.isBlank() ? Files.readString(Path.of(file), StandardCharsets.UTF_8) : null;
            if (encoded == null) {
                throw new IllegalStateException("no master key: set " + MASTER_KEY_ENV + " (base64 of 32 random bytes, e.g. "
                        + "`openssl rand -base64 32`) or " + MASTER_KEY_FILE_ENV);
            }
            return new ReservoirKeys(Base64.getDecoder().decode(encoded.trim()));
        } catch (java.io.IOException e) {
            throw new IllegalStateException("cannot read the master key file named by " + MASTER_KEY_FILE_ENV + ": " + e, e);
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("the master key is not base64 of 32 bytes or more (" + e.getMessage() + ")", e);
        }
    }

    /** The 32-byte key of a reservoir at a key version. */
    public byte[] key(String reservoir, int version) {
        byte[] info = (reservoir + "\u0000" + version).getBytes(StandardCharsets.UTF_8);
        return Hkdf.derive(SALT, masterKey, info, 32);
    }

    /** The reservoir's keyed hash of a value's canonical text (see {@link KeyedHash}). */
    public KeyedHash hasher(String reservoir, int version) {
        return new KeyedHash(key(reservoir, version));
    }

    /**
     * The forget-list's keyed hash (see {@code ForgetList}): its own key, derived with an info that no reservoir's
     * can be (a reservoir's info is {@code <name> NUL <version>}; this one has no NUL), so a forget-list entry is no
     * reservoir's hash of anything.
     */
    public KeyedHash forgetListHash() {
        return new KeyedHash(Hkdf.derive(SALT, masterKey, "sluice forget-list v1".getBytes(StandardCharsets.UTF_8), 32));
    }

    @Override
    public String toString() {
        return "ReservoirKeys[master key ***]";
    }
}
