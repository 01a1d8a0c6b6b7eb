package dev.sluice.core.hashing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** HKDF against the test vectors of RFC 5869 (appendix A, the SHA-256 cases), and the reservoir keys built on it. */
class HkdfTest {

    static final HexFormat HEX = HexFormat.of();

    static byte[] range(int from, int to) {
        byte[] bytes = new byte[to - from];
        for (int i = from; i < to; i++) {
            bytes[i - from] = (byte) i;
        }
        return bytes;
    }

    static byte[] repeat(int value, int length) {
        byte[] bytes = new byte[length];
        java.util.Arrays.fill(bytes, (byte) value);
        return bytes;
    }

    @Test
    void rfc5869TestCase1() {
        byte[] prk = Hkdf.extract(range(0x00, 0x0d), repeat(0x0b, 22));
        assertThat(HEX.formatHex(prk)).isEqualTo("077709362c2e32df0ddc3f0dc47bba6390b6c73bb50f9c3122ec844ad7c2b3e5");
        assertThat(HEX.formatHex(Hkdf.expand(prk, range(0xf0, 0xfa), 42))).isEqualTo(
                "3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf34007208d5b887185865");
    }

    @Test
    void rfc5869TestCase2LongInputs() {
        byte[] prk = Hkdf.extract(range(0x60, 0xb0), range(0x00, 0x50));
        assertThat(HEX.formatHex(prk)).isEqualTo("06a6b88c5853361a06104c9ceb35b45cef760014904671014a193f40c15fc244");
        assertThat(HEX.formatHex(Hkdf.expand(prk, range(0xb0, 0x100), 82))).isEqualTo(
                "b11e398dc80327a1c8e7f78c596a49344f012eda2d4efad8a050cc4c19afa97c59045a99cac7827271cb41c65e590e09da3275600c2f09b8367793a9aca3db71cc30c58179ec3e87c14c01d5c1f3434f1d87");
    }

    @Test
    void rfc5869TestCase3NoSaltNoInfo() {
        assertThat(HEX.formatHex(Hkdf.derive(new byte[0], repeat(0x0b, 22), new byte[0], 42))).isEqualTo(
                "8da4e775a563c18f715f802a063c5a31b8a11f5c5ee1879ec3454e5f3c738d2d9d201395faa4b61a96c8");
        assertThatThrownBy(() -> Hkdf.expand(new byte[32], new byte[0], 255 * 32 + 1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aValueHashesEquallyWithinAReservoirAndDifferentlyAcrossReservoirsAndVersions() {
        ReservoirKeys keys = new ReservoirKeys(repeat(7, 32));
        String marketing = keys.hasher("marketing", 1).hash("u-42");
        assertThat(keys.hasher("marketing", 1).hash("u-42")).isEqualTo(marketing).hasSize(64).matches("[0-9a-f]+");
        assertThat(keys.hasher("finance", 1).hash("u-42")).isNotEqualTo(marketing);
        assertThat(keys.hasher("marketing", 2).hash("u-42")).as("a rotation").isNotEqualTo(marketing);
        assertThat(new ReservoirKeys(repeat(8, 32)).hasher("marketing", 1).hash("u-42")).isNotEqualTo(marketing);
        // what an analyst computes with the reservoir's key: plain HMAC-SHA-256 of the value's text
        assertThat(HEX.formatHex(Hkdf.hmac(keys.key("marketing", 1), "u-42".getBytes(StandardCharsets.UTF_8))))
                .isEqualTo(marketing);
    }

    @Test
    void theMasterKeyComesFromTheEnvironmentOrAFileAndIsNeverPrinted() throws Exception {
        String encoded = java.util.Base64.getEncoder().encodeToString(repeat(9, 32));
        ReservoirKeys inline = ReservoirKeys.fromEnvironment(Map.of(ReservoirKeys.MASTER_KEY_ENV, encoded));
        java.nio.file.Path file = java.nio.file.Files.createTempFile("master", ".key");
        java.nio.file.Files.writeString(file, encoded + "\n");
        ReservoirKeys fromFile = ReservoirKeys.fromEnvironment(Map.of(ReservoirKeys.MASTER_KEY_FILE_ENV, file.toString()));
        assertThat(fromFile.key("r", 1)).isEqualTo(inline.key("r", 1));
        assertThat(inline.toString()).doesNotContain(encoded);
        assertThatThrownBy(() -> ReservoirKeys.fromEnvironment(Map.of())).hasMessageContaining("SLUICE_MASTER_KEY");
        assertThatThrownBy(() -> ReservoirKeys.fromEnvironment(Map.of(ReservoirKeys.MASTER_KEY_ENV, "c2hvcnQ=")))
                .hasMessageContaining("32 bytes");
    }
}
