package io.tinysparse.search.driver;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tinysparse.core.InvalidInputException;
import io.tinysparse.search.ObjectiveMode;
import io.tinysparse.search.Searcher;
import io.tinysparse.search.space.MemoryBudget;
import io.tinysparse.search.space.PolicySpaceJson;
import io.tinysparse.core.hash.ContentHash;
import io.tinysparse.simulator.device.DeviceProfile;
import io.tinysparse.simulator.run.DataSpec;
import io.tinysparse.simulator.run.Quantization;
import io.tinysparse.simulator.run.TrainingBudget;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Everything that decides what a search computes: the searcher and its settings, the space
 * (with its memory budget), the task, the base training budget, the device and the backbone.
 * Its {@link #configJson() configuration JSON} is stored with every commit; a search resumes
 * only under the same configuration.
 *
 * @param kind         the searcher
 * @param settings     the searcher's settings (the seed is the search seed)
 * @param budget       the space searched and the device's SRAM budget
 * @param data         the task every run trains and tests on
 * @param training     the base training budget (fidelity multiplier 1)
 * @param device       the device profile (its SRAM is the budget's; carried by value in run specs)
 * @param backboneHash content hash of the backbone every run fine-tunes
 * @param reportTestSamples test samples of the report runs of the final front (normally the whole
 *                     test split), at least the search's
 * @param replicates   runs per policy of the final front, >= 1 (see {@link GenerationDriver.Settings})
 * @param rules        the rules the search's numbers are made under
 * @param reference    the dense reference reported beside the final front, or null for none
 * @param quantization how every run but the dense reference quantizes (int8), or null for fp32
 *                     (absent from the configuration JSON, so fp32 searches keep their ids)
 * @param objectives   what the search trades off ({@code --objectives}); the searcher must take them
 *                     ({@link SearcherKind#requireSupports})
 * @param pruned       the pruning ratios searched and their backbones ({@code --prune-ratios}), one per
 *                     space of the budget, the first's hash {@code backboneHash}; null for a search of one
 *                     backbone as it is (absent from the configuration JSON then)
 */
public record SearchDefinition(SearcherKind kind, SearcherSettings settings, MemoryBudget budget, DataSpec data,
        TrainingBudget training, DeviceProfile device, String backboneHash, int reportTestSamples, int replicates,
        SearchRules rules, DenseReference reference, Quantization quantization, ObjectiveMode objectives,
        PrunedBackbones pruned) {
    private static final ObjectMapper JSON = new ObjectMapper();

    public SearchDefinition {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(settings, "settings");
        Objects.requireNonNull(budget, "budget");
        Objects.requireNonNull(data, "data");
        Objects.requireNonNull(training, "training");
        Objects.requireNonNull(device, "device");
        Objects.requireNonNull(backboneHash, "backboneHash");
        Objects.requireNonNull(rules, "rules");
        Objects.requireNonNull(objectives, "objectives");
        kind.requireSupports(objectives);
        if (reportTestSamples < data.testSamples()) {
            throw new InvalidInputException("report test samples " + reportTestSamples + " below the search's "
                    + data.testSamples());
        }
        if ((replicates > 1 || reportTestSamples != data.testSamples()) && !rules.pairedSeeds()) {
            throw new InvalidInputException("--replicates " + replicates + ": search under legacy rules (started"
                    + " before replicates existed) has none; start a new search");
        }
        if (reference != null && !rules.pairedSeeds()) {
            throw new IllegalArgumentException("a search under legacy rules has no dense reference");
        }
        int backbones = budget.spaces().backbones();
        if (pruned == null ? backbones != 1 : pruned.hashes().size() != backbones
                || !pruned.hashes().get(0).equals(backboneHash)) {
            throw new IllegalArgumentException("the pruned backbones " + pruned + " do not match the " + backbones
                    + " spaces and backbone " + backboneHash);
        }
        kind.requireSupportsBackbones(backbones);
    }

    /** A definition of one backbone as it is. */
    public SearchDefinition(SearcherKind kind, SearcherSettings settings, MemoryBudget budget, DataSpec data,
            TrainingBudget training, DeviceProfile device, String backboneHash, int reportTestSamples, int replicates,
            SearchRules rules, DenseReference reference, Quantization quantization, ObjectiveMode objectives) {
        this(kind, settings, budget, data, training, device, backboneHash, reportTestSamples, replicates, rules,
                reference, quantization, objectives, null);
    }

    /** An fp32 definition of accuracy against memory. */
    public SearchDefinition(SearcherKind kind, SearcherSettings settings, MemoryBudget budget, DataSpec data,
            TrainingBudget training, DeviceProfile device, String backboneHash, int reportTestSamples, int replicates,
            SearchRules rules, DenseReference reference) {
        this(kind, settings, budget, data, training, device, backboneHash, reportTestSamples, replicates, rules,
                reference, null, ObjectiveMode.ACCURACY_MEMORY);
    }

    /** This definition with other objectives. */
    public SearchDefinition withObjectives(ObjectiveMode mode) {
        return new SearchDefinition(kind, settings, budget, data, training, device, backboneHash, reportTestSamples,
                replicates, rules, reference, quantization, mode, pruned);
    }

    /** A definition without a dense reference. */
    public SearchDefinition(SearcherKind kind, SearcherSettings settings, MemoryBudget budget, DataSpec data,
            TrainingBudget training, DeviceProfile device, String backboneHash, int reportTestSamples, int replicates,
            SearchRules rules) {
        this(kind, settings, budget, data, training, device, backboneHash, reportTestSamples, replicates, rules, null);
    }

    /** {@code data} if it has validation samples, which every decision of a search is made on; bad input otherwise. */
    public static DataSpec requireValidation(DataSpec data) {
        if (data.valSamples() < 1) {
            throw new InvalidInputException("--val-samples " + data.valSamples() + ": a search decides on validation"
                    + " accuracy, give at least 1 (1000 or more for a standard error under a point)");
        }
        return data;
    }

    /** The configuration as JSON, in a fixed key order (the same definition gives the same text). */
    public String configJson() {
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("searcher", kind.id());
        config.put("runs", settings.runs());
        kind.describe(settings, config);
        config.put("population", settings.population());
        config.put("space", PolicySpaceJson.write(budget.space()));
        config.put("data", data);
        config.put("budget", training);
        config.put("device", device.name());
        if (!device.equals(DeviceProfile.preset(device.name()))) {
            config.put("device_profile", device); // an overridden preset is another search
        }
        config.put("seed", settings.seed());
        config.put("backbone_hash", backboneHash);
        if (rules != SearchRules.LEGACY) {
            config.put("rules", rules.version()); // absent for legacy searches, whose stored configuration has no key
        }
        if (reportTestSamples != data.testSamples()) {
            config.put("report_test_samples", reportTestSamples);
        }
        if (replicates > 1) {
            config.put("replicates", replicates); // absent for 1, so searches stored before replicates still resume
        }
        if (reference != null) {
            reference.describe(config); // absent without one, so searches stored before references still resume
        }
        if (quantization != null) {
            config.put("quantization", quantization); // absent for fp32, so stored searches still resume
        }
        if (settings.steadyState()) {
            config.put("steady_state", true); // absent when generational, so stored searches still resume
        }
        if (objectives != ObjectiveMode.ACCURACY_MEMORY) {
            config.put("objectives", objectives.id()); // absent at the default, so stored searches still resume
        }
        if (pruned != null) {
            pruned.describe(config, budget.spaces()); // absent without --prune-ratios, so stored searches still resume
        }
        try {
            return JSON.writeValueAsString(config);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("search configuration not serialisable", e);
        }
    }

    /** A search id named after the configuration ({@code prefix-} and 8 hex digits of its hash). */
    public String fingerprintId(String prefix) {
        return prefix + "-" + ContentHash.of(configJson()).substring(0, 8);
    }

    /** Candidate to run under this definition. */
    public RunPlanner planner() {
        return new RunPlanner(budget.spaces(), pruned == null ? java.util.List.of(backboneHash) : pruned.hashes(), data,
                data.withTestSamples(reportTestSamples), training, device, settings.seed(), rules, quantization);
    }

    /** A new searcher of this definition (for a search that has no commit yet). */
    public Searcher newSearcher() {
        return kind.create(budget, objectives, settings);
    }

    /** The driver's settings for this definition under {@code searchId}. */
    public GenerationDriver.Settings driverSettings(String searchId) {
        return new GenerationDriver.Settings(searchId, configJson(), budget, planner(), settings.population(),
                replicates, reference, searchObjectives());
    }

    /** The objectives with the hypervolume's box of this search's budget, model and device ({@link SearchObjectives}). */
    public SearchObjectives searchObjectives() {
        return SearchObjectives.of(objectives, budget, device);
    }
}
