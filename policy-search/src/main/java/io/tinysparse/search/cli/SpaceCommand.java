package io.tinysparse.search.cli;

import io.tinysparse.core.InvalidInputException;
import io.tinysparse.core.cli.CommandRunner;
import io.tinysparse.core.random.SplitMix64;
import io.tinysparse.search.Gene;
import io.tinysparse.search.Genome;
import io.tinysparse.search.GenomeSampler;
import io.tinysparse.search.space.MemoryBudget;
import io.tinysparse.search.space.PolicySpace;
import io.tinysparse.search.space.PolicySpaceJson;
import io.tinysparse.simulator.cli.DeviceOption;
import io.tinysparse.simulator.device.DeviceProfile;
import io.tinysparse.simulator.device.Feasibility;
import io.tinysparse.simulator.memory.ArenaConfig;
import io.tinysparse.simulator.memory.MemoryEstimator;
import io.tinysparse.simulator.model.LayerTable;
import java.io.PrintWriter;
import java.math.BigInteger;
import java.nio.file.Path;
import java.util.Locale;
import java.util.StringJoiner;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code tinysparse space}: the size of a policy space declared in JSON (see
 * {@link PolicySpaceJson}) and how many of its policies fit an SRAM budget by the memory model,
 * counted exactly when the space is small enough to enumerate and estimated by uniform
 * sampling (with a 95 % Wilson interval) otherwise.
 */
@Command(
        name = "space",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = "Size of a policy space and how many of its policies fit the SRAM budget.")
public final class SpaceCommand implements Callable<Integer> {
    @Spec
    private CommandSpec spec;

    @Option(names = "--space", paramLabel = "FILE", required = true,
            description = "Policy space file, JSON or YAML (model, bias_depth, weight_layers, ratios, selection,"
                    + " train_classifier).")
    private Path spaceFile;

    @Option(names = "--estimator", paramLabel = "NAME", defaultValue = "arena",
            description = "Memory model: lin2022 (formula of Lin et al.) or arena (op-by-op simulation) "
                    + "(default: ${DEFAULT-VALUE}).")
    private String estimator;

    @Mixin
    private DeviceOption device;

    @Option(names = "--budget-kib", paramLabel = "KIB",
            description = "SRAM budget in KiB, overriding the device's SRAM (default: the device's).")
    private Double budgetKib;

    @Option(names = "--exact-limit", paramLabel = "N", defaultValue = "1000000",
            description = "Enumerate every policy when there are at most N, else sample (default: ${DEFAULT-VALUE}).")
    private long exactLimit;

    @Option(names = "--samples", paramLabel = "N", defaultValue = "100000",
            description = "Policies sampled uniformly when the space is too large to enumerate (default: ${DEFAULT-VALUE}).")
    private int samples;

    @Option(names = "--seed", paramLabel = "S", defaultValue = "1",
            description = "Seed of the sampler (default: ${DEFAULT-VALUE}).")
    private long seed;

    public static void main(String[] args) {
        CommandRunner.main(new SpaceCommand(), args);
    }

    @Override
    public Integer call() throws Exception {
        if (samples < 1) {
            throw new InvalidInputException("--samples must be >= 1, got " + samples);
        }
        if (exactLimit < 0) {
            throw new InvalidInputException("--exact-limit must be >= 0, got " + exactLimit);
        }
        PolicySpace space = PolicySpaceJson.read(spaceFile);
        DeviceProfile profile = device.profile();
        long budget = budgetBytes(profile);
        MemoryBudget constraint = new MemoryBudget(space,
                MemoryEstimator.create(estimator, space.model(), ArenaConfig.DEFAULT), budget);
        LayerTable table = space.table();
        PrintWriter out = spec.commandLine().getOut();
        out.printf(Locale.ROOT, "model         %s: %d convs%n", space.model().label(), table.convCount());
        out.printf(Locale.ROOT, "bias depths   %s%n", space.biasDepths());
        out.printf(Locale.ROOT, "weight layers %s%n", space.weightLayers());
        out.printf(Locale.ROOT, "ratios        %s%n", space.ratios());
        out.printf(Locale.ROOT, "selections    %d%n", space.selections().size());
        StringJoiner genes = new StringJoiner(" x ");
        for (Gene g : space.genomeSpace().genes()) {
            genes.add(Integer.toString(g.cardinality()));
        }
        out.printf(Locale.ROOT, "genomes       %s = %s%n", genes, space.genomeCount());
        BigInteger policies = space.policyCount();
        out.printf(Locale.ROOT, "policies      %s (weight layers inside the bias range, at least one channel)%n", policies);
        Feasibility flash = Feasibility.check(0, profile, table);
        out.printf(Locale.ROOT, "budget        %,d bytes SRAM (%s), %s memory model; model Flash %,d of %,d bytes%s%n",
                budget, budgetKib != null ? "--budget-kib" : "device " + profile.name(), estimator,
                flash.modelFlashBytes(), flash.flashBytes(), flash.flashFits() ? "" : " (DOES NOT FIT)");
        if (policies.compareTo(BigInteger.valueOf(exactLimit)) <= 0) {
            long[] count = new long[1];
            space.forEachValid(g -> count[0] += constraint.isFeasible(g) ? 1 : 0);
            out.printf(Locale.ROOT, "feasible      %,d of %s policies (%.2f %%), counted exactly%n", count[0], policies,
                    100.0 * count[0] / policies.doubleValue());
        } else {
            GenomeSampler sampler = space.validSampler();
            SplitMix64 rng = new SplitMix64(seed);
            int hits = 0;
            for (int i = 0; i < samples; i++) {
                Genome g = sampler.sample(rng);
                hits += constraint.isFeasible(g) ? 1 : 0;
            }
            double[] ci = wilson(hits, samples);
            out.printf(Locale.ROOT, "feasible      about %.3g of %s policies (%.2f %%, 95 %% interval %.2f-%.2f %%), "
                    + "from %,d uniform samples (seed %d)%n", policies.doubleValue() * hits / samples, policies,
                    100.0 * hits / samples, 100 * ci[0], 100 * ci[1], samples, seed);
        }
        out.flush();
        return 0;
    }

    private long budgetBytes(DeviceProfile profile) {
        if (budgetKib == null) {
            return profile.sramBytes();
        }
        if (!(budgetKib > 0) || budgetKib.isInfinite()) {
            throw new InvalidInputException("--budget-kib must be > 0, got " + budgetKib);
        }
        return (long) Math.floor(budgetKib * 1024);
    }

    /** Wilson score interval for a binomial proportion at 95 %. */
    static double[] wilson(long hits, long n) {
        double z = 1.959963984540054;
        double p = (double) hits / n;
        double denom = 1 + z * z / n;
        double centre = (p + z * z / (2.0 * n)) / denom;
        double half = z * Math.sqrt(p * (1 - p) / n + z * z / (4.0 * n * n)) / denom;
        return new double[] {Math.max(0, centre - half), Math.min(1, centre + half)};
    }
}
