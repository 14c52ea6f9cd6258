package io.tinysparse.simulator.calibration;

import io.tinysparse.core.stats.MeanInterval;
import io.tinysparse.core.stats.StudentT;
import io.tinysparse.core.InvalidInputException;
import java.util.ArrayList;
import java.util.List;

/**
 * The paired difference of two policies trained at one budget: for each replicate both trained
 * (same seed, so the same training subset, sample order and classifier initialisation), the
 * accuracy of {@code first} minus that of {@code second}, summarised by the mean and its 95 % t
 * interval over the replicates. Pairing removes the replicate-to-replicate variance the two
 * share (the data subset is most of it), so the interval is narrower than that of the difference
 * of two unpaired means. The difference is "significant" only when the interval excludes 0.
 *
 * @param first      name of the policy the difference is taken from
 * @param second     name of the policy subtracted
 * @param validation mean and interval of the paired differences of validation accuracy
 * @param test       mean and interval of the paired differences of test accuracy
 */
public record PairedDifference(String first, String second, MeanInterval validation, MeanInterval test) {

    /**
     * The paired difference {@code first - second} among {@code runs} (one budget): replicates are
     * matched by index and must carry the same seed.
     *
     * @throws InvalidInputException if a replicate of one policy has no partner of the same seed,
     *                               or a policy has two runs of one replicate
     */
    public static PairedDifference of(List<CalibrationRun> runs, String first, String second) {
        List<CalibrationRun> a = runs.stream().filter(r -> r.policy().equals(first)).toList();
        List<CalibrationRun> b = runs.stream().filter(r -> r.policy().equals(second)).toList();
        List<Double> dv = new ArrayList<>();
        List<Double> dt = new ArrayList<>();
        for (CalibrationRun x : a) {
            List<CalibrationRun> partners = b.stream().filter(y -> y.replicate() == x.replicate()).toList();
            if (partners.size() != 1 || partners.get(0).seed() != x.seed()
                    || a.stream().filter(y -> y.replicate() == x.replicate()).count() != 1) {
                throw new InvalidInputException("replicate " + x.replicate() + " of " + first + " (seed " + x.seed()
                        + ") has " + partners.size() + " runs of " + second + " to pair with, not one of the same seed");
            }
            dv.add(x.validation() - partners.get(0).validation());
            dt.add(x.test() - partners.get(0).test());
        }
        if (a.size() != b.size()) {
            throw new InvalidInputException(second + " has " + b.size() + " runs, " + first + " " + a.size()
                    + ": every replicate must be paired");
        }
        return new PairedDifference(first, second, MeanInterval.of(unbox(dv)), MeanInterval.of(unbox(dt)));
    }

    private static double[] unbox(List<Double> xs) {
        return xs.stream().mapToDouble(Double::doubleValue).toArray();
    }
}
