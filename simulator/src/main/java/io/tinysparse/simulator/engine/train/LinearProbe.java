package io.tinysparse.simulator.engine.train;

import io.tinysparse.core.InvalidInputException;
import io.tinysparse.simulator.engine.Network;
import io.tinysparse.simulator.engine.kernels.FullyConnected;
import io.tinysparse.simulator.engine.kernels.GlobalAveragePool;
import io.tinysparse.simulator.engine.kernels.SoftmaxCrossEntropy;
import io.tinysparse.simulator.model.ConvLayer;
import java.util.Arrays;

/**
 * A linear-probe warm start: before fine-tuning, the classifier is fitted on the frozen
 * network's pooled features of the training samples (multinomial logistic regression with an
 * L2 penalty), so a run starts from a classifier that already reads the pretrained features
 * instead of a random one. Short runs then measure what a policy adds to the features, not how
 * fast a fresh classifier learns (issue 11).
 *
 * <p>The fit is full-batch Nesterov-accelerated gradient descent on the mean cross-entropy plus
 * {@code l2 / 2 * |W|^2} (the bias is not penalised), on features centred by their mean (the
 * centring is folded back into the bias), for exactly {@code iterations} steps of size
 * {@code 1 / (L + l2)}, where {@code L = lambda_max / 2} bounds the curvature of softmax
 * cross-entropy ({@code lambda_max}: the largest eigenvalue of the centred features' second
 * moment, by power iteration). No randomness: the same features give the same classifier, bit
 * for bit. The features depend only on the frozen network, so every policy fine-tuning the same
 * network on the same samples starts from the same probe ({@link #fit} is what to cache).
 *
 * @param iterations gradient steps, at least 1
 * @param l2         L2 penalty on the weights, finite and &gt;= 0 (the early-stopped fit keeps
 *                   the logits moderate even at 0)
 */
public record LinearProbe(int iterations, double l2) {
    /** Power-iteration steps for the curvature bound. */
    private static final int POWER_STEPS = 30;

    public LinearProbe {
        if (iterations < 1) {
            throw new InvalidInputException("linear probe iterations must be >= 1, got " + iterations);
        }
        if (!(l2 >= 0) || Double.isInfinite(l2)) {
            throw new InvalidInputException("linear probe l2 must be finite and >= 0, got " + l2);
        }
    }

    /**
     * The fitted classifier.
     *
     * @param weights    {@code [classes][features]}, row-major
     * @param bias       {@code classes} values
     * @param firstLoss  mean training cross-entropy of {@code network}'s own classifier before the fit
     * @param finalLoss  mean training cross-entropy of the fitted classifier (without the penalty)
     */
    public record Fit(float[] weights, float[] bias, double firstLoss, double finalLoss) {
        /** Writes this classifier into {@code network}'s (live) classifier parameters. */
        public void install(Network network) {
            float[] w = network.classifierWeights();
            float[] b = network.classifierBias();
            if (w.length != weights.length || b.length != bias.length) {
                throw new IllegalArgumentException("probe of " + bias.length + " classes does not fit a classifier of "
                        + b.length);
            }
            System.arraycopy(weights, 0, w, 0, w.length);
            System.arraycopy(bias, 0, b, 0, b.length);
        }
    }

    /**
     * Fits the classifier of {@code network} (which is not modified) on {@code train}, which may
     * enter the network at any layer: the frozen layers from there on run in inference mode.
     */
    public Fit fit(Network network, Samples train, int batchSize) {
        if (train.count() == 0) {
            throw new InvalidInputException("a linear probe needs training samples");
        }
        int n = train.count();
        int convs = network.convCount();
        int f = network.layers().classifier().inFeatures();
        int classes = network.layers().classifier().outFeatures();
        Samples last = FrozenPrefix.features(network, train, convs, batchSize);
        ConvLayer lastConv = network.layers().conv(convs - 1);
        float[] x = new float[Math.multiplyExact(n, f)];
        GlobalAveragePool.forward(last.values(), n, f, lastConv.outHeight() * lastConv.outWidth(), x);
        int[] labels = train.labels();
        float[] logits = new float[n * classes];
        float[] dLogits = new float[n * classes];
        FullyConnected.forward(x, network.classifierWeights(), network.classifierBias(), logits, n, f, classes);
        double firstLoss = SoftmaxCrossEntropy.lossAndGradient(logits, labels, 0, n, classes, null);

        float[] mean = new float[f];
        for (int s = 0; s < n; s++) {
            for (int i = 0; i < f; i++) {
                mean[i] += x[s * f + i];
            }
        }
        for (int i = 0; i < f; i++) {
            mean[i] /= n;
        }
        for (int s = 0; s < n; s++) {
            for (int i = 0; i < f; i++) {
                x[s * f + i] -= mean[i];
            }
        }
        double step = 1.0 / (0.5 * (largestEigenvalue(x, n, f) + 1.0) + l2);

        float[] w = new float[f * classes];
        float[] b = new float[classes];
        float[] wPrev = new float[f * classes];
        float[] bPrev = new float[classes];
        float[] yW = new float[f * classes];
        float[] yB = new float[classes];
        float[] gW = new float[f * classes];
        float[] gB = new float[classes];
        for (int t = 0; t < iterations; t++) {
            // Nesterov: gradient at the look-ahead point y = x_t + (t - 1) / (t + 2) (x_t - x_{t-1}).
            float mu = (float) t / (t + 3);
            for (int i = 0; i < w.length; i++) {
                yW[i] = w[i] + mu * (w[i] - wPrev[i]);
            }
            for (int k = 0; k < classes; k++) {
                yB[k] = b[k] + mu * (b[k] - bPrev[k]);
            }
            FullyConnected.forward(x, yW, yB, logits, n, f, classes);
            SoftmaxCrossEntropy.lossAndGradient(logits, labels, 0, n, classes, dLogits);
            FullyConnected.parameterGradient(dLogits, x, gW, gB, n, f, classes);
            System.arraycopy(w, 0, wPrev, 0, w.length);
            System.arraycopy(b, 0, bPrev, 0, b.length);
            for (int i = 0; i < w.length; i++) {
                w[i] = (float) (yW[i] - step * (gW[i] + l2 * yW[i]));
            }
            for (int k = 0; k < classes; k++) {
                b[k] = (float) (yB[k] - step * gB[k]);
            }
        }
        FullyConnected.forward(x, w, b, logits, n, f, classes);
        double finalLoss = SoftmaxCrossEntropy.lossAndGradient(logits, labels, 0, n, classes, null);
        // Centred features x - m: logits W (x - m) + b = W x + (b - W m).
        for (int k = 0; k < classes; k++) {
            double shift = 0;
            for (int i = 0; i < f; i++) {
                shift += (double) w[k * f + i] * mean[i];
            }
            b[k] = (float) (b[k] - shift);
        }
        return new Fit(w, b, firstLoss, finalLoss);
    }

    /**
     * Largest eigenvalue of {@code X^T X / n} for the {@code n x f} matrix {@code x}, by power
     * iteration from the all-ones vector (an over-estimate is harmless: it only shortens the step).
     */
    static double largestEigenvalue(float[] x, int n, int f) {
        double[] v = new double[f];
        Arrays.fill(v, 1.0 / Math.sqrt(f));
        double[] xv = new double[n];
        double lambda = 0;
        for (int step = 0; step < POWER_STEPS; step++) {
            for (int s = 0; s < n; s++) {
                double d = 0;
                for (int i = 0; i < f; i++) {
                    d += x[s * f + i] * v[i];
                }
                xv[s] = d;
            }
            double[] next = new double[f];
            for (int s = 0; s < n; s++) {
                for (int i = 0; i < f; i++) {
                    next[i] += x[s * f + i] * xv[s];
                }
            }
            double norm = 0;
            for (int i = 0; i < f; i++) {
                next[i] /= n;
                norm += next[i] * next[i];
            }
            norm = Math.sqrt(norm);
            if (norm == 0) {
                return 0;
            }
            lambda = norm;
            for (int i = 0; i < f; i++) {
                v[i] = next[i] / norm;
            }
        }
        // Power iteration approaches lambda_max from below; 10 % of head-room keeps the step stable.
        return 1.1 * lambda;
    }
}
