package dev.sluice.gatekeeper.validation;

import java.util.Arrays;

/**
 * A growable byte buffer that writes Avro's binary encoding (zig-zag varints, little-endian floats,
 * length-prefixed bytes), and can move regions, so the converter writes fields as the JSON brings them and puts
 * them in schema order afterwards. Reused across events by one thread.
 */
public final class AvroBuffer {

    private byte[] bytes;
    private int size;

    public AvroBuffer(int capacity) {
        bytes = new byte[Math.max(16, capacity)];
    }

    public int size() {
        return size;
    }

    public byte[] array() {
        return bytes;
    }

    public void reset() {
        size = 0;
    }

    public byte[] toByteArray() {
        return Arrays.copyOf(bytes, size);
    }

    void truncate(int newSize) {
        size = newSize;
    }

    void ensure(int more) {
        if (size + more > bytes.length) {
            bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, size + more));
        }
    }

    public void writeByte(int b) {
        ensure(1);
        bytes[size++] = (byte) b;
    }

    public void writeRaw(byte[] source, int offset, int length) {
        ensure(length);
        System.arraycopy(source, offset, bytes, size, length);
        size += length;
    }

    public void writeInt(int value) {
        writeLong(value);
    }

    public void writeLong(long value) {
        ensure(10);
        long n = (value << 1) ^ (value >> 63);
        while ((n & ~0x7FL) != 0) {
            bytes[size++] = (byte) ((n & 0x7F) | 0x80);
            n >>>= 7;
        }
        bytes[size++] = (byte) n;
    }

    public void writeFloat(float value) {
        ensure(4);
        int bits = Float.floatToRawIntBits(value);
        bytes[size++] = (byte) bits;
        bytes[size++] = (byte) (bits >>> 8);
        bytes[size++] = (byte) (bits >>> 16);
        bytes[size++] = (byte) (bits >>> 24);
    }

    public void writeDouble(double value) {
        ensure(8);
        long bits = Double.doubleToRawLongBits(value);
        for (int i = 0; i < 8; i++) {
            bytes[size++] = (byte) (bits >>> (8 * i));
        }
    }

    public void writeBytes(byte[] value) {
        writeLong(value.length);
        writeRaw(value, 0, value.length);
    }

    /** A string as Avro writes it: its UTF-8 length, then UTF-8, encoded straight from the parser's characters. */
    public void writeString(char[] chars, int offset, int length) {
        int utf8 = 0;
        for (int i = offset, end = offset + length; i < end; i++) {
            char c = chars[i];
            if (c < 0x80) {
                utf8++;
            } else if (c < 0x800) {
                utf8 += 2;
            } else if (Character.isHighSurrogate(c) && i + 1 < end && Character.isLowSurrogate(chars[i + 1])) {
                utf8 += 4;
                i++;
            } else {
                utf8 += 3; // a lone surrogate is written as U+FFFD's three bytes, as String.getBytes does
            }
        }
        writeLong(utf8);
        ensure(utf8);
        for (int i = offset, end = offset + length; i < end; i++) {
            char c = chars[i];
            if (c < 0x80) {
                bytes[size++] = (byte) c;
            } else if (c < 0x800) {
                bytes[size++] = (byte) (0xC0 | (c >> 6));
                bytes[size++] = (byte) (0x80 | (c & 0x3F));
            } else if (Character.isHighSurrogate(c) && i + 1 < end && Character.isLowSurrogate(chars[i + 1])) {
                int cp = Character.toCodePoint(c, chars[++i]);
                bytes[size++] = (byte) (0xF0 | (cp >> 18));
                bytes[size++] = (byte) (0x80 | ((cp >> 12) & 0x3F));
                bytes[size++] = (byte) (0x80 | ((cp >> 6) & 0x3F));
                bytes[size++] = (byte) (0x80 | (cp & 0x3F));
            } else {
                if (Character.isSurrogate(c)) {
                    c = '\uFFFD';
                }
                bytes[size++] = (byte) (0xE0 | (c >> 12));
                bytes[size++] = (byte) (0x80 | ((c >> 6) & 0x3F));
                bytes[size++] = (byte) (0x80 | (c & 0x3F));
            }
        }
    }

    /** Inserts a varint (zig-zag long) at {@code position}, moving what follows. */
    void insertLong(int position, long value) {
        int end = size;
        writeLong(value);
        int length = size - end;
        byte[] encoded = Arrays.copyOfRange(bytes, end, size);
        System.arraycopy(bytes, position, bytes, position + length, end - position);
        System.arraycopy(encoded, 0, bytes, position, length);
    }
}
