package io.tinysparse.search.bench;

import io.tinysparse.datasets.catalog.DataDirectory;
import io.tinysparse.datasets.catalog.DatasetCatalog;
import io.tinysparse.search.Candidate;
import io.tinysparse.search.Fidelity;
import io.tinysparse.search.Genome;
import io.tinysparse.search.driver.PlannedRun;
import io.tinysparse.search.driver.RunPlanner;
import io.tinysparse.search.driver.SearchRules;
import io.tinysparse.search.space.MemoryBudget;
import io.tinysparse.search.space.PolicySpace;
import io.tinysparse.simulator.device.DeviceProfile;
import io.tinysparse.simulator.engine.Network;
import io.tinysparse.simulator.memory.ArenaConfig;
import io.tinysparse.simulator.memory.ArenaEstimator;
import io.tinysparse.simulator.pretrain.Backbones;
import io.tinysparse.simulator.run.DataSpec;
import io.tinysparse.simulator.run.RunEvaluator;
import io.tinysparse.simulator.run.RunResult;
import io.tinysparse.simulator.run.TaskData;
import io.tinysparse.simulator.run.TrainingBudget;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;

/**
 * The benchmark's setting for one benchmark seed, wired as {@code search --quick --seed S} wires
 * its search (see {@code SearchJob}): the default backbone from the backbone store of
 * {@code $TINYSPARSE_HOME}, folded, with a classifier for the task initialised from the seed;
 * the default policy space of that backbone under the default device's SRAM budget (the arena
 * memory model); the task's subsets drawn with the seed and normalised with the backbone's
 * pretraining statistics; and the product's {@link RunPlanner} (current rules: paired run seeds
 * from the seed alone, decisions on validation accuracy) and {@link RunEvaluator}.
 *
 * <p>A genome's run therefore depends on the benchmark seed and the genome only: whichever
 * searcher asks, the same genome is the same run (same run id), trained once.
 *
 * @param seed      the benchmark seed (the search seed of the equivalent {@code search})
 * @param budget    the space and its SRAM budget
 * @param planner   the genome's run spec
 * @param evaluator the product's evaluator of run specs
 */
record QuickTask(long seed, MemoryBudget budget, RunPlanner planner, RunEvaluator evaluator) implements GenomeTrainer {
    /**
     * Loads the backbone and the data of benchmark seed {@code seed}: {@code task} (its subsets
     * drawn with the seed, as {@code search} draws them with its own) and the base budget
     * {@code training} of every run (progress on {@code log}), on the backbone in {@code file}, or
     * the default backbone when it is null.
     */
    static QuickTask load(Path file, long seed, DataSpec task, TrainingBudget training, PrintStream log) throws IOException {
        DataDirectory home = DataDirectory.resolve(null);
        Backbones.Selected raw = Backbones.select(file, home, log, log);
        int classes = DatasetCatalog.describe(task.dataset()).classNames().size();
        Network backbone = raw.network().fold().withNewClassifier(classes, seed);
        PolicySpace space = PolicySpace.defaultFor(backbone.spec());
        DeviceProfile device = DeviceProfile.preset(DeviceProfile.DEFAULT);
        MemoryBudget budget = new MemoryBudget(space, new ArenaEstimator(space.table(), ArenaConfig.DEFAULT),
                device.sramBytes());
        DataSpec data = task.withNormalisation(raw.statistics());
        RunPlanner planner = new RunPlanner(space, backbone.parameterHash(), data, data, training, device, seed,
                SearchRules.CURRENT);
        return new QuickTask(seed, budget, planner, new RunEvaluator(backbone,
                TaskData.load(DatasetCatalog.local(home), data, backbone.spec()), RunEvaluator.defaultFeatureCache()));
    }

    private PlannedRun plan(Genome genome) {
        return planner.plan(new Candidate(0, genome, Fidelity.BASE));
    }

    @Override
    public String runId(Genome genome) {
        return plan(genome).runId();
    }

    @Override
    public TrainedRun train(Genome genome) {
        PlannedRun run = plan(genome);
        RunResult r = evaluator.evaluate(run.spec());
        List<Double> curve = r.validationCurve();
        return new TrainedRun(run.runId(), curve.get(curve.size() - 1), r.testAccuracy(), r.arena().totalBytes(),
                r.wallTimeMs());
    }
}
