package io.tinysparse.datasets.install;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.zip.GZIPOutputStream;

/** Writes gzip tar archives byte by byte (ustar headers, pax and GNU long names), as npm's tarballs are. */
final class TarFixture {
    private final ByteArrayOutputStream tar = new ByteArrayOutputStream();

    /** A regular file; names longer than 100 bytes are split into the ustar prefix field. */
    TarFixture file(String name, byte[] content) {
        String prefix = "";
        if (name.length() > 100) {
            int slash = name.lastIndexOf('/', 154);
            prefix = name.substring(0, slash);
            name = name.substring(slash + 1);
        }
        header(name, prefix, content.length, '0');
        data(content);
        return this;
    }

    TarFixture directory(String name) {
        header(name, "", 0, '5');
        return this;
    }

    /** A file whose real name comes from a pax extended header ({@code path=...}). */
    TarFixture paxFile(String longName, byte[] content) {
        String record = " path=" + longName + "\n";
        int len = record.length();
        int total = len + String.valueOf(len).length();
        if (String.valueOf(total).length() != String.valueOf(len).length()) {
            total++;
        }
        byte[] pax = (total + record).getBytes(StandardCharsets.UTF_8);
        header("PaxHeader/x", "", pax.length, 'x');
        data(pax);
        header("truncated-name", "", content.length, '0');
        data(content);
        return this;
    }

    /** A file whose real name comes from a GNU {@code ././@LongLink} entry. */
    TarFixture gnuLongNameFile(String longName, byte[] content) {
        byte[] name = (longName + "\0").getBytes(StandardCharsets.UTF_8);
        header("././@LongLink", "", name.length, 'L');
        data(name);
        header("short", "", content.length, '0');
        data(content);
        return this;
    }

    byte[] tgz() {
        tar.writeBytes(new byte[1024]); // two zero blocks end the archive
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(tar.toByteArray());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    private void header(String name, String prefix, long size, char type) {
        byte[] h = new byte[512];
        put(h, 0, name);
        put(h, 100, "0000644\0");
        put(h, 108, "0001750\0");
        put(h, 116, "0001750\0");
        put(h, 124, String.format("%011o\0", size));
        put(h, 136, String.format("%011o\0", 1_500_000_000L));
        put(h, 148, "        ");
        h[156] = (byte) type;
        put(h, 257, "ustar\0");
        put(h, 263, "00");
        put(h, 345, prefix);
        int sum = 0;
        for (byte b : h) {
            sum += b & 0xFF;
        }
        put(h, 148, String.format("%06o\0 ", sum));
        tar.writeBytes(h);
    }

    private void data(byte[] content) {
        tar.writeBytes(content);
        tar.writeBytes(new byte[(512 - content.length % 512) % 512]);
    }

    private static void put(byte[] h, int off, String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        System.arraycopy(b, 0, h, off, b.length);
    }
}
