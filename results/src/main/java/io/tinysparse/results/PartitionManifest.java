package io.tinysparse.results;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32C;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.util.HadoopInputFile;

/**
 * The list of data files of one committed partition ({@code _manifest.json} in the partition
 * directory): each file's name, its length in bytes, its row count (from its Parquet footer) and
 * the CRC32C of its whole content (8 hex digits).
 *
 * <p>Invariant of a partition that carries one: its data files (names not starting with
 * {@code _} or {@code .}, which Spark reads) are exactly the listed ones, with the listed lengths
 * and checksums. The manifest is the last file written into a partition before it is published,
 * and it is written atomically (a temporary name, then a rename), so a manifest is never partial:
 * unreadable means damaged.
 */
public record PartitionManifest(List<Entry> files) {
    /** The manifest's file name in its partition directory (hidden from Spark by the leading {@code _}). */
    public static final String FILE = "_manifest.json";
    /** The format this code writes and reads. */
    static final int FORMAT = 1;

    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * One data file.
     *
     * @param name file name within the partition directory
     * @param bytes length in bytes
     * @param rows rows in the file, from its Parquet footer
     * @param crc32c CRC32C of the whole file, 8 lower-case hex digits
     */
    public record Entry(String name, long bytes, long rows, String crc32c) {}

    public PartitionManifest {
        files = List.copyOf(files);
    }

    /** Whether {@code name} is a file Spark reads as data (its listing skips {@code _*} and {@code .*}). */
    static boolean isDataFile(String name) {
        return !name.startsWith("_") && !name.startsWith(".");
    }

    /** The manifest of the data files now in {@code dir}: lengths, footers' row counts and checksums. */
    static PartitionManifest of(FileSystem fs, Path dir) throws IOException {
        List<Entry> files = new ArrayList<>();
        for (FileStatus s : fs.listStatus(dir)) {
            String name = s.getPath().getName();
            if (s.isFile() && isDataFile(name)) {
                long rows;
                try (ParquetFileReader footer = ParquetFileReader.open(HadoopInputFile.fromStatus(s, fs.getConf()))) {
                    rows = footer.getRecordCount();
                }
                files.add(new Entry(name, s.getLen(), rows, crc32c(fs, s.getPath())));
            }
        }
        files.sort((a, b) -> a.name().compareTo(b.name()));
        return new PartitionManifest(files);
    }

    /** The CRC32C of a file's content, 8 lower-case hex digits. */
    static String crc32c(FileSystem fs, Path file) throws IOException {
        CRC32C crc = new CRC32C();
        byte[] buf = new byte[1 << 16];
        try (InputStream in = fs.open(file)) {
            for (int n; (n = in.read(buf)) > 0; ) {
                crc.update(buf, 0, n);
            }
        }
        return String.format("%08x", crc.getValue());
    }

    /** The entries by file name. */
    Map<String, Entry> byName() {
        Map<String, Entry> out = new HashMap<>();
        for (Entry e : files) {
            out.put(e.name(), e);
        }
        return out;
    }

    /**
     * Writes this manifest into {@code dir} atomically: to a temporary name, flushed to the
     * storage ({@code hsync}; on a local file system also {@code fsync}), then renamed to
     * {@link #FILE}.
     */
    void writeInto(FileSystem fs, Path dir) throws IOException {
        ObjectNode root = JSON.createObjectNode();
        root.put("manifest", FORMAT);
        ArrayNode list = root.putArray("files");
        for (Entry e : files) {
            list.addObject().put("name", e.name()).put("bytes", e.bytes()).put("rows", e.rows())
                    .put("crc32c", e.crc32c());
        }
        Path tmp = new Path(dir, FILE + ".tmp");
        try (FSDataOutputStream out = fs.create(tmp, false)) {
            out.write(JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(root));
            out.hsync();
        }
        DurableFiles.syncFile(fs, tmp);
        if (!fs.rename(tmp, new Path(dir, FILE))) {
            throw new IOException("rename " + tmp + " -> " + FILE + " failed");
        }
    }

    /**
     * Reads the manifest {@code file}.
     *
     * @throws IllegalArgumentException with the reason if it is not a manifest of this format
     */
    static PartitionManifest read(FileSystem fs, Path file) throws IOException {
        JsonNode root;
        try (InputStream in = fs.open(file)) {
            root = JSON.readTree(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalArgumentException("not JSON (" + e.getOriginalMessage() + ")");
        }
        if (root == null || !root.path("manifest").canConvertToInt() || root.path("manifest").asInt() != FORMAT
                || !root.path("files").isArray()) {
            throw new IllegalArgumentException("not a manifest of format " + FORMAT);
        }
        List<Entry> files = new ArrayList<>();
        for (JsonNode f : root.get("files")) {
            if (!f.path("name").isTextual() || !f.path("bytes").canConvertToLong() || !f.path("rows").canConvertToLong()
                    || !f.path("crc32c").isTextual()) {
                throw new IllegalArgumentException("a file entry lacks name, bytes, rows or crc32c");
            }
            files.add(new Entry(f.get("name").asText(), f.get("bytes").asLong(), f.get("rows").asLong(),
                    f.get("crc32c").asText()));
        }
        return new PartitionManifest(files);
    }
}
