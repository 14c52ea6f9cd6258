package io.tinysparse.simulator.run;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tinysparse.core.InvalidInputException;
import io.tinysparse.core.hash.CanonicalJson;
import io.tinysparse.core.hash.ContentHash;
import io.tinysparse.simulator.device.DeviceProfile;
import io.tinysparse.simulator.engine.train.FrozenPrefix;
import io.tinysparse.simulator.model.LayerTable;
import io.tinysparse.simulator.model.ModelSpec;
import io.tinysparse.simulator.policy.SparseUpdatePolicy;
import io.tinysparse.simulator.policy.TrainingWork;
import io.tinysparse.simulator.policy.WeightUpdate;
import java.util.Objects;

/**
 * Everything that determines the result of one simulated MCU training run. Its
 * {@link #runId()} is a content hash of all of it, so the same run is never computed or stored
 * twice, whichever search asks for it.
 *
 * @param model the network (family member, resolution, classes)
 * @param policy the sparse-update policy (validated against {@code model})
 * @param backboneHash content hash of the pretrained weights the run starts from
 * @param data the fine-tuning data
 * @param budget the training budget
 * @param device device profile name (for feasibility and device time)
 * @param seed seed of every random choice of the run (channel selection, sample order)
 * @param deviceProfile the device profile itself (SRAM, Flash, clock, cycle costs; its
 *        description left empty), so that a changed preset or a cycle-cost override is a
 *        different run; {@code null} in specs made before profiles travelled by value (then the
 *        preset named {@code device} is used, and the JSON and run id are those specs' own)
 * @param quantization how an int8 run quantizes and trains the backbone; {@code null} for fp32
 *        (absent from the JSON, so fp32 run ids are those of specs made before int8 existed)
 */
public record RunSpec(
        @JsonProperty("model") ModelSpec model,
        @JsonProperty("policy") SparseUpdatePolicy policy,
        @JsonProperty("backbone_hash") String backboneHash,
        @JsonProperty("data") DataSpec data,
        @JsonProperty("budget") TrainingBudget budget,
        @JsonProperty("device") String device,
        @JsonProperty("seed") long seed,
        @JsonProperty("device_profile") @JsonInclude(JsonInclude.Include.NON_NULL) DeviceProfile deviceProfile,
        @JsonProperty("quantization") @JsonInclude(JsonInclude.Include.NON_NULL) Quantization quantization) {

    /** An fp32 spec (no quantization). */
    public RunSpec(ModelSpec model, SparseUpdatePolicy policy, String backboneHash, DataSpec data,
            TrainingBudget budget, String device, long seed, DeviceProfile deviceProfile) {
        this(model, policy, backboneHash, data, budget, device, seed, deviceProfile, null);
    }

    /** This spec at {@code q}'s precision ({@code null}: fp32). */
    public RunSpec withQuantization(Quantization q) {
        return new RunSpec(model, policy, backboneHash, data, budget, device, seed, deviceProfile, q);
    }

    /** {@code fp32}, {@code int8} or {@code int8+qas}. */
    @JsonIgnore
    public String precisionLabel() {
        return quantization == null ? Quantization.FP32 : quantization.label();
    }

    /** A spec naming a preset device only (the form of specs made before profiles travelled by value). */
    public RunSpec(ModelSpec model, SparseUpdatePolicy policy, String backboneHash, DataSpec data,
            TrainingBudget budget, String device, long seed) {
        this(model, policy, backboneHash, data, budget, device, seed, null);
    }

    /** A spec carrying {@code profile} by value (its description dropped: it does not change a run). */
    public static RunSpec onDevice(ModelSpec model, SparseUpdatePolicy policy, String backboneHash, DataSpec data,
            TrainingBudget budget, DeviceProfile profile, long seed) {
        DeviceProfile value = new DeviceProfile(profile.name(), "", profile.sramBytes(), profile.flashBytes(),
                profile.clockHz(), profile.cyclesPerMac());
        return new RunSpec(model, policy, backboneHash, data, budget, profile.name(), seed, value);
    }

    /** The device the run is costed on: the profile it carries, else the preset it names. */
    @JsonIgnore
    public DeviceProfile profile() {
        return deviceProfile != null ? deviceProfile : DeviceProfile.preset(device);
    }

    public RunSpec {
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(policy, "policy");
        Objects.requireNonNull(backboneHash, "backboneHash");
        Objects.requireNonNull(data, "data");
        Objects.requireNonNull(budget, "budget");
        Objects.requireNonNull(device, "device");
        if (deviceProfile != null && !deviceProfile.name().equals(device)) {
            throw new InvalidInputException("device_profile " + deviceProfile.name() + " does not match device "
                    + device);
        }
        policy.validate(model);
        if (backboneHash.isBlank()) {
            throw new InvalidInputException("backbone_hash must not be empty");
        }
    }

    /** Canonical JSON: sorted keys, no whitespace; equal specs give equal text. */
    public String toCanonicalJson() {
        try {
            ObjectNode node = (ObjectNode) CanonicalJson.toTree(this);
            node.set("policy", CanonicalJson.readTree(policy.toCanonicalJson()));
            return CanonicalJson.write(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise run spec", e);
        }
    }

    /** The run id: the first 32 hex digits (128 bits) of SHA-256 over {@link #toCanonicalJson()}. */
    @JsonIgnore
    public String runId() {
        return ContentHash.of(toCanonicalJson()).substring(0, 32);
    }

    /** Reads a spec from its JSON (as written by {@link #toJson()}). */
    public static RunSpec fromJson(String json) {
        try {
            return CanonicalJson.read(json, RunSpec.class);
        } catch (JsonProcessingException e) {
            throw new InvalidInputException("run spec JSON is invalid: " + e.getOriginalMessage(), e);
        }
    }

    /** This spec as JSON. */
    public String toJson() {
        return toCanonicalJson();
    }

    /**
     * Multiply-accumulates the engine spends on this run, from the frozen prefix's cut: every
     * training step's forward and backward pass, then the validation and test forwards, once per
     * candidate learning rate of the budget. An
     * estimate of the run's cost (it leaves out the optimizer and the channel selection), for
     * scheduling the longest runs first.
     */
    public long engineMacs() {
        LayerTable table = model.layers();
        int n = table.convCount();
        int earliest = n - Math.min(policy.biasLayers(), n);
        for (WeightUpdate w : policy.weights()) {
            earliest = Math.min(earliest, w.layer());
        }
        int cut = FrozenPrefix.cutBefore(table, earliest);
        long forward = table.classifier().macs();
        for (int i = cut; i < n; i++) {
            forward += table.conv(i).macs();
        }
        long backward = TrainingWork.of(table, policy).backwardMacs();
        long evaluated = (long) data.valSamples() * budget.evaluations() + data.testSamples();
        long perRate = (long) budget.iterations() * budget.batchSize() * (forward + backward) + evaluated * forward;
        return perRate * budget.learningRates().size();
    }
}
