package io.tinysparse.datasets.install;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** {@link SystemCommands} that run nothing: each command's effect and result come from the test. */
final class FakeCommands implements SystemCommands {
    /** What a faked command does, in the directory it ran in. */
    @FunctionalInterface
    interface Behaviour {
        Result run(List<String> command, Path workDir) throws IOException;
    }

    final List<String> ran = new ArrayList<>();
    private final Set<String> onPath;
    private final boolean root;
    private final Behaviour behaviour;

    FakeCommands(Set<String> onPath, boolean root, Behaviour behaviour) {
        this.onPath = onPath;
        this.root = root;
        this.behaviour = behaviour;
    }

    @Override
    public Result run(List<String> command, Path workDir, Map<String, String> extraEnv) throws IOException {
        ran.add(String.join(" ", command));
        return behaviour.run(command, workDir);
    }

    @Override
    public boolean onPath(String program) {
        return onPath.contains(program);
    }

    @Override
    public boolean isRoot() {
        return root;
    }
}
