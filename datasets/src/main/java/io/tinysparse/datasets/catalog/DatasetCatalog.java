package io.tinysparse.datasets.catalog;

import io.tinysparse.core.InvalidInputException;
import io.tinysparse.datasets.format.CifarReader;
import io.tinysparse.datasets.format.CifarVariant;
import io.tinysparse.datasets.format.DataFiles;
import io.tinysparse.datasets.format.DataFormat;
import io.tinysparse.datasets.format.IdxReader;
import io.tinysparse.datasets.image.ImageDataset;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.StringJoiner;
import org.apache.hadoop.fs.Path;

/**
 * Loads the known datasets by name and split ({@code mnist train}) from a data directory on any
 * Hadoop-compatible file system: the local one by default, or shared storage
 * ({@code hdfs://.../tinysparse-data}) for Spark executors.
 *
 * <p>Loading checks each file's length against the catalog (cheap, and it catches a stale or
 * swapped file) and the readers check its structure; the full SHA-256 check is
 * {@code tinysparse datasets fetch}/{@code list}'s job. Thread-safe.
 */
public final class DatasetCatalog {
    private final Path root;
    private final DataFiles files;

    /** A catalog over a data directory given as a Hadoop path. */
    public DatasetCatalog(Path root, DataFiles files) {
        this.root = Objects.requireNonNull(root, "root");
        this.files = Objects.requireNonNull(files, "files");
    }

    /** A catalog over a local data directory. */
    public static DatasetCatalog local(DataDirectory directory) {
        return new DatasetCatalog(DataFiles.path(directory.root()), DataFiles.defaults());
    }

    /**
     * Loads {@code name} (e.g. {@code mnist}) split {@code split} ({@code train} or {@code test})
     * from the default data directory ({@link DataDirectory#resolve(String)} without a flag).
     */
    public static ImageDataset load(String name, String split) throws IOException {
        return local(DataDirectory.resolve(null)).read(describe(name), Split.parse(split));
    }

    /** The descriptor of a known dataset by name. */
    public static DatasetDescriptor describe(String name) {
        for (DatasetDescriptor d : KnownDatasets.all()) {
            if (d.name().equals(name)) {
                return d;
            }
        }
        StringJoiner known = new StringJoiner(", ");
        KnownDatasets.all().forEach(d -> known.add(d.name()));
        throw new InvalidInputException("unknown dataset '" + name + "', known: " + known);
    }

    /**
     * The known file with this name and length, if any: lets {@code inspect} recognise an
     * installed file and name its classes.
     */
    public static Optional<DatasetDescriptor> identify(String fileName, long length) {
        for (DatasetDescriptor d : KnownDatasets.all()) {
            for (ExpectedFile f : d.files()) {
                if (f.name().equals(fileName) && f.sizeBytes() == length) {
                    return Optional.of(d);
                }
            }
        }
        return Optional.empty();
    }

    /** The data directory this catalog reads. */
    public Path root() {
        return root;
    }

    /** Where file {@code f} of dataset {@code d} is. */
    public Path path(DatasetDescriptor d, ExpectedFile f) {
        return new Path(new Path(root, d.name()), f.name());
    }

    /** Loads one split of a dataset; its name is {@code <dataset>/<split>}. */
    public ImageDataset read(DatasetDescriptor d, Split split) throws IOException {
        String name = d.name() + "/" + split.id();
        for (ExpectedFile f : d.files(split)) {
            Path p = path(d, f);
            if (!files.exists(p)) {
                throw new InvalidInputException(name + " is not installed: " + p + " is missing; "
                        + installHint(d, new Path(root, d.name()).toString()));
            }
            long length = files.storedLength(p);
            if (length != f.sizeBytes()) {
                throw new InvalidInputException(p + ": " + length + " bytes, but " + d.name() + "'s " + f.name()
                        + " has " + f.sizeBytes() + "; " + installHint(d, new Path(root, d.name()).toString()));
            }
        }
        return switch (d.format()) {
            case IDX -> new IdxReader(files).read(path(d, d.file(split, ExpectedFile.Role.IMAGES)),
                    path(d, d.file(split, ExpectedFile.Role.LABELS)), name, d.classNames());
            case CIFAR10, CIFAR100 -> {
                List<Path> batches = new ArrayList<>();
                d.files(split).forEach(f -> batches.add(path(d, f)));
                CifarVariant v = d.format() == DataFormat.CIFAR10
                        ? CifarVariant.CIFAR10 : CifarVariant.CIFAR100;
                yield new CifarReader(files).read(batches, v, name, d.classNames(), d.coarseClassNames());
            }
        };
    }

    /** What to do when dataset {@code d} is not installed in {@code directory}, in one sentence. */
    public static String installHint(DatasetDescriptor d, String directory) {
        if (d.source().startsWith("manual")) {
            StringJoiner names = new StringJoiner(", ");
            d.files().forEach(f -> names.add(f.name()));
            return "put " + names + " (" + d.source().substring("manual: ".length()) + ") into " + directory;
        }
        return "run 'tinysparse datasets fetch " + d.name() + "'";
    }
}
