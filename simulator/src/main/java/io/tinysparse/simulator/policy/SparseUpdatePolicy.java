package io.tinysparse.simulator.policy;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.tinysparse.core.InvalidInputException;
import io.tinysparse.core.hash.ContentHash;
import io.tinysparse.simulator.model.ConvLayer;
import io.tinysparse.simulator.model.LayerTable;
import io.tinysparse.simulator.model.ModelSpec;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * Which parameters one sparse training step updates: the biases of the last
 * {@code biasLayers} convolutions, the weights of some of those convolutions restricted to a
 * subset of their input channels, the classifier, and how the channel subsets are chosen.
 *
 * <p>This is tiny-training's {@code backward_config} (see {@link PolicyJson} for both JSON
 * forms). Jackson (de)serialises the record itself in the native form, so a policy nested in
 * another record reads and writes like {@link PolicyJson#write}. Invariants checked here: {@code biasLayers >= 0}; weight layers sorted by index and
 * distinct. Invariants that need the model ({@link #validate(LayerTable)}): every weight layer
 * lies among the last {@code biasLayers} convolutions, and its channel count is in [1, C_in].
 *
 * @param biasLayers      number of trailing convolutions whose biases are trained (0 = none)
 * @param weights         weight-updated convolutions, sorted by layer index, distinct
 * @param selection       how the updated input channels are chosen
 * @param trainClassifier whether the classifier's weights and biases are trained
 */
public record SparseUpdatePolicy(
        @JsonProperty("bias_layers") int biasLayers,
        @JsonProperty("weights") List<WeightUpdate> weights,
        @JsonProperty("selection") ChannelSelection selection,
        @JsonProperty("train_classifier") boolean trainClassifier) {

    public SparseUpdatePolicy {
        if (biasLayers < 0) {
            throw new InvalidInputException("bias_layers must be >= 0, got " + biasLayers);
        }
        Objects.requireNonNull(selection, "selection");
        List<WeightUpdate> sorted = new ArrayList<>(Objects.requireNonNull(weights, "weights"));
        sorted.sort(Comparator.comparingInt(WeightUpdate::layer));
        for (int i = 1; i < sorted.size(); i++) {
            if (sorted.get(i).layer() == sorted.get(i - 1).layer()) {
                throw new InvalidInputException("weight layer " + sorted.get(i).layer() + " is listed twice");
            }
        }
        weights = List.copyOf(sorted);
    }

    /** Biases only (no weight updates), static default selection, classifier trained. */
    public static SparseUpdatePolicy biasOnly(int biasLayers) {
        return new SparseUpdatePolicy(biasLayers, List.of(), ChannelSelection.DEFAULT, true);
    }

    /** A policy with the default static {@code magnitude+} selection and the classifier trained. */
    public static SparseUpdatePolicy of(int biasLayers, List<WeightUpdate> weights) {
        return new SparseUpdatePolicy(biasLayers, weights, ChannelSelection.DEFAULT, true);
    }

    /** The same policy with another channel selection. */
    public SparseUpdatePolicy withSelection(ChannelSelection newSelection) {
        return new SparseUpdatePolicy(biasLayers, weights, newSelection, trainClassifier);
    }

    /**
     * Index of the first convolution whose bias is trained, for a network of
     * {@code convCount} convolutions ({@code convCount} itself when none is).
     */
    public int firstBiasLayer(int convCount) {
        return Math.max(0, convCount - biasLayers);
    }

    /** The update of {@code layer}'s weights, or null when its weights are frozen. */
    public WeightUpdate weightUpdate(int layer) {
        for (WeightUpdate w : weights) {
            if (w.layer() == layer) {
                return w;
            }
        }
        return null;
    }

    /**
     * Checks the policy against a model and returns it.
     *
     * @throws InvalidInputException naming the field and value: bias depth beyond the number
     *     of convolutions, a weight layer out of range or outside the bias-updated range, or a
     *     channel count outside [1, C_in]
     */
    public SparseUpdatePolicy validate(LayerTable table) {
        int n = table.convCount();
        if (biasLayers > n) {
            throw new InvalidInputException("bias_layers " + biasLayers + " exceeds the " + n + " convolutions of "
                    + table.spec().label());
        }
        int first = n - biasLayers;
        // Indexed loop: no iterator, so validation stays allocation-free for the estimators' hot path.
        for (int j = 0, m = weights.size(); j < m; j++) {
            WeightUpdate w = weights.get(j);
            if (w.layer() >= n) {
                throw new InvalidInputException("weight layer " + w.layer() + " out of range [0, " + n + ") of "
                        + table.spec().label());
            }
            if (w.layer() < first) {
                throw new InvalidInputException("weight layer " + w.layer() + " is outside the bias-updated range ["
                        + first + ", " + n + ") of bias_layers " + biasLayers);
            }
            ConvLayer conv = table.conv(w.layer());
            int c = w.channelsOf(conv.inChannels());
            if (w.channels() != null && c > conv.inChannels()) {
                throw new InvalidInputException("channels " + c + " of weight layer " + w.layer() + " exceed its C_in "
                        + conv.inChannels());
            }
            if (c < 1) {
                throw new InvalidInputException("ratio " + w.ratio() + " of weight layer " + w.layer()
                        + " selects 0 of its " + conv.inChannels() + " input channels");
            }
        }
        return this;
    }

    /** {@link #validate(LayerTable)} against {@code spec.layers()}. */
    public SparseUpdatePolicy validate(ModelSpec spec) {
        return validate(spec.layers());
    }

    /** Canonical JSON (sorted keys, no whitespace); see {@link PolicyJson#canonical}. */
    public String toCanonicalJson() {
        return PolicyJson.canonical(this);
    }

    /** Lower-case hex SHA-256 of {@link #toCanonicalJson()}: equal policies, equal hashes. */
    public String contentHash() {
        return ContentHash.of(toCanonicalJson());
    }

    /** A compact one-line description, e.g. {@code bias=25 w=27:1,42:0.125 magnitude}. */
    public String describe() {
        StringBuilder sb = new StringBuilder("bias=").append(biasLayers).append(" w=");
        if (weights.isEmpty()) {
            sb.append('-');
        }
        for (int i = 0; i < weights.size(); i++) {
            sb.append(i == 0 ? "" : ",").append(weights.get(i).layer()).append(':').append(weights.get(i).amountText());
        }
        sb.append(' ').append(selection.strategy().jsonName());
        if (selection.strategy().dynamic()) {
            sb.append("/k=").append(selection.refreshPeriod());
        }
        if (!trainClassifier) {
            sb.append(" fc-frozen");
        }
        return sb.toString();
    }
}
