package io.tinysparse.datasets.install;

import java.io.IOException;

/**
 * A package source cannot be used on this machine (its tool is missing, or it needs root). The
 * message says exactly how the user can provide the files instead.
 */
public class SourceUnavailableException extends IOException {
    private static final long serialVersionUID = 1L;

    public SourceUnavailableException(String message) {
        super(message);
    }
}
