package dev.sluice.dedup.pipeline;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * The event ids this instance landed most recently, as 128-bit fingerprints of (event type, event id): a duplicate
 * of one of them is counted and skipped without a write. Client retries and replays arrive close to the original,
 * so a window of recent ids catches nearly all of them for a few MB and one hash per event, where asking Cassandra
 * (a read, or a lightweight transaction) would cost a round trip or a Paxos round per event.
 *
 * <p>Two generations of open-addressing tables: when the current one is full it becomes the previous one and the
 * oldest generation is dropped, so between {@code capacity / 2} and {@code capacity} ids are remembered. A
 * fingerprint collision would skip a new event, so fingerprints are 128 bits (MD5): at a million remembered ids,
 * the chance that a new event collides is about 1e6 / 2^128. Not thread-safe: the pipeline loop owns it.
 */
final class RecentIds {

    private final int generationSize;
    private Generation current;
    private Generation previous;
    private final MessageDigest md5;

    /** @param capacity ids remembered at most (0 remembers none) */
    RecentIds(int capacity) {
        this.generationSize = Math.max(0, capacity / 2);
        this.current = new Generation(generationSize);
        this.previous = new Generation(0);
        try {
            this.md5 = MessageDigest.getInstance("MD5");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The 128-bit fingerprint of an event: hi and lo. */
    Fingerprint fingerprint(String eventType, String eventId) {
        md5.update(eventType.getBytes(StandardCharsets.UTF_8));
        md5.update((byte) '\n'); // never in a type, which is part of a topic name: (type, id) maps to one input
        byte[] digest = md5.digest(eventId.getBytes(StandardCharsets.UTF_8));
        long hi = 0;
        long lo = 0;
        for (int i = 0; i < 8; i++) {
            hi = (hi << 8) | (digest[i] & 0xff);
            lo = (lo << 8) | (digest[i + 8] & 0xff);
        }
        return new Fingerprint(hi, lo);
    }

    boolean contains(Fingerprint id) {
        return current.contains(id.hi, id.lo) || previous.contains(id.hi, id.lo);
    }

    void add(Fingerprint id) {
        if (generationSize == 0 || contains(id)) {
            return;
        }
        if (current.size >= generationSize) {
            previous = current;
            current = new Generation(generationSize);
        }
        current.add(id.hi, id.lo);
    }

    record Fingerprint(long hi, long lo) {
    }

    /** Linear probing over at most half-full arrays; (0, 0) marks an empty slot. */
    private static final class Generation {
        private final long[] his;
        private final long[] los;
        private final int mask;
        private int size;

        Generation(int entries) {
            int slots = Integer.highestOneBit(Math.max(2, entries * 2 - 1)) << 1;
            his = new long[entries == 0 ? 0 : slots];
            los = new long[entries == 0 ? 0 : slots];
            mask = slots - 1;
        }

        boolean contains(long hi, long lo) {
            if (his.length == 0) {
                return false;
            }
            if (hi == 0 && lo == 0) {
                lo = 1;
            }
            for (int slot = (int) lo & mask; ; slot = (slot + 1) & mask) {
                if (his[slot] == hi && los[slot] == lo) {
                    return true;
                }
                if (his[slot] == 0 && los[slot] == 0) {
                    return false;
                }
            }
        }

        void add(long hi, long lo) {
            if (hi == 0 && lo == 0) {
                lo = 1;
            }
            int slot = (int) lo & mask;
            while (his[slot] != 0 || los[slot] != 0) {
                slot = (slot + 1) & mask;
            }
            his[slot] = hi;
            los[slot] = lo;
            size++;
        }
    }
}
