package io.tinysparse.search.contribution;

import io.tinysparse.search.Genome;
import java.util.Objects;

/**
 * A combination chosen by contribution analysis, with what the additive model predicts for it.
 *
 * @param genome        the combined policy
 * @param predictedGain summed accuracy gains (fraction) over the shallowest bias-only run
 * @param memoryBytes   its peak SRAM by the memory model, bytes
 * @param candidateId   id under which it was asked, or -1 if it had already been evaluated
 *                      as one of the measurement runs
 */
public record Prediction(Genome genome, double predictedGain, double memoryBytes, long candidateId) {
    public Prediction {
        Objects.requireNonNull(genome, "genome");
    }
}
