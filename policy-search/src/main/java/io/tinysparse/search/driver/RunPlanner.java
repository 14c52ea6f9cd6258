package io.tinysparse.search.driver;

import io.tinysparse.search.Candidate;
import io.tinysparse.core.random.Seeds;
import io.tinysparse.search.space.PolicySpace;
import io.tinysparse.search.space.PolicySpaces;
import io.tinysparse.simulator.device.DeviceProfile;
import io.tinysparse.simulator.engine.train.SparseTrainer;
import io.tinysparse.simulator.model.ModelSpec;
import io.tinysparse.simulator.policy.PolicyJson;
import io.tinysparse.simulator.policy.SparseUpdatePolicy;
import io.tinysparse.simulator.run.DataSpec;
import io.tinysparse.simulator.run.Quantization;
import io.tinysparse.simulator.run.RunSpec;
import io.tinysparse.simulator.run.TrainingBudget;
import java.util.List;
import java.util.Objects;

/**
 * Turns a candidate into its run: the candidate's policy in the space, trained on the search's
 * task for the base budget times the candidate's fidelity multiplier. The same policy at the
 * same fidelity is therefore the same run (same id), whichever candidate asked for it.
 *
 * <p><b>Paired comparisons (common random numbers).</b> The run seed derives from the search
 * seed, the replicate and the fidelity multiplier only, not from the policy: within a replicate,
 * every policy of a search is trained on the same subset (the data spec's subset seed), from the
 * same classifier initialisation (the backbone's), in the same sample order, and where two
 * policies update the same layer with a random strategy they draw from the same stream. A
 * difference between two runs of a replicate is then the policies' difference, not luck.
 * Replicate 0 is the run the searcher sees; replicates 1, 2, ... retrain a policy with other
 * seeds to measure its noise.
 *
 * <p><b>Report runs.</b> A finished search retrains the policies of its last front on
 * {@code reportData}: the same training and validation data, the test subset as large as asked
 * for reporting (normally the whole test split). A report run of replicate 0 trains exactly as
 * the search's run of the policy (same seed, same training subset), so its validation accuracy
 * is the same; only its test figure is measured on more samples.
 *
 * <p><b>Several backbones.</b> A search over pruned backbones plans each candidate on its genome's
 * backbone ({@link PolicySpaces}): that backbone's model and content hash in the run spec. A
 * stored run is retrained on the backbone it was trained on. The dense reference fine-tunes the
 * first backbone's model.
 *
 * @param spaces       the policy spaces the candidates' genomes index, one per backbone
 * @param backbones    content hash of each backbone (in {@code spaces}' order) that runs fine-tune
 * @param data         the task every search run trains and tests on
 * @param reportData   the task of report runs: {@code data} with the test subset used for reporting
 * @param base         the budget of fidelity multiplier 1
 * @param device       the device profile, carried by value in every run spec under current rules
 * @param searchSeed   the search seed
 * @param rules        the search's rules ({@link SearchRules#LEGACY} derives a seed per policy and
 *                     has no replicates)
 * @param quantization the precision of every run but the dense reference (fp32: null)
 */
public record RunPlanner(PolicySpaces spaces, List<String> backbones, DataSpec data, DataSpec reportData,
        TrainingBudget base, DeviceProfile device, long searchSeed, SearchRules rules, Quantization quantization) {
    /** The seed stream of the runs of a search (every policy shares it: see the class comment). */
    static final long PAIRED_STREAM = 0x7061697265644CL;

    /** A planner of fp32 runs of one backbone. */
    public RunPlanner(PolicySpace space, String backboneHash, DataSpec data, DataSpec reportData, TrainingBudget base,
            DeviceProfile device, long searchSeed, SearchRules rules) {
        this(space, backboneHash, data, reportData, base, device, searchSeed, rules, null);
    }

    /** A planner of the runs of one backbone. */
    public RunPlanner(PolicySpace space, String backboneHash, DataSpec data, DataSpec reportData, TrainingBudget base,
            DeviceProfile device, long searchSeed, SearchRules rules, Quantization quantization) {
        this(PolicySpaces.of(space), List.of(backboneHash), data, reportData, base, device, searchSeed, rules,
                quantization);
    }

    public RunPlanner {
        Objects.requireNonNull(spaces, "spaces");
        backbones = List.copyOf(backbones);
        if (backbones.size() != spaces.backbones()) {
            throw new IllegalArgumentException(backbones.size() + " backbone hashes for " + spaces.backbones()
                    + " spaces");
        }
        Objects.requireNonNull(data, "data");
        Objects.requireNonNull(reportData, "reportData");
        if (!reportData.withTestSamples(data.testSamples()).equals(data)) {
            throw new IllegalArgumentException("report data may differ from the search's in the test subset only");
        }
        Objects.requireNonNull(base, "base");
        Objects.requireNonNull(device, "device");
        Objects.requireNonNull(rules, "rules");
    }

    /** The first backbone's space (every backbone's space has its genes). */
    public PolicySpace space() {
        return spaces.space(0);
    }

    /** The run of {@code c} (replicate 0), on its genome's backbone. */
    public PlannedRun plan(Candidate c) {
        return PlannedRun.of(spec(spaces.toPolicy(c.genome()), spaces.backboneOf(c.genome()),
                c.fidelity().multiplier(), 0, data), c.fidelity().level());
    }

    /** The search's own run (replicate 0, search data) of the policy, backbone and budget of the stored run {@code r}. */
    public PlannedRun searchRun(RunOutcome r) {
        return PlannedRun.of(spec(policyOf(r), backboneOf(r), multiplierOf(r), 0, data), r.fidelity());
    }

    /**
     * Whether stored run {@code r} is a run the searcher asked for (replicate 0 on the search's
     * data), not a report or dense reference run: whether it is its own {@link #searchRun}.
     */
    public boolean isSearchRun(RunOutcome r) {
        if (backbones.size() > 1 && r.backboneHash() != null && !backbones.contains(r.backboneHash())) {
            return false; // the dense reference fine-tunes the unfolded backbone
        }
        return searchRun(r).runId().equals(r.runId());
    }

    /** Report run {@code replicate} (on {@link #reportData}) of the policy, backbone and budget of the stored run {@code r}. */
    public PlannedRun reportRun(RunOutcome r, int replicate) {
        return PlannedRun.of(spec(policyOf(r), backboneOf(r), multiplierOf(r), replicate, reportData), r.fidelity(),
                RunRole.REPORT);
    }

    /** The index of the backbone stored run {@code r} fine-tuned (with one backbone, or a run that does not say: 0). */
    int backboneOf(RunOutcome r) {
        if (backbones.size() == 1 || r.backboneHash() == null) {
            return 0;
        }
        int b = backbones.indexOf(r.backboneHash());
        if (b < 0) {
            throw new IllegalStateException("run " + r.runId() + " fine-tuned backbone " + r.backboneHash()
                    + ", which is not one of this search's " + backbones);
        }
        return b;
    }

    /**
     * Replicate {@code replicate} of the dense reference ({@link DenseReference}) paired with the
     * report runs of the policies trained at {@code multiplier} times the base budget (fidelity
     * level {@code fidelity}): on {@link #reportData}, with those runs' seed.
     */
    public PlannedRun referenceRun(DenseReference reference, int replicate, int multiplier, int fidelity) {
        if (!rules.pairedSeeds()) {
            throw new IllegalStateException("a search under legacy rules has no dense reference");
        }
        RunSpec spec = RunSpec.onDevice(space().model(), SparseTrainer.densePolicy(space().model().layers()),
                reference.backboneHash(), reportData, reference.budget(base, multiplier), device,
                pairedSeed(replicate, multiplier));
        return PlannedRun.of(spec, fidelity, RunRole.REFERENCE);
    }

    /** The multiplier of the base budget that stored run {@code r} was trained at. */
    public int multiplierOf(RunOutcome r) {
        if (r.iterations() % base.iterations() != 0) {
            throw new IllegalStateException("run " + r.runId() + " has " + r.iterations()
                    + " iterations, not a multiple of the base budget's " + base.iterations());
        }
        return r.iterations() / base.iterations();
    }

    private long pairedSeed(int replicate, int multiplier) {
        return Seeds.derive(searchSeed, PAIRED_STREAM + replicate, multiplier);
    }

    /** Whether report runs differ from search runs in anything but the replicate seed. */
    public boolean separateReportData() {
        return !reportData.equals(data);
    }

    private static SparseUpdatePolicy policyOf(RunOutcome r) {
        return PolicyJson.read(r.policyJson());
    }

    private RunSpec spec(SparseUpdatePolicy p, int backbone, int multiplier, int replicate, DataSpec task) {
        if (!rules.pairedSeeds() && replicate != 0) {
            throw new IllegalStateException("a search under legacy rules has no replicates");
        }
        long runSeed = rules.pairedSeeds() ? pairedSeed(replicate, multiplier)
                : Seeds.derive(searchSeed, p.contentHash().hashCode(), multiplier);
        TrainingBudget budget = base.withIterations(base.iterations() * multiplier);
        ModelSpec model = spaces.space(backbone).model();
        String hash = backbones.get(backbone);
        RunSpec spec = rules.pairedSeeds() ? RunSpec.onDevice(model, p, hash, task, budget, device, runSeed)
                : new RunSpec(model, p, hash, task, budget, device.name(), runSeed);
        return spec.withQuantization(quantization);
    }
}
