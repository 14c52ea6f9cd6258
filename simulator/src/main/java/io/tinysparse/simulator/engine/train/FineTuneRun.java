package io.tinysparse.simulator.engine.train;

import io.tinysparse.core.InvalidInputException;
import io.tinysparse.core.random.SplitMix64;
import io.tinysparse.simulator.engine.Network;
import io.tinysparse.simulator.engine.TrainingExecutor;
import io.tinysparse.simulator.engine.quant.QuantizedNetwork;
import io.tinysparse.simulator.engine.StepCost;
import io.tinysparse.simulator.policy.SparseUpdatePolicy;
import java.util.ArrayList;
import java.util.List;

/**
 * One simulated on-device fine-tuning run: a copy of a pretrained network (normally folded),
 * a {@link SparseUpdatePolicy}, a {@link TrainingConfig}, and train/validation/test samples
 * in, a {@link FineTuneResult} out.
 *
 * <p>The training samples are visited in a fresh random order each epoch (drawn from the
 * seed), in full batches; steps follow the cosine schedule. Samples may be images or the
 * frozen prefix's output ({@link #prefixFeatures}, or a feature cache): anything entering the
 * network at or before {@link #cutLayer()} works, and the cut activations are fastest.
 * Everything is deterministic: the same inputs give the same weights and metrics, bit for bit.
 */
public final class FineTuneRun {
    private final Network network;
    /** The int8 network being trained (its fp32 view is {@link #network}), or null for an fp32 run. */
    private final QuantizedNetwork quantized;
    private final SparseUpdatePolicy policy;
    private final TrainingConfig config;
    private final SparseTrainer trainer;
    private LinearProbe.Fit probeFit;

    /** Prepares a run; {@code pretrained} itself is never modified. */
    public FineTuneRun(Network pretrained, SparseUpdatePolicy policy, TrainingConfig config) {
        this.network = pretrained.copy();
        this.quantized = null;
        this.policy = policy;
        this.config = config;
        this.trainer = new SparseTrainer(network, policy, config,
                Math.max(config.batchSize(), config.evaluationBatchSize()));
    }

    /**
     * Prepares an int8 run ({@link SparseTrainer#quantized}); {@code pretrained} itself is never
     * modified.
     *
     * @throws InvalidInputException if the config asks for a linear-probe warm start (its fit
     *     runs on fp32 features; not supported for int8 runs)
     */
    public FineTuneRun(QuantizedNetwork pretrained, boolean qas, SparseUpdatePolicy policy, TrainingConfig config) {
        if (config.linearProbe() != null) {
            throw new InvalidInputException("an int8 run cannot start from a linear probe (it is fitted on fp32"
                    + " features)");
        }
        this.quantized = pretrained.copy();
        this.network = quantized.view();
        this.policy = policy;
        this.config = config;
        this.trainer = SparseTrainer.quantized(quantized, qas, policy, config,
                Math.max(config.batchSize(), config.evaluationBatchSize()));
    }

    /** The trainer (its optimizer's counts, its executor). */
    public SparseTrainer trainer() {
        return trainer;
    }

    /**
     * Starts the classifier from {@code fit} instead of fitting the configured
     * {@link TrainingConfig#linearProbe()} again: for a fit already made by that probe on the same
     * network and training samples (every policy shares it).
     *
     * @return this run
     */
    public FineTuneRun startFrom(LinearProbe.Fit fit) {
        if (config.linearProbe() == null) {
            throw new IllegalStateException("this run has no linear-probe warm start to start from");
        }
        this.probeFit = fit;
        return this;
    }

    /** The policy. */
    public SparseUpdatePolicy policy() {
        return policy;
    }

    /** The frozen prefix's cut: samples entering here skip the frozen layers entirely. */
    public int cutLayer() {
        return trainer.entryLayer();
    }

    /** The network being trained (after {@link #run}: the fine-tuned one). */
    public Network network() {
        return network;
    }

    /** {@code samples} carried through the frozen prefix to {@link #cutLayer()} (no cache). */
    public Samples prefixFeatures(Samples samples) {
        return quantized != null
                ? FrozenPrefix.features(quantized, samples, cutLayer(), config.evaluationBatchSize())
                : FrozenPrefix.features(network, samples, cutLayer(), config.evaluationBatchSize());
    }

    /**
     * Trains for {@code config.iterations()} steps, evaluating on {@code validation} every
     * evaluation interval and at the end, then on {@code test}. With a linear-probe warm start,
     * the classifier is first fitted on {@code train}. {@code validation} may be empty (no
     * curve), {@code test} too (NaN test accuracy: measure it later with {@link #accuracy}); a
     * run can be executed once.
     */
    public FineTuneResult run(Samples train, Samples validation, Samples test) {
        int cut = cutLayer();
        for (Samples s : List.of(train, validation, test)) {
            FrozenPrefix.checkEntry(network.layers(), s, cut);
        }
        int batch = config.batchSize();
        if (train.count() < batch) {
            throw new InvalidInputException("batch size " + batch + " exceeds the " + train.count()
                    + " training samples");
        }
        int classes = network.layers().classifier().outFeatures();
        for (Samples s : List.of(train, validation, test)) {
            for (int label : s.labels()) {
                if (label < 0 || label >= classes) {
                    throw new InvalidInputException("label " + label + " outside the " + classes
                            + " classes of " + network.spec().label());
                }
            }
        }
        if (config.linearProbe() != null) {
            LinearProbe.Fit fit = probeFit != null ? probeFit
                    : config.linearProbe().fit(network, train, config.evaluationBatchSize());
            fit.install(network);
        }
        long iterations = config.iterations();
        CosineSchedule schedule = config.schedule();
        TrainingExecutor executor = trainer.executor();
        int from = train.layer();
        int size = train.sampleSize();
        float[] input = executor.input(from);
        int[] order = new int[train.count()];
        int[] labels = new int[batch];
        SplitMix64 random = RunStreams.dataOrder(config.seed());
        int position = order.length;
        float[] losses = new float[(int) iterations];
        float[] updated = new float[(int) iterations];
        List<FineTuneResult.CurvePoint> curve = new ArrayList<>();
        long trainNanos = 0;
        long evalNanos = 0;
        for (long t = 0; t < iterations; t++) {
            long t0 = System.nanoTime();
            if (position + batch > order.length) {
                shuffle(order, random);
                position = 0;
            }
            for (int n = 0; n < batch; n++) {
                int s = order[position++];
                System.arraycopy(train.values(), s * size, input, n * size, size);
                labels[n] = train.labels()[s];
            }
            losses[(int) t] = (float) trainer.step(t, from, batch, labels, 0, schedule.rate(t));
            updated[(int) t] = (float) trainer.updatedWeightFraction();
            long t1 = System.nanoTime();
            trainNanos += t1 - t0;
            boolean last = t == iterations - 1;
            long interval = config.evaluationInterval();
            if (validation.count() > 0 && (last || (interval > 0 && (t + 1) % interval == 0))) {
                curve.add(new FineTuneResult.CurvePoint(t + 1, accuracy(validation)));
                evalNanos += System.nanoTime() - t1;
            }
        }
        long t2 = System.nanoTime();
        double testAccuracy = test.count() == 0 ? Double.NaN : accuracy(test);
        evalNanos += System.nanoTime() - t2;
        return new FineTuneResult(testAccuracy, curve, losses, updated, trainer.coverage(),
                trainer.touchedWeightFraction(), StepCost.of(network.layers(), trainer.request()), cut, trainNanos,
                evalNanos);
    }

    /** Top-1 accuracy of the current network on {@code samples} (inference mode). */
    public double accuracy(Samples samples) {
        TrainingExecutor executor = trainer.executor();
        int b = Math.min(config.evaluationBatchSize(), executor.maxBatch());
        int size = samples.sampleSize();
        float[] input = executor.input(samples.layer());
        long correct = 0;
        for (int from = 0; from < samples.count(); from += b) {
            int n = Math.min(b, samples.count() - from);
            System.arraycopy(samples.values(), from * size, input, 0, n * size);
            executor.forward(samples.layer(), n, false);
            correct += executor.correct(samples.labels(), from);
        }
        return (double) correct / samples.count();
    }

    /** A fresh uniformly random permutation of {@code 0 .. n-1} into {@code order}. */
    public static void shuffle(int[] order, SplitMix64 random) {
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        random.shuffle(order);
    }
}
