package io.tinysparse.datasets.install;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import java.util.zip.GZIPInputStream;

/**
 * Extracts chosen regular files from a gzip-compressed tar archive (an npm package tarball).
 *
 * <p>Just enough of the format for that: POSIX ustar headers (with the name prefix field),
 * GNU long names ({@code L}) and pax extended headers ({@code x}, for the {@code path} key);
 * every other entry is skipped. Only the names asked for are written, under their own base
 * names, so an archive cannot write outside the target directory.
 */
final class TarGzArchive {
    private static final int BLOCK = 512;

    private TarGzArchive() {}

    /**
     * Writes each entry {@code prefix + name}, for every name in {@code names}, to
     * {@code outDir/name}.
     *
     * @return the names found and written
     */
    static Set<String> extract(Path archive, String prefix, Set<String> names, Path outDir) throws IOException {
        Set<String> found = new HashSet<>();
        try (InputStream in = new GZIPInputStream(new BufferedInputStream(Files.newInputStream(archive)), 1 << 16)) {
            byte[] header = new byte[BLOCK];
            String nextName = null;
            while (true) {
                if (in.readNBytes(header, 0, BLOCK) < BLOCK) {
                    throw new IOException(archive + ": truncated tar archive");
                }
                if (allZero(header)) {
                    break;
                }
                String name = text(header, 0, 100);
                if (isUstar(header)) {
                    String namePrefix = text(header, 345, 155);
                    if (!namePrefix.isEmpty()) {
                        name = namePrefix + "/" + name;
                    }
                }
                if (nextName != null) {
                    name = nextName;
                    nextName = null;
                }
                long size = number(header, 124, 12, archive);
                byte type = header[156];
                if (type == 'L') {
                    nextName = trimNul(new String(readData(in, size, archive), StandardCharsets.UTF_8));
                } else if (type == 'x') {
                    nextName = paxPath(readData(in, size, archive));
                } else if ((type == '0' || type == 0 || type == '7') && name.startsWith(prefix)
                        && names.contains(name.substring(prefix.length()))) {
                    String target = name.substring(prefix.length());
                    try (OutputStream out = Files.newOutputStream(outDir.resolve(target))) {
                        copy(in, out, size, archive);
                    }
                    skipPadding(in, size, archive);
                    found.add(target);
                } else {
                    skip(in, size, archive);
                    skipPadding(in, size, archive);
                }
            }
        }
        return found;
    }

    private static boolean isUstar(byte[] h) {
        return h[257] == 'u' && h[258] == 's' && h[259] == 't' && h[260] == 'a' && h[261] == 'r';
    }

    private static boolean allZero(byte[] b) {
        for (byte x : b) {
            if (x != 0) {
                return false;
            }
        }
        return true;
    }

    private static String text(byte[] b, int off, int len) {
        int end = off;
        while (end < off + len && b[end] != 0) {
            end++;
        }
        return new String(b, off, end - off, StandardCharsets.UTF_8);
    }

    private static String trimNul(String s) {
        int i = s.indexOf('\0');
        return i < 0 ? s : s.substring(0, i);
    }

    /** Octal (NUL/space terminated), or GNU base-256 when the top bit of the first byte is set. */
    private static long number(byte[] b, int off, int len, Path archive) throws IOException {
        if ((b[off] & 0x80) != 0) {
            long v = b[off] & 0x7F;
            for (int i = off + 1; i < off + len; i++) {
                v = (v << 8) | (b[i] & 0xFF);
            }
            return v;
        }
        String s = text(b, off, len).trim();
        try {
            return s.isEmpty() ? 0 : Long.parseLong(s, 8);
        } catch (NumberFormatException e) {
            throw new IOException(archive + ": bad tar size field '" + s + "'", e);
        }
    }

    /** The {@code path} of a pax header's {@code "<length> key=value\n"} records, or null. */
    private static String paxPath(byte[] data) {
        String s = new String(data, StandardCharsets.UTF_8);
        for (String record : s.split("\n")) {
            int space = record.indexOf(' ');
            int eq = record.indexOf('=');
            if (space > 0 && eq > space && record.substring(space + 1, eq).equals("path")) {
                return record.substring(eq + 1);
            }
        }
        return null;
    }

    private static byte[] readData(InputStream in, long size, Path archive) throws IOException {
        if (size > 1 << 20) {
            throw new IOException(archive + ": tar extended header of " + size + " bytes is implausibly large");
        }
        byte[] data = in.readNBytes((int) size);
        if (data.length < size) {
            throw new IOException(archive + ": truncated tar archive");
        }
        skipPadding(in, size, archive);
        return data;
    }

    private static void copy(InputStream in, OutputStream out, long size, Path archive) throws IOException {
        byte[] buf = new byte[1 << 16];
        long left = size;
        while (left > 0) {
            int n = in.read(buf, 0, (int) Math.min(buf.length, left));
            if (n < 0) {
                throw new IOException(archive + ": truncated tar archive");
            }
            out.write(buf, 0, n);
            left -= n;
        }
    }

    private static void skip(InputStream in, long size, Path archive) throws IOException {
        copy(in, OutputStream.nullOutputStream(), size, archive);
    }

    private static void skipPadding(InputStream in, long size, Path archive) throws IOException {
        long pad = (BLOCK - size % BLOCK) % BLOCK;
        skip(in, pad, archive);
    }
}
