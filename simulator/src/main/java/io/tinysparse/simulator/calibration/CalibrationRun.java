package io.tinysparse.simulator.calibration;

import io.tinysparse.core.InvalidInputException;
import java.util.Locale;
import java.util.Objects;

/**
 * One training run of a calibration: a reference policy at a budget for one replicate.
 *
 * @param budget       the budget's name ({@code quick} or {@code converged})
 * @param policy       the reference policy's name
 * @param replicate    0-based replicate index (paired across policies and budgets)
 * @param seed         the replicate's seed (run seed, classifier initialisation, data subset)
 * @param validation   final validation accuracy in [0, 1] (what rankings use)
 * @param test         test accuracy in [0, 1] (reported only)
 * @param learningRate the peak learning rate the run reports (selected on validation under a grid)
 * @param lin2022Bytes SRAM of one training step by the Lin et al. formula, bytes
 * @param arenaBytes   SRAM peak of one training step by the arena simulation, bytes
 * @param wallMs       wall-clock time of the run (all grid rates), milliseconds
 * @param backboneHash content hash of the fine-tuned backbone (classifier included)
 * @param runId        the run's id
 * @param updatedFraction mean fraction of the network's conv weights updated per iteration, in [0, 1]
 *                     (NaN when read from a file written before this column existed)
 * @param coverage     fraction of the policy's updatable conv weights changed at least once during
 *                     the run, in [0, 1] (NaN likewise)
 */
public record CalibrationRun(String budget, String policy, int replicate, long seed, double validation, double test,
        double learningRate, long lin2022Bytes, long arenaBytes, double wallMs, String backboneHash, String runId,
        double updatedFraction, double coverage) {
    public CalibrationRun {
        Objects.requireNonNull(budget, "budget");
        Objects.requireNonNull(policy, "policy");
        Objects.requireNonNull(backboneHash, "backboneHash");
        Objects.requireNonNull(runId, "runId");
    }

    /** Column names of {@link #toTsv()}, tab-separated. */
    public static final String TSV_HEADER = "budget\tpolicy\treplicate\tseed\tvalidation\ttest\tlearning_rate"
            + "\tlin2022_bytes\tarena_bytes\twall_ms\tbackbone_hash\trun_id\tupdated_fraction\tcoverage";

    /** This run as one tab-separated line (no line end), in {@link #TSV_HEADER}'s order. */
    public String toTsv() {
        return String.format(Locale.ROOT, "%s\t%s\t%d\t%d\t%.6f\t%.6f\t%s\t%d\t%d\t%.1f\t%s\t%s\t%.8f\t%.8f", budget,
                policy, replicate, seed, validation, test, learningRate, lin2022Bytes, arenaBytes, wallMs, backboneHash,
                runId, updatedFraction, coverage);
    }

    /**
     * Parses one line written by {@link #toTsv()}, or by the earlier 12-column form (without
     * updated fraction and coverage, read as NaN); bad input naming the line otherwise.
     */
    public static CalibrationRun fromTsv(String line) {
        String[] f = line.split("\t", -1);
        if (f.length != 12 && f.length != 14) {
            throw new InvalidInputException("calibration run line has " + f.length + " fields, expected 14 (or 12): "
                    + line);
        }
        try {
            return new CalibrationRun(f[0], f[1], Integer.parseInt(f[2]), Long.parseLong(f[3]), Double.parseDouble(f[4]),
                    Double.parseDouble(f[5]), Double.parseDouble(f[6]), Long.parseLong(f[7]), Long.parseLong(f[8]),
                    Double.parseDouble(f[9]), f[10], f[11],
                    f.length == 14 ? Double.parseDouble(f[12]) : Double.NaN,
                    f.length == 14 ? Double.parseDouble(f[13]) : Double.NaN);
        } catch (NumberFormatException e) {
            throw new InvalidInputException("calibration run line has a bad number (" + e.getMessage() + "): " + line);
        }
    }
}
