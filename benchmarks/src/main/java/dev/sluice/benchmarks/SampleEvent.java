package dev.sluice.benchmarks;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.apache.avro.Schema;

/**
 * A realistic event for the benchmarks: {@code checkout_completed}, 17 top-level fields (24 with the nested ones),
 * nested records, an array, a map, optional fields both present and absent; about 600 bytes of JSON.
 */
public final class SampleEvent {

    public static final String TYPE = "checkout_completed";

    private SampleEvent() {
    }

    public static Schema schema() {
        try (InputStream in = SampleEvent.class.getResourceAsStream("/checkout_completed.avsc")) {
            return new Schema.Parser().parse(in);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The fields of the event: what Allegro's converter takes (it knows nothing of Sluice's envelope). */
    public static String data(long n, long createdAt) {
        return "{\"id\":\"evt-" + n + "-9f8e7d6c5b4a\",\"user_id\":\"user-48213977\",\"session_id\":\"sess-3c1f0a9e-77d2\","
                + "\"order_id\":\"ord-2026-11-000" + n + "\",\"items\":[{\"sku\":\"SKU-100231\",\"quantity\":2,\"unit_price\":19.99},"
                + "{\"sku\":\"SKU-774002\",\"quantity\":1,\"unit_price\":149.5},{\"sku\":\"SKU-000017\",\"quantity\":3,\"unit_price\":4.25}],"
                + "\"total\":202.23,\"currency\":\"EUR\",\"payment_method\":\"CARD\","
                + "\"shipping\":{\"city\":\"Lyon\",\"country\":\"FR\",\"express\":true},\"coupon\":null,"
                + "\"device\":{\"os\":\"android\",\"app_version\":\"7.31.2\",\"model\":\"Pixel 8\"},\"locale\":\"fr_FR\","
                + "\"first_order\":false,\"loyalty_points\":1250,"
                + "\"experiments\":{\"checkout_v2\":\"treatment\",\"one_click\":\"control\",\"free_shipping\":\"treatment\"},"
                + "\"created_at\":" + createdAt + "}";
    }

    /** The same event as producers send it to Sluice: {@code {"data": {"type": ..., fields}}}. */
    public static String envelope(long n, long createdAt) {
        return "{\"data\":{\"type\":\"" + TYPE + "\"," + data(n, createdAt).substring(1) + "}";
    }

    public static byte[] envelopeBytes(long n, long createdAt) {
        return envelope(n, createdAt).getBytes(StandardCharsets.UTF_8);
    }

    /** The same event sent by one of {@code users} users (the n-th event by user n mod users). */
    public static byte[] envelopeBytes(long n, long createdAt, int users) {
        return envelope(n, createdAt).replace("\"user-48213977\"", "\"user-" + (n % users) + "\"")
                .getBytes(StandardCharsets.UTF_8);
    }
}
