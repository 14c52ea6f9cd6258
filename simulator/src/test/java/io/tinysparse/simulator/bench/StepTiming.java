package io.tinysparse.simulator.bench;

import io.tinysparse.simulator.engine.Network;
import io.tinysparse.simulator.engine.TestNetworks;
import io.tinysparse.simulator.engine.train.SparseTrainer;
import io.tinysparse.simulator.engine.train.TrainingConfig;
import io.tinysparse.simulator.model.ModelSpec;
import io.tinysparse.simulator.policy.ChannelSelection;
import io.tinysparse.simulator.policy.SparseUpdatePolicy;
import io.tinysparse.simulator.policy.WeightUpdate;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/** Quick wall-clock timing of training steps (development aid; the recorded numbers come from the JMH benchmark). */
public final class StepTiming {
    public static void main(String[] args) {
        int iters = args.length > 0 ? Integer.parseInt(args[0]) : 300;
        int resolution = args.length > 1 ? Integer.parseInt(args[1]) : 128;
        ModelSpec spec = ModelSpec.preset("mbv2-w0.35").withResolution(resolution);
        Network net = TestNetworks.folded(spec, 1);
        for (String scheme : new String[] {"dense", "bias-only", "99kb"}) {
            for (boolean cache : new boolean[] {false, true}) {
                if (scheme.equals("dense") && cache) {
                    continue;
                }
                SparseUpdatePolicy policy = policy(scheme, net);
                SparseTrainer trainer = new SparseTrainer(net.copy(), policy, TrainingConfig.of(1, 1, 1e-3, 1), 1);
                int from = cache ? trainer.entryLayer() : 0;
                float[] in = trainer.executor().input(from);
                SplittableRandom r = new SplittableRandom(2);
                for (int i = 0; i < trainer.executor().inputSize(from); i++) {
                    in[i] = (float) r.nextGaussian();
                }
                int[] labels = {3};
                for (int i = 0; i < iters; i++) {
                    trainer.step(i, from, 1, labels, 0, 1e-3);
                }
                long[] t = new long[iters];
                for (int i = 0; i < iters; i++) {
                    long t0 = System.nanoTime();
                    trainer.step(i, from, 1, labels, 0, 1e-3);
                    t[i] = System.nanoTime() - t0;
                }
                java.util.Arrays.sort(t);
                System.out.printf("%-10s cache=%-5s from=%2d median %.3f ms  p10 %.3f%n", scheme, cache, from,
                        t[iters / 2] / 1e6, t[iters / 10] / 1e6);
            }
        }
    }

    /**
     * The benchmark's update schemes: {@code dense}; tiny-training's {@code 99kb} (mbv2-w0.35),
     * {@code 100kb} (mcunet-5fps, algorithm/scripts/sparse_update.sh) and {@code 98kb}
     * (proxyless-w0.3: biases of the last 25 convs, weights 36-39-42-45-48-51-54-57 at
     * 1-0.5-1-1-0.25-0.5-1-1, as the README's preset table has it); {@code bias-only}, the
     * biases those schemes train (the last 22 convs of mcunet-5fps, the last 25 of any other
     * network) and the classifier.
     */
    static SparseUpdatePolicy policy(String scheme, Network net) {
        return switch (scheme) {
            case "dense" -> SparseTrainer.densePolicy(net.layers());
            case "bias-only" -> SparseUpdatePolicy.biasOnly(isMcunet5fps(net) ? 22 : 25);
            case "99kb" -> scheme(25, new int[] {27, 30, 33, 36, 39, 42, 45, 48}, new double[] {1, 1, 1, 1, 1, 0.125,
                    0.5, 1});
            case "100kb" -> scheme(22, new int[] {21, 24, 27, 30, 36, 39}, new double[] {1, 1, 1, 1, 0.125, 0.25});
            case "98kb" -> scheme(25, new int[] {36, 39, 42, 45, 48, 51, 54, 57}, new double[] {1, 0.5, 1, 1, 0.25, 0.5,
                    1, 1});
            default -> throw new IllegalArgumentException("unknown scheme " + scheme);
        };
    }

    private static boolean isMcunet5fps(Network net) {
        return !net.spec().isMobileNetV2() && net.spec().mbconv().name().equals("mcunet-5fps");
    }

    private static SparseUpdatePolicy scheme(int biasDepth, int[] layers, double[] ratios) {
        List<WeightUpdate> w = new ArrayList<>();
        for (int i = 0; i < layers.length; i++) {
            w.add(WeightUpdate.ratio(layers[i], ratios[i]));
        }
        return new SparseUpdatePolicy(biasDepth, w, ChannelSelection.DEFAULT, true);
    }
}
