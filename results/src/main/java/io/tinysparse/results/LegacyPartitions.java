package io.tinysparse.results;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tinysparse.results.Warehouse.Table;
import java.io.IOException;
import java.io.InputStream;
import java.util.HashSet;
import java.util.Set;
import java.util.UUID;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * The partitions of a warehouse that were committed before it had manifests, recorded in
 * {@code WAREHOUSE/_legacy_partitions.json} when this code first commits into the warehouse
 * (before that commit). It is what tells a partition written by older code, which has no manifest
 * and stays readable, from a partition whose manifest was lost, which is damage.
 *
 * <p>States: no file and no partition with a manifest (a warehouse written only by older code:
 * every partition is legacy); the file (exactly the partitions it lists are legacy). A
 * warehouse without the file but with a manifest somewhere has lost the file.
 */
final class LegacyPartitions {
    /** The file's name under the warehouse root. */
    static final String FILE = "_legacy_partitions.json";

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Set<String> partitions;
    private final boolean recorded;

    private LegacyPartitions(Set<String> partitions, boolean recorded) {
        this.partitions = partitions;
        this.recorded = recorded;
    }

    /** The record of the warehouse at {@code root}, or the absence of one. */
    static LegacyPartitions of(FileSystem fs, Path root) throws IOException {
        Path file = new Path(root, FILE);
        if (!fs.exists(file)) {
            return new LegacyPartitions(Set.of(), false);
        }
        Set<String> listed = new HashSet<>();
        try (InputStream in = fs.open(file)) {
            JsonNode node = JSON.readTree(in.readAllBytes()).path("partitions");
            if (!node.isArray()) {
                throw new IOException(file + " has no 'partitions' list");
            }
            for (JsonNode p : node) {
                listed.add(p.asText());
            }
        }
        return new LegacyPartitions(listed, true);
    }

    /** Whether the partition at {@code relative} ({@code TABLE/search_id=S/generation=G}) predates manifests. */
    boolean isLegacy(String relative) {
        return !recorded || partitions.contains(relative);
    }

    /**
     * Records every partition now committed in the warehouse at {@code root} as legacy, unless the
     * record exists. Written to a temporary file, synced, and renamed into place; two first
     * commits racing each list the same partitions (neither has committed yet), so either
     * rename's content is right.
     */
    static void recordIfAbsent(FileSystem fs, Path root) throws IOException {
        Path file = new Path(root, FILE);
        if (fs.exists(file)) {
            return;
        }
        ObjectNode doc = JSON.createObjectNode();
        doc.put("about", "partitions committed before this warehouse had manifests; every other partition has one");
        ArrayNode list = doc.putArray("partitions");
        for (Table t : Table.values()) {
            Path table = new Path(root, t.dir());
            if (!fs.exists(table)) {
                continue;
            }
            for (FileStatus search : fs.listStatus(table)) {
                if (!search.isDirectory() || !search.getPath().getName().startsWith("search_id=")) {
                    continue;
                }
                for (FileStatus g : fs.listStatus(search.getPath())) {
                    if (g.isDirectory() && g.getPath().getName().startsWith("generation=")) {
                        list.add(t.dir() + "/" + search.getPath().getName() + "/" + g.getPath().getName());
                    }
                }
            }
        }
        fs.mkdirs(root);
        Path tmp = new Path(root, "_" + UUID.randomUUID() + ".tmp");
        try (FSDataOutputStream out = fs.create(tmp, false)) {
            out.write(JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(doc));
            out.hsync();
        }
        DurableFiles.syncFile(fs, tmp);
        if (!fs.rename(tmp, file) && !fs.exists(file)) {
            throw new IOException("rename " + tmp + " -> " + file + " failed");
        }
        fs.delete(tmp, false);
        DurableFiles.syncDirectory(fs, root);
    }
}
