package io.tinysparse.search.bench;

import io.tinysparse.search.space.MemoryBudget;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

/**
 * One Optuna sampler's trajectory: {@code bench/optuna_searchers.py} runs as a child process
 * and asks this JVM, over its standard output and input (JSON lines, {@link HarnessProtocol}),
 * for the space and for every trial's result; the runs are trained here, through the shared memo,
 * by the same {@link RunAccounting} as tinysparse's searchers. One child per trajectory, one JVM
 * for the whole benchmark. The child's standard error is passed through.
 *
 * @param python the Python interpreter with Optuna ({@code /usr/bin/python3} for Debian's python3-optuna)
 * @param script {@code bench/optuna_searchers.py}
 */
record OptunaTrajectory(Path python, Path script) {
    /** Benchmark names of the Optuna samplers, to the script's {@code --sampler} values. */
    static final List<String> NAMES = List.of("optuna-nsga2", "optuna-tpe");

    /**
     * Runs sampler {@code name} (one of {@link #NAMES}) until {@code runs} runs are counted, or
     * {@code maxTrials} trials were told, whichever comes first.
     */
    Trajectory run(String name, MemoryBudget budget, RunAccounting accounting, int population, int runs,
            int maxTrials) throws IOException, InterruptedException {
        if (!NAMES.contains(name)) {
            throw new IllegalArgumentException("not an Optuna sampler: " + name);
        }
        long t0 = System.nanoTime();
        Process child = new ProcessBuilder(python.toString(), script.toString(),
                "--sampler", name.substring("optuna-".length()), "--seed", Long.toString(accounting.seed()),
                "--runs", Integer.toString(runs), "--population", Integer.toString(population),
                "--max-trials", Integer.toString(maxTrials))
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
        HarnessProtocol protocol = new HarnessProtocol(budget, accounting);
        try (BufferedReader requests = new BufferedReader(new InputStreamReader(child.getInputStream(),
                StandardCharsets.UTF_8));
                BufferedWriter answers = new BufferedWriter(new OutputStreamWriter(child.getOutputStream(),
                        StandardCharsets.UTF_8))) {
            String line;
            while ((line = requests.readLine()) != null) {
                answers.write(protocol.answer(line));
                answers.write('\n');
                answers.flush();
            }
        } catch (RuntimeException | IOException e) {
            child.destroy();
            throw e;
        }
        int exit = child.waitFor();
        if (exit != 0) {
            throw new IllegalStateException(script + " --sampler " + name + " --seed " + accounting.seed()
                    + " exited with " + exit + " (its error is above)");
        }
        String note = accounting.counted().size() < runs
                ? name + " stopped after " + maxTrials + " trials with " + accounting.counted().size() + " counted runs"
                : "";
        return new Trajectory(name, accounting.seed(), accounting.counted(), accounting.proposals(),
                accounting.infeasible(), accounting.duplicates(), (System.nanoTime() - t0) / 1e9, null, null, note);
    }
}
