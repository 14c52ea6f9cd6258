package io.tinysparse.core.cli;

import io.tinysparse.core.provenance.Provenance;
import picocli.CommandLine.IVersionProvider;

/** What {@code --version} prints: the build (version, commit, whether modified) and the Java platform. */
public final class VersionProvider implements IVersionProvider {
    @Override
    public String[] getVersion() {
        return Provenance.current().describe().split(System.lineSeparator());
    }
}
