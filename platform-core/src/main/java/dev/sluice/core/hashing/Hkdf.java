package dev.sluice.core.hashing;

import java.security.GeneralSecurityException;
import java.util.Arrays;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** HKDF with HMAC-SHA-256 (RFC 5869): extract a pseudorandom key from input keying material, expand it for a purpose. */
public final class Hkdf {

    private static final String HMAC = "HmacSHA256";
    private static final int HASH_LENGTH = 32;

    private Hkdf() {
    }

    /** PRK = HMAC-Hash(salt, IKM); an empty salt is a string of zeros of the hash length. */
    public static byte[] extract(byte[] salt, byte[] inputKeyMaterial) {
        return hmac(salt == null || salt.length == 0 ? new byte[HASH_LENGTH] : salt, inputKeyMaterial);
    }

    /** OKM = T(1) | T(2) | …, first {@code length} bytes, with T(i) = HMAC-Hash(PRK, T(i-1) | info | i). */
    public static byte[] expand(byte[] pseudorandomKey, byte[] info, int length) {
        if (length < 1 || length > 255 * HASH_LENGTH) {
            throw new IllegalArgumentException("HKDF output length must be 1.." + 255 * HASH_LENGTH + ": " + length);
        }
        byte[] output = new byte[length];
        byte[] previous = new byte[0];
        int written = 0;
        for (int i = 1; written < length; i++) {
            byte[] input = new byte[previous.length + info.length + 1];
            System.arraycopy(previous, 0, input, 0, previous.length);
            System.arraycopy(info, 0, input, previous.length, info.length);
            input[input.length - 1] = (byte) i;
            previous = hmac(pseudorandomKey, input);
            int take = Math.min(previous.length, length - written);
            System.arraycopy(previous, 0, output, written, take);
            written += take;
        }
        Arrays.fill(previous, (byte) 0);
        return output;
    }

    public static byte[] derive(byte[] salt, byte[] inputKeyMaterial, byte[] info, int length) {
        byte[] prk = extract(salt, inputKeyMaterial);
        try {
            return expand(prk, info, length);
        } finally {
            Arrays.fill(prk, (byte) 0);
        }
    }

    static byte[] hmac(byte[] key, byte[] data) {
        try {
            Mac mac = Mac.getInstance(HMAC);
            mac.init(new SecretKeySpec(key, HMAC));
            return mac.doFinal(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }
}
