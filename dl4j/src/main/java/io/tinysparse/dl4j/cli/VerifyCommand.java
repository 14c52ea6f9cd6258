package io.tinysparse.dl4j.cli;

import io.tinysparse.core.InvalidInputException;
import io.tinysparse.core.cli.CommandRunner;
import io.tinysparse.simulator.engine.Network;
import io.tinysparse.simulator.engine.train.SparseTrainer;
import io.tinysparse.simulator.engine.train.TrainingConfig;
import io.tinysparse.dl4j.verify.Dl4jOracle;
import io.tinysparse.dl4j.verify.OracleReport;
import io.tinysparse.dl4j.verify.TensorDifference;
import io.tinysparse.simulator.model.ModelSpec;
import io.tinysparse.simulator.policy.PolicyJson;
import io.tinysparse.simulator.policy.SparseUpdatePolicy;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code tinysparse verify}: cross-checks the training engine against Deeplearning4j on a
 * user's policy. Builds the (folded) network, lets the policy choose its channels for the
 * first iteration, computes the loss and exactly the gradients the policy trains with the
 * engine, computes the same network's dense gradients with DL4J in float64, and prints the
 * worst relative difference. Exit code 1 when it exceeds the tolerance (or when no batch
 * free of ReLU6 kink ties was found), 0 otherwise.
 */
@Command(
        name = "verify",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = "Check the engine's loss and sparse gradients for a policy against Deeplearning4j (float64).")
public final class VerifyCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Option(names = "--policy", paramLabel = "FILE", required = true,
            description = "Policy JSON: tinysparse's own form or tiny-training's backward_config keys.")
    private Path policyFile;

    @Option(names = "--backbone", paramLabel = "FILE",
            description = "Network file to check (its spec is used; batch norm is folded). Default: a random "
                    + "network of --model.")
    private Path backbone;

    @Option(names = "--model", paramLabel = "NAME|FILE", defaultValue = "mbv2-w0.35",
            description = "Model preset or OFA/ProxylessNAS network config file when no --backbone is given "
                    + "(default: ${DEFAULT-VALUE}).")
    private String model;

    @Option(names = "--resolution", paramLabel = "R",
            description = "Input resolution (default: the model's; smaller is faster, the layers are the same).")
    private Integer resolution;

    @Option(names = "--batch", paramLabel = "B", defaultValue = "2",
            description = "Samples in the random batch (default: ${DEFAULT-VALUE}).")
    private int batch;

    @Option(names = "--seed", paramLabel = "S", defaultValue = "0",
            description = "Seed of the random network, batch and channel selection (default: ${DEFAULT-VALUE}).")
    private long seed;

    @Option(names = "--tolerance", paramLabel = "X", defaultValue = "1e-4",
            description = "Largest accepted relative difference (default: ${DEFAULT-VALUE}).")
    private double tolerance;

    @Option(names = "--attempts", paramLabel = "N", defaultValue = "5",
            description = "Random batches to try until one has no ReLU6 kink tie between float32 and float64 "
                    + "(default: ${DEFAULT-VALUE}).")
    private int attempts;

    @Option(names = "--show", paramLabel = "N", defaultValue = "5",
            description = "Tensors to list, worst first (default: ${DEFAULT-VALUE}).")
    private int show;

    @Override
    public Integer call() throws IOException {
        if (batch < 1) {
            throw new InvalidInputException("--batch must be >= 1, got " + batch);
        }
        if (attempts < 1) {
            throw new InvalidInputException("--attempts must be >= 1, got " + attempts);
        }
        if (!(tolerance > 0)) {
            throw new InvalidInputException("--tolerance must be > 0, got " + tolerance);
        }
        Network network = backbone != null ? Network.load(backbone) : Network.initialize(ModelSpec.named(model), seed);
        if (resolution != null) {
            network = network.withResolution(resolution);
        }
        network = network.fold();
        SparseUpdatePolicy policy = PolicyJson.read(policyFile, network.spec());
        SparseTrainer trainer = new SparseTrainer(network.copy(), policy, TrainingConfig.of(1, batch, 1e-3, seed), batch);
        trainer.selectChannels(0);
        OracleReport report = Dl4jOracle.compareOnRandomBatch(network, trainer.request(), batch, seed, attempts);

        PrintWriter out = spec.commandLine().getOut();
        out.printf(Locale.ROOT, "model %s, policy %s, batch %d%n", network.spec().label(), policy.describe(), batch);
        out.printf(Locale.ROOT, "loss: engine %.9f, DL4J %.9f (relative difference %.2e)%n", report.engineLoss(),
                report.referenceLoss(), report.lossRelativeDifference());
        out.printf(Locale.ROOT, "%d gradient tensors compared; worst first:%n", report.tensors().size());
        report.tensors().stream()
                .sorted(Comparator.comparingDouble(TensorDifference::relativeDifference).reversed())
                .limit(Math.max(0, show))
                .forEach(t -> out.printf(Locale.ROOT, "  %-12s %8d values  max |diff| %.3e  max |grad| %.3e  rel %.2e%n",
                        t.name(), t.elements(), t.maxAbsDifference(), t.maxAbsReference(), t.relativeDifference()));
        double worst = report.worstRelativeDifference();
        if (report.maskDisagreements() > 0) {
            out.printf(Locale.ROOT, "INCONCLUSIVE: %d ReLU6 inputs fell on different sides of a kink in every one of "
                    + "%d batches; try another --seed or a smaller --resolution%n", report.maskDisagreements(), attempts);
            out.flush();
            return CommandRunner.FAILURE;
        }
        boolean ok = worst <= tolerance;
        out.printf(Locale.ROOT, "worst relative difference %.2e: %s (tolerance %.1e)%n", worst, ok ? "OK" : "FAILED",
                tolerance);
        out.flush();
        return ok ? CommandRunner.OK : CommandRunner.FAILURE;
    }

    public static void main(String[] args) {
        CommandRunner.main(new VerifyCommand(), args);
    }
}
