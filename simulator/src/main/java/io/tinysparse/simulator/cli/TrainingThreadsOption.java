package io.tinysparse.simulator.cli;

import io.tinysparse.core.InvalidInputException;
import io.tinysparse.simulator.pretrain.Pretrainer;
import picocli.CommandLine.Option;

/**
 * {@code --threads}, declared once for the commands that train a backbone data-parallel
 * ({@code pretrain}, {@code prune}): how many threads share each step's shards. The backbone does
 * not depend on it.
 */
public final class TrainingThreadsOption {
    @Option(names = "--threads", paramLabel = "N",
            description = "Threads sharing each step's shards, at most one per shard; the backbone is the same for "
                    + "any count (default: the available processors, ${DEFAULT-VALUE}).")
    private int threads = Pretrainer.defaultThreads();

    /**
     * The thread count.
     *
     * @throws InvalidInputException naming it if it is below 1
     */
    public int count() {
        if (threads < 1) {
            throw new InvalidInputException("--threads must be >= 1, got " + threads);
        }
        return threads;
    }
}
