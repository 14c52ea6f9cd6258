package io.tinysparse.simulator.pretrain;

import io.tinysparse.core.InvalidInputException;
import io.tinysparse.datasets.catalog.DataDirectory;
import io.tinysparse.datasets.catalog.DatasetCatalog;
import io.tinysparse.datasets.catalog.Split;
import io.tinysparse.datasets.image.ImageDataset;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.UnaryOperator;

/**
 * Pretrained backbones addressed by content: the backbone of a {@link PretrainSpec} lives in
 * {@code root/<spec hash>/backbone.tsnw} (+ {@code .json}), so a spec is pretrained once and
 * every later run (a quick search, a cluster task) reuses it. The default root is
 * {@code $TINYSPARSE_HOME/backbones} ({@code ~/.tinysparse/backbones} without the variable).
 *
 * <p>{@link #getOrPretrain} holds a lock per spec (a JVM monitor and an OS file lock on
 * {@code <spec hash>.lock}), so concurrent callers in one JVM or several processes sharing the
 * directory pretrain a spec only once; the others wait and load the result. A stored backbone
 * that fails to load is reported, not silently replaced.
 *
 * <p>The network a fine-tuning run on the default transfer task starts from (folded, a fresh
 * classifier for the target's classes, the run's resolution):
 * <pre>{@code
 * Network start = BackboneStore.atHome(DataDirectory.resolve(null))
 *         .getOrPretrain(PretrainSpec.defaults())
 *         .forTarget(10, resolution, seed);
 * }</pre>
 */
public final class BackboneStore {
    /** Name of the network file in a spec's directory. */
    public static final String NETWORK_FILE = "backbone.tsnw";

    private static final Map<Path, Object> MONITORS = new ConcurrentHashMap<>();

    /** Loads the training split of a source dataset by name. */
    @FunctionalInterface
    public interface SourceImages {
        /** The training images of {@code dataset}. */
        ImageDataset load(String dataset) throws IOException;
    }

    private final Path root;
    private final SourceImages source;

    /** A store in {@code root} that reads source datasets with {@code source}. */
    public BackboneStore(Path root, SourceImages source) {
        this.root = root.toAbsolutePath().normalize();
        this.source = source;
    }

    /**
     * The store in {@code backbones} under {@link #home}, reading source datasets from
     * {@code data} (e.g. {@code DataDirectory.resolve(null)}: the default data directory).
     */
    public static BackboneStore atHome(DataDirectory data) {
        DatasetCatalog catalog = DatasetCatalog.local(data);
        return new BackboneStore(DataDirectory.home().resolve("backbones"),
                name -> catalog.read(DatasetCatalog.describe(name), Split.TRAIN));
    }

    /** tinysparse's home: {@code $TINYSPARSE_HOME}, or {@code ~/.tinysparse} (see {@link DataDirectory#home}). */
    public static Path home(UnaryOperator<String> env, String userHome) {
        return DataDirectory.home(env, userHome);
    }

    /** The training split of source dataset {@code dataset}, read with the store's reader. */
    public ImageDataset sourceImages(String dataset) throws IOException {
        return source.load(dataset);
    }

    /** The store's directory. */
    public Path root() {
        return root;
    }

    /** Where the network file of {@code spec}'s backbone is (or would be). */
    public Path networkFile(PretrainSpec spec) {
        return root.resolve(spec.hash()).resolve(NETWORK_FILE);
    }

    /**
     * The stored backbone of {@code spec}, if there is one (its provenance file exists).
     *
     * @throws InvalidInputException naming the file if it exists but cannot be loaded, or was
     *     made from another spec
     */
    public Optional<BackboneCheckpoint> find(PretrainSpec spec) throws IOException {
        Path file = networkFile(spec);
        if (!Files.exists(BackboneCheckpoint.provenanceFile(file))) {
            return Optional.empty();
        }
        BackboneCheckpoint c;
        try {
            c = BackboneCheckpoint.load(file);
        } catch (InvalidInputException e) {
            throw new InvalidInputException(e.getMessage() + " (delete " + file.getParent() + " to pretrain again)", e);
        }
        if (!c.provenance().spec().equals(spec)) {
            throw new InvalidInputException("backbone " + file + " was pretrained for another spec: "
                    + c.provenance().spec().canonical());
        }
        return Optional.of(c);
    }

    /** {@link #getOrPretrain(PretrainSpec, Pretrainer.Progress)} without progress output. */
    public BackboneCheckpoint getOrPretrain(PretrainSpec spec) throws IOException {
        return getOrPretrain(spec, Pretrainer.Progress.NONE);
    }

    /** {@link #getOrPretrain(PretrainSpec, int, Pretrainer.Progress)} on {@link Pretrainer#defaultThreads()} threads. */
    public BackboneCheckpoint getOrPretrain(PretrainSpec spec, Pretrainer.Progress progress) throws IOException {
        return getOrPretrain(spec, Pretrainer.defaultThreads(), progress);
    }

    /**
     * The backbone of {@code spec}: the stored one, or a new one pretrained now (on the source
     * dataset's training split, on {@code threads} threads: the backbone is the same for any
     * count), saved and returned.
     */
    public BackboneCheckpoint getOrPretrain(PretrainSpec spec, int threads, Pretrainer.Progress progress)
            throws IOException {
        if (spec.pruning() != null) {
            throw new IllegalArgumentException("a pruned backbone is made by pruning its parent, not by pretraining: "
                    + spec.model().label());
        }
        return getOrMake(spec, () -> BackboneCheckpoint.of(spec,
                Pretrainer.run(spec, source.load(spec.dataset()), threads, progress)));
    }

    /** Makes the backbone of a spec that is not stored yet. */
    @FunctionalInterface
    public interface Maker {
        /** The new backbone (not yet saved). */
        BackboneCheckpoint make() throws IOException;
    }

    /**
     * The backbone of {@code spec}: the stored one, or one {@code maker} makes now, saved (under
     * the spec's lock, so concurrent callers make it once) and returned.
     *
     * @throws InvalidInputException if the made backbone's provenance is not of {@code spec}
     */
    public BackboneCheckpoint getOrMake(PretrainSpec spec, Maker maker) throws IOException {
        Optional<BackboneCheckpoint> stored = find(spec);
        if (stored.isPresent()) {
            return stored.get();
        }
        Files.createDirectories(root);
        Path lockFile = root.resolve(spec.hash() + ".lock");
        synchronized (MONITORS.computeIfAbsent(lockFile, k -> new Object())) {
            try (FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                    FileLock lock = channel.lock()) {
                stored = find(spec); // another process may have finished it while we waited
                if (stored.isPresent()) {
                    return stored.get();
                }
                BackboneCheckpoint made = maker.make();
                if (!made.provenance().spec().equals(spec)) {
                    throw new InvalidInputException("made a backbone of " + made.provenance().spec().canonical()
                            + ", asked for " + spec.canonical());
                }
                made.save(networkFile(spec));
                return made;
            }
        }
    }
}
