package io.tinysparse.datasets.install;

import io.tinysparse.core.InvalidInputException;
import io.tinysparse.datasets.catalog.DatasetDescriptor;
import io.tinysparse.datasets.catalog.ExpectedFile;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;

/**
 * Files the user already has in a folder (an offline machine, a copy from another one): they
 * are copied, then verified like any other source's.
 */
public final class DirectorySource implements PackageSource {
    private final Path directory;

    public DirectorySource(Path directory) {
        this.directory = Objects.requireNonNull(directory, "directory").toAbsolutePath().normalize();
    }

    @Override
    public String describe() {
        return "folder " + directory;
    }

    @Override
    public void provide(DatasetDescriptor dataset, Path staging, PrintWriter log) throws IOException {
        for (ExpectedFile f : dataset.files()) {
            Path src = directory.resolve(f.name());
            if (!Files.isRegularFile(src)) {
                throw new InvalidInputException("--source-dir " + directory + " has no " + f.name() + " for "
                        + dataset.name());
            }
            Files.copy(src, staging.resolve(f.name()));
        }
    }
}
