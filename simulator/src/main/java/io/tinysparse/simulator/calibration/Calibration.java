package io.tinysparse.simulator.calibration;

import io.tinysparse.datasets.catalog.DatasetCatalog;
import io.tinysparse.simulator.engine.Network;
import io.tinysparse.simulator.run.DataSpec;
import io.tinysparse.simulator.run.Normalisation;
import io.tinysparse.simulator.run.RunEvaluator;
import io.tinysparse.simulator.run.RunResult;
import io.tinysparse.simulator.run.RunSpec;
import io.tinysparse.simulator.run.TaskData;
import io.tinysparse.simulator.run.TrainingBudget;
import java.io.IOException;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Trains a reference set of policies at one budget with K replicates through the project's own
 * {@link RunEvaluator}, as a search would train them.
 *
 * <p><b>Replicates and pairing.</b> Replicate {@code r} has seed {@code firstSeed + r}, which a
 * search with that search seed would use: the run seed (sample order, channel selection), the
 * classifier initialisation ({@link Network#withNewClassifier}) and the stratified subsets (the
 * data spec's subset seed). Every policy of a replicate shares all three (paired comparisons), and
 * so does the other budget's replicate of the same index: only the budget differs.
 *
 * <p>Runs of one replicate go to {@code threads} threads, longest first
 * ({@link RunSpec#engineMacs()}); the cut activations are shared through the evaluator, in memory
 * only (a calibration's long budget would otherwise write gigabytes of them to the feature cache).
 */
public final class Calibration {
    private final Network backbone;
    private final Normalisation statistics;
    private final DatasetCatalog catalog;
    private final String dataset;
    private final int valSamples;
    private final int testSamples;
    private final String device;
    private final int threads;
    private final PrintStream progress;

    /**
     * @param backbone    the pretrained network, unfolded (as pretraining stores it): runs of
     *                    folded policies fold it, {@code dense-bn} keeps its batch norms
     * @param statistics  the normalisation of the target images (the backbone's pretraining
     *                    statistics), or null for the subset's own
     * @param catalog     where the target dataset is read
     * @param dataset     catalogue name of the target dataset
     * @param valSamples  validation samples per run (disjoint from training), at least 1
     * @param testSamples test samples per run
     * @param device      device profile name
     * @param threads     runs trained at once, at least 1
     * @param progress    one line per finished run
     */
    public Calibration(Network backbone, Normalisation statistics, DatasetCatalog catalog, String dataset,
            int valSamples, int testSamples, String device, int threads, PrintStream progress) {
        if (backbone.isFolded()) {
            throw new IllegalArgumentException("the calibration needs the unfolded backbone (dense-bn trains its batch norms)");
        }
        this.backbone = backbone;
        this.statistics = statistics;
        this.catalog = catalog;
        this.dataset = dataset;
        this.valSamples = valSamples;
        this.testSamples = testSamples;
        this.device = device;
        this.threads = threads;
        this.progress = progress;
    }

    /**
     * Trains every policy of {@code policies} at {@code budget} for each replicate seed. With a
     * learning-rate grid and {@code gridOnFirstOnly}, the grid is tried on the first replicate
     * only, selecting each policy's rate on its validation accuracy, and the other replicates
     * train at that rate (a grid's cost once, not K times).
     */
    public List<CalibrationRun> train(CalibrationBudget budget, List<ReferencePolicy> policies, long firstSeed,
            int replicates, boolean gridOnFirstOnly) throws IOException, InterruptedException {
        List<CalibrationRun> all = new ArrayList<>();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            Map<String, Double> selected = new HashMap<>();
            for (int r = 0; r < replicates; r++) {
                List<CalibrationRun> done = replicate(pool, budget, policies, r, firstSeed + r,
                        gridOnFirstOnly && r > 0 ? selected : Map.of());
                if (r == 0) {
                    done.forEach(c -> selected.put(c.policy(), c.learningRate()));
                }
                all.addAll(done);
            }
        } finally {
            pool.shutdownNow();
        }
        return all;
    }

    /**
     * Content hash of the network {@code policy} is fine-tuned from in the replicate of seed
     * {@code seed} (folded or not, with that seed's classifier): what a run of this calibration
     * records as its backbone hash, so that runs read from a file can be checked without training.
     */
    public String backboneHash(ReferencePolicy policy, long seed) {
        int classes = DatasetCatalog.describe(dataset).classNames().size();
        Network base = policy.unfolded() ? backbone : backbone.fold();
        return base.withNewClassifier(classes, seed).parameterHash();
    }

    private List<CalibrationRun> replicate(ExecutorService pool, CalibrationBudget budget,
            List<ReferencePolicy> policies, int r, long seed, Map<String, Double> rates)
            throws IOException, InterruptedException {
        DataSpec data = new DataSpec(dataset, budget.trainSamples(), valSamples, testSamples, seed, statistics);
        TaskData task = TaskData.load(catalog, data, backbone.spec());
        RunEvaluator folded = null;
        RunEvaluator unfolded = null;
        List<Job> jobs = new ArrayList<>();
        for (ReferencePolicy p : policies) {
            RunEvaluator ev;
            if (p.unfolded()) {
                if (unfolded == null) {
                    unfolded = new RunEvaluator(backbone.withNewClassifier(task.classes(), seed), task, null);
                }
                ev = unfolded;
            } else {
                if (folded == null) {
                    folded = new RunEvaluator(backbone.fold().withNewClassifier(task.classes(), seed), task, null);
                }
                ev = folded;
            }
            TrainingBudget b = budget.budget();
            Double rate = rates.get(p.name());
            if (rate != null) {
                b = new TrainingBudget(b.iterations(), b.batchSize(), rate, b.momentum(), b.warmupIterations(),
                        b.evaluations(), List.of(), b.linearProbe(), false);
            }
            b = b.withRunningStatistics(p.runningStatistics());
            RunSpec spec = new RunSpec(backbone.spec(), p.policy(), ev.backboneHash(), data, b, device, seed);
            jobs.add(new Job(p, ev, spec));
        }
        // Cut activations and probe fits first, so that each run's wall time is the run alone.
        long tPrepare = System.nanoTime();
        List<Future<?>> prepared = new ArrayList<>();
        for (Job j : jobs) {
            prepared.add(pool.submit(() -> j.evaluator.prepare(j.spec)));
        }
        for (Future<?> f : prepared) {
            get(f);
        }
        synchronized (progress) {
            progress.printf(Locale.ROOT, "%s replicate %d: cut activations and probe fits in %.1f s%n", budget.name(), r,
                    (System.nanoTime() - tPrepare) / 1e9);
        }
        jobs.sort(Comparator.comparingLong((Job j) -> j.spec.engineMacs() * (j.policy.unfolded() ? 2 : 1)).reversed());
        List<Future<CalibrationRun>> futures = new ArrayList<>();
        for (Job j : jobs) {
            futures.add(pool.submit(() -> {
                RunResult res = j.evaluator.evaluate(j.spec);
                CalibrationRun run = new CalibrationRun(budget.name(), j.policy.name(), r, seed,
                        res.validationCurve().get(res.validationCurve().size() - 1), res.testAccuracy(),
                        res.learningRate(), res.lin2022().totalBytes(), res.arena().totalBytes(), res.wallTimeMs(),
                        j.spec.backboneHash(), res.runId(), res.updatedFraction(), res.coverage());
                synchronized (progress) {
                    progress.printf(Locale.ROOT, "%s replicate %d %-15s val %.4f test %.4f lr %s updated %.5f coverage %.4f"
                            + " (%.1f s)%n", budget.name(), r, j.policy.name(), run.validation(), run.test(),
                            run.learningRate(), run.updatedFraction(), run.coverage(), run.wallMs() / 1000);
                }
                return run;
            }));
        }
        List<CalibrationRun> done = new ArrayList<>();
        for (Future<CalibrationRun> f : futures) {
            done.add(get(f));
        }
        done.sort(Comparator.comparingInt(c -> policies.indexOf(policies.stream()
                .filter(p -> p.name().equals(c.policy())).findFirst().orElseThrow())));
        return done;
    }

    private static <T> T get(Future<T> f) throws InterruptedException {
        try {
            return f.get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException re) {
                throw re;
            }
            throw new IllegalStateException(e.getCause());
        }
    }

    private record Job(ReferencePolicy policy, RunEvaluator evaluator, RunSpec spec) {}
}
