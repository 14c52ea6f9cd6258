package io.tinysparse.jobs;

import picocli.CommandLine.IVersionProvider;

/** The version printed by {@code tinysparse --version}: the jar's implementation version. */
public final class BuildInfo implements IVersionProvider {
    @Override
    public String[] getVersion() {
        String v = BuildInfo.class.getPackage().getImplementationVersion();
        return new String[] {"tinysparse " + (v == null ? "(development build)" : v)};
    }
}
