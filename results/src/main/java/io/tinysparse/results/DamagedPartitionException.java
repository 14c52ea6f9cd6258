package io.tinysparse.results;

import io.tinysparse.core.InvalidInputException;
import io.tinysparse.results.Warehouse.Table;

/**
 * A committed partition of the warehouse does not match its manifest (or, in a partition written
 * before manifests, holds a file that cannot be Parquet): a file is missing, empty, short,
 * changed or unlisted. Reading it would return fewer or other rows than were committed, so
 * readers refuse instead. The message names the file and the repair; the command line exits 2.
 */
public final class DamagedPartitionException extends InvalidInputException {
    private static final long serialVersionUID = 1L;

    private final Table table;
    private final String searchId;
    private final int generation;
    private final String file;
    private final String reason;

    /**
     * @param file the damaged (or missing) file, as a path the user can find
     * @param reason what is wrong with it, e.g. "0 bytes, its manifest records 2345"
     * @param warehouse the warehouse root as given to {@code --warehouse}
     */
    DamagedPartitionException(Table table, String searchId, int generation, String file, String reason,
            String warehouse) {
        super("warehouse file " + file + " is damaged: " + reason + " (" + table.dir() + " of search '" + searchId
                + "' generation " + generation + "); drop that generation and the later ones with"
                + " 'tinysparse repair --search-id " + searchId + " --warehouse " + warehouse
                + "', then run the search again to recompute them");
        this.table = table;
        this.searchId = searchId;
        this.generation = generation;
        this.file = file;
        this.reason = reason;
    }

    /** The table of the damaged partition. */
    public Table table() {
        return table;
    }

    /** The search of the damaged partition. */
    public String searchId() {
        return searchId;
    }

    /** The generation of the damaged partition. */
    public int generation() {
        return generation;
    }

    /** What is wrong with the file, without the repair advice. */
    public String reason() {
        return reason;
    }

    /** The damaged or missing file. */
    public String file() {
        return file;
    }
}
