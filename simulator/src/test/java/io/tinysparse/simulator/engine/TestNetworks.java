package io.tinysparse.simulator.engine;

import io.tinysparse.simulator.model.ModelSpec;
import java.util.SplittableRandom;

/** Networks for tests. */
public final class TestNetworks {
    private TestNetworks() {}

    /** A folded network whose batch norms had non-trivial statistics before folding. */
    public static Network folded(ModelSpec spec, long seed) {
        return unfolded(spec, seed).fold();
    }

    /** An unfolded network with non-trivial batch-norm parameters and running statistics. */
    public static Network unfolded(ModelSpec spec, long seed) {
        Network net = Network.initialize(spec, seed);
        SplittableRandom r = new SplittableRandom(seed + 1);
        for (int i = 0; i < net.convCount(); i++) {
            BatchNormParameters bn = net.batchNorm(i);
            for (int c = 0; c < bn.channels(); c++) {
                bn.gamma()[c] = (float) (0.5 + r.nextDouble());
                bn.beta()[c] = (float) (0.2 * r.nextGaussian());
                bn.runningMean()[c] = (float) (0.1 * r.nextGaussian());
                bn.runningVar()[c] = (float) (0.5 + r.nextDouble());
            }
        }
        return net;
    }

    /** A copy of {@code net} (same parameters) whose convolutions pad under {@code padding}'s convention. */
    public static Network withPadding(Network net, PaddingConvention padding) {
        int n = net.convCount();
        float[][] w = new float[n][];
        float[][] b = net.isFolded() ? new float[n][] : null;
        BatchNormParameters[] bn = net.isFolded() ? null : new BatchNormParameters[n];
        for (int i = 0; i < n; i++) {
            w[i] = net.weights(i);
            if (b != null) {
                b[i] = net.bias(i);
            } else {
                bn[i] = net.batchNorm(i);
            }
        }
        return Network.of(net.spec(), net.batchNormEpsilon(), padding, w, b, bn, net.classifierWeights(),
                net.classifierBias());
    }
}
