package io.tinysparse.simulator.policy;

import io.tinysparse.simulator.model.ConvLayer;
import io.tinysparse.simulator.model.LayerTable;
import io.tinysparse.simulator.model.OpKind;

/**
 * The arithmetic of one sparse training step (batch 1), in multiply-accumulates by op kind and
 * direction, and how much of the network it updates.
 *
 * <p>Forward: every convolution and the classifier. Backward, for a policy with first
 * bias-trained convolution {@code f}: the classifier's weight gradient (when trained,
 * {@code in * out}) and its input gradient (when {@code f < n}, {@code in * out}); for each
 * convolution {@code i >= f}, the weight gradient of its {@code c} selected input channels,
 * {@code c * weightsPerInputChannel * H_out * W_out}, and, for {@code i > f}, its input
 * gradient, which costs as much as its forward pass. Bias gradients are sums, not MACs, and are
 * not counted; nor are pooling, masks, the loss or the update itself.
 *
 * @param convForward         forward MACs of dense k x k convolutions
 * @param depthwiseForward    forward MACs of depthwise convolutions
 * @param pointwiseForward    forward MACs of 1 x 1 convolutions
 * @param linearForward       forward MACs of the classifier
 * @param convBackward        backward MACs of dense k x k convolutions
 * @param depthwiseBackward   backward MACs of depthwise convolutions
 * @param pointwiseBackward   backward MACs of 1 x 1 convolutions
 * @param linearBackward      backward MACs of the classifier
 * @param updatedConvWeights  convolution weights updated per step (selected channels)
 * @param totalConvWeights    all convolution weights of the model
 */
public record TrainingWork(
        long convForward, long depthwiseForward, long pointwiseForward, long linearForward,
        long convBackward, long depthwiseBackward, long pointwiseBackward, long linearBackward,
        long updatedConvWeights, long totalConvWeights) {

    /** The work of one step of {@code policy} on {@code table} (validates the policy). */
    public static TrainingWork of(LayerTable table, SparseUpdatePolicy policy) {
        policy.validate(table);
        long[] fwd = new long[4];
        long[] bwd = new long[4];
        long updated = 0;
        long total = 0;
        int n = table.convCount();
        int first = policy.firstBiasLayer(n);
        for (ConvLayer c : table.convs()) {
            int k = OpKind.of(c.kind()).ordinal();
            fwd[k] += c.macs();
            total += c.weightCount();
            if (c.index() > first) {
                bwd[k] += c.macs();
            }
        }
        for (WeightUpdate w : policy.weights()) {
            ConvLayer c = table.conv(w.layer());
            long weights = (long) w.channelsOf(c.inChannels()) * c.weightsPerInputChannel();
            updated += weights;
            bwd[OpKind.of(c.kind()).ordinal()] += weights * c.outputPlane();
        }
        long fc = table.classifier().macs();
        fwd[OpKind.LINEAR.ordinal()] = fc;
        bwd[OpKind.LINEAR.ordinal()] = (policy.trainClassifier() ? fc : 0) + (first < n ? fc : 0);
        return new TrainingWork(fwd[0], fwd[1], fwd[2], fwd[3], bwd[0], bwd[1], bwd[2], bwd[3], updated, total);
    }

    /** Forward MACs of one op kind. */
    public long forward(OpKind kind) {
        return switch (kind) {
            case CONV -> convForward;
            case DEPTHWISE -> depthwiseForward;
            case POINTWISE -> pointwiseForward;
            case LINEAR -> linearForward;
        };
    }

    /** Backward MACs of one op kind. */
    public long backward(OpKind kind) {
        return switch (kind) {
            case CONV -> convBackward;
            case DEPTHWISE -> depthwiseBackward;
            case POINTWISE -> pointwiseBackward;
            case LINEAR -> linearBackward;
        };
    }

    /** Forward MACs of the whole network. */
    public long forwardMacs() {
        return convForward + depthwiseForward + pointwiseForward + linearForward;
    }

    /** Backward MACs of what the policy trains. */
    public long backwardMacs() {
        return convBackward + depthwiseBackward + pointwiseBackward + linearBackward;
    }

    /** MACs of the whole step. */
    public long totalMacs() {
        return forwardMacs() + backwardMacs();
    }

    /** Fraction of convolution weights updated per step, in [0, 1]. */
    public double updatedWeightFraction() {
        return totalConvWeights == 0 ? 0 : (double) updatedConvWeights / totalConvWeights;
    }
}
