package io.tinysparse.datasets.catalog;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * How a dataset stands in a local data directory: each of its files checked against the
 * catalog. A dataset is installed only when every file is ({@link FileCheck#ok()}), so a
 * half-finished or damaged installation never counts as one.
 *
 * @param dataset the dataset
 * @param directory its directory
 * @param files one check per expected file, in the descriptor's order
 */
public record DatasetStatus(DatasetDescriptor dataset, Path directory, List<FileCheck> files) {
    public DatasetStatus {
        Objects.requireNonNull(dataset, "dataset");
        Objects.requireNonNull(directory, "directory");
        files = List.copyOf(files);
    }

    /** Checks every file of {@code dataset} in {@code dir} (reading each fully when its checksum is known). */
    public static DatasetStatus check(DataDirectory dir, DatasetDescriptor dataset) throws IOException {
        Path d = dir.datasetDirectory(dataset.name());
        List<FileCheck> checks = new ArrayList<>();
        for (ExpectedFile f : dataset.files()) {
            checks.add(FileCheck.of(d.resolve(f.name()), f));
        }
        return new DatasetStatus(dataset, d, checks);
    }

    /** Whether every file is present and right. */
    public boolean installed() {
        return files.stream().allMatch(FileCheck::ok);
    }

    /** Whether no file is there at all. */
    public boolean absent() {
        return files.stream().allMatch(c -> c.state() == FileCheck.State.MISSING);
    }
}
