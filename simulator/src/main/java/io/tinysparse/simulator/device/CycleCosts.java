package io.tinysparse.simulator.device;

import io.tinysparse.core.InvalidInputException;
import io.tinysparse.simulator.model.OpKind;
import io.tinysparse.simulator.policy.TrainingWork;
import java.util.Locale;

/**
 * Average CPU cycles per multiply-accumulate, by op kind and direction, on one device.
 * Forward costs are for int8 kernels, backward costs for the floating-point gradient kernels.
 * All values are finite and &gt; 0.
 *
 * @param convForward       dense k x k convolution, forward
 * @param depthwiseForward  depthwise convolution, forward
 * @param pointwiseForward  1 x 1 convolution, forward
 * @param linearForward     classifier, forward
 * @param convBackward      dense k x k convolution, backward (input and weight gradients)
 * @param depthwiseBackward depthwise convolution, backward
 * @param pointwiseBackward 1 x 1 convolution, backward
 * @param linearBackward    classifier, backward
 */
public record CycleCosts(
        double convForward, double depthwiseForward, double pointwiseForward, double linearForward,
        double convBackward, double depthwiseBackward, double pointwiseBackward, double linearBackward) {

    public CycleCosts {
        double[] all = {convForward, depthwiseForward, pointwiseForward, linearForward,
            convBackward, depthwiseBackward, pointwiseBackward, linearBackward};
        String[] names = {"conv.forward", "depthwise.forward", "pointwise.forward", "linear.forward",
            "conv.backward", "depthwise.backward", "pointwise.backward", "linear.backward"};
        for (int i = 0; i < all.length; i++) {
            if (!(all[i] > 0) || Double.isInfinite(all[i])) {
                throw new InvalidInputException("cycles per MAC of " + names[i] + " must be finite and > 0, got " + all[i]);
            }
        }
    }

    /** Cycles per forward MAC of {@code kind}. */
    public double forward(OpKind kind) {
        return switch (kind) {
            case CONV -> convForward;
            case DEPTHWISE -> depthwiseForward;
            case POINTWISE -> pointwiseForward;
            case LINEAR -> linearForward;
        };
    }

    /** Cycles per backward MAC of {@code kind}. */
    public double backward(OpKind kind) {
        return switch (kind) {
            case CONV -> convBackward;
            case DEPTHWISE -> depthwiseBackward;
            case POINTWISE -> pointwiseBackward;
            case LINEAR -> linearBackward;
        };
    }

    /** Cycles of one training step's MACs. */
    public double cycles(TrainingWork work) {
        double c = 0;
        for (OpKind k : OpKind.values()) {
            c += work.forward(k) * forward(k) + work.backward(k) * backward(k);
        }
        return c;
    }

    /**
     * These costs with overrides {@code kind.direction=cycles[,...]}, e.g.
     * {@code pointwise.backward=2.5,depthwise.forward=1.8}; kinds conv, depthwise, pointwise,
     * linear; directions forward, backward.
     */
    public CycleCosts with(String overrides) {
        double[] v = {convForward, depthwiseForward, pointwiseForward, linearForward,
            convBackward, depthwiseBackward, pointwiseBackward, linearBackward};
        if (overrides != null && !overrides.isBlank()) {
            for (String part : overrides.split(",")) {
                String[] kv = part.split("=", -1);
                String[] kd = kv[0].trim().toLowerCase(Locale.ROOT).split("\\.", -1);
                if (kv.length != 2 || kd.length != 2) {
                    throw new InvalidInputException("cycles override '" + part.trim() + "' must be kind.direction=cycles");
                }
                int kind = switch (kd[0]) {
                    case "conv" -> 0;
                    case "depthwise" -> 1;
                    case "pointwise" -> 2;
                    case "linear" -> 3;
                    default -> throw new InvalidInputException("unknown op kind '" + kd[0]
                            + "' in cycles override (known: conv, depthwise, pointwise, linear)");
                };
                int dir = switch (kd[1]) {
                    case "forward" -> 0;
                    case "backward" -> 4;
                    default -> throw new InvalidInputException("unknown direction '" + kd[1]
                            + "' in cycles override (known: forward, backward)");
                };
                try {
                    v[kind + dir] = Double.parseDouble(kv[1].trim());
                } catch (NumberFormatException e) {
                    throw new InvalidInputException("cycles per MAC '" + kv[1].trim() + "' of " + kv[0].trim()
                            + " must be a number");
                }
            }
        }
        return new CycleCosts(v[0], v[1], v[2], v[3], v[4], v[5], v[6], v[7]);
    }
}
