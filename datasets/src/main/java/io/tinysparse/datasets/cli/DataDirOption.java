package io.tinysparse.datasets.cli;

import io.tinysparse.datasets.catalog.DataDirectory;
import picocli.CommandLine.Option;

/**
 * The {@code --data-dir} option, for every command that reads installed datasets
 * ({@code @Mixin DataDirOption dataDir;}).
 */
public final class DataDirOption {
    @Option(names = "--data-dir", paramLabel = "DIR",
            description = "Data directory (default: $TINYSPARSE_DATA, else $TINYSPARSE_HOME/data, else ~/.tinysparse/data).")
    String dataDir;

    /**
     * The directory as given, or null: for a process that resolves it elsewhere (a Spark
     * executor, against its own environment).
     */
    public String given() {
        return dataDir;
    }

    /** The data directory this option and the environment select. */
    public DataDirectory resolve() {
        return DataDirectory.resolve(dataDir);
    }
}
