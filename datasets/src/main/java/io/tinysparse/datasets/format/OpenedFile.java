package io.tinysparse.datasets.format;

import io.tinysparse.core.InvalidInputException;
import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.zip.ZipException;

/**
 * A data file opened by {@link DataFiles}: its decompressed content as a stream, plus whether it
 * was gzip-compressed and its stored length in bytes.
 *
 * <p>Reads report a damaged gzip stream (cut short, bad checksum) as an
 * {@link InvalidInputException} naming the file, like every other problem with the content.
 * Not thread-safe.
 */
public final class OpenedFile implements Closeable {
    private static final int MAX_READ = 1 << 16;
    private final String name;
    private final InputStream in;
    private final boolean gzip;
    private final long storedBytes;
    private long position;

    OpenedFile(String name, InputStream in, boolean gzip, long storedBytes) {
        this.name = name;
        this.in = in;
        this.gzip = gzip;
        this.storedBytes = storedBytes;
    }

    /** The file's path as given, for messages. */
    public String name() {
        return name;
    }

    /** Whether the file is gzip-compressed. */
    public boolean gzip() {
        return gzip;
    }

    /** Length of the file as stored (compressed, if {@link #gzip()}), in bytes. */
    public long storedBytes() {
        return storedBytes;
    }

    /** Decompressed bytes consumed so far. */
    public long position() {
        return position;
    }

    /** Reads up to {@code len} bytes into {@code b}; returns how many, fewer only at the end of the data. */
    public int readUpTo(byte[] b, int off, int len) throws IOException {
        int total = 0;
        try {
            while (total < len) {
                // Bounded reads: FileInputStream copies each read through a native buffer of the
                // requested size, and a 47 MB request there cost about 10x the copy itself.
                int n = in.read(b, off + total, Math.min(len - total, MAX_READ));
                if (n < 0) {
                    break;
                }
                total += n;
            }
        } catch (EOFException e) {
            throw new InvalidInputException(name + ": truncated gzip stream after " + (position + total)
                    + " decompressed bytes", e);
        } catch (ZipException e) {
            throw new InvalidInputException(name + ": corrupt gzip data (" + e.getMessage() + ")", e);
        }
        position += total;
        return total;
    }

    /**
     * Reads exactly {@code len} bytes or fails with a "truncated" error that says what was being
     * read ({@code what}) and how much of it was there.
     */
    public void readExactly(byte[] b, int off, int len, String what) throws IOException {
        long start = position;
        int n = readUpTo(b, off, len);
        if (n < len) {
            throw new InvalidInputException(name + ": truncated: " + what + " needs " + len + " bytes from offset "
                    + start + " but the " + (gzip ? "decompressed data ends" : "file ends") + " after " + n);
        }
    }

    /** Reads a big-endian 32-bit integer. */
    public int readInt(String what) throws IOException {
        byte[] b = new byte[4];
        readExactly(b, 0, 4, what);
        return ((b[0] & 0xFF) << 24) | ((b[1] & 0xFF) << 16) | ((b[2] & 0xFF) << 8) | (b[3] & 0xFF);
    }

    /** Counts (and consumes) the bytes left; 0 at the end. */
    public long remaining() throws IOException {
        byte[] buf = new byte[1 << 16];
        long total = 0;
        int n;
        while ((n = readUpTo(buf, 0, buf.length)) > 0) {
            total += n;
        }
        return total;
    }

    /**
     * Reads everything left into one array.
     *
     * @throws InvalidInputException if more than {@code maxBytes} remain
     */
    public byte[] readAll(int maxBytes) throws IOException {
        int capacity = gzip ? 1 << 20 : (int) Math.min(maxBytes, Math.max(0, storedBytes - position));
        byte[] buf = new byte[capacity];
        byte[] probe = new byte[1];
        int size = 0;
        while (true) {
            if (size == buf.length) {
                // Probe before growing: a raw file's exact-size buffer must not double at its end.
                if (readUpTo(probe, 0, 1) == 0) {
                    break;
                }
                if (buf.length >= maxBytes) {
                    throw new InvalidInputException(name + ": larger than " + maxBytes + " bytes, too large to load");
                }
                buf = Arrays.copyOf(buf, (int) Math.min(maxBytes, Math.max(2L * buf.length, buf.length + 1L)));
                buf[size++] = probe[0];
            }
            int n = readUpTo(buf, size, buf.length - size);
            if (n == 0) {
                break;
            }
            size += n;
        }
        return size == buf.length ? buf : Arrays.copyOf(buf, size);
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
