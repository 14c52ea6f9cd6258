package io.tinysparse.search.driver;

import io.tinysparse.search.Candidate;
import io.tinysparse.core.random.Seeds;
import io.tinysparse.search.space.PolicySpace;
import io.tinysparse.simulator.device.DeviceProfile;
import io.tinysparse.simulator.policy.PolicyJson;
import io.tinysparse.simulator.policy.SparseUpdatePolicy;
import io.tinysparse.simulator.run.DataSpec;
import io.tinysparse.simulator.run.RunSpec;
import io.tinysparse.simulator.run.TrainingBudget;
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
 * @param space        the policy space the candidates' genomes index
 * @param backboneHash content hash of the backbone every run fine-tunes
 * @param data         the task every run trains and tests on
 * @param base         the budget of fidelity multiplier 1
 * @param device       the device profile, carried by value in every run spec under current rules
 * @param searchSeed   the search seed
 * @param rules        the search's rules ({@link SearchRules#LEGACY} derives a seed per policy and
 *                     has no replicates)
 */
public record RunPlanner(PolicySpace space, String backboneHash, DataSpec data, TrainingBudget base,
        DeviceProfile device, long searchSeed, SearchRules rules) {
    /** The seed stream of the runs of a search (every policy shares it: see the class comment). */
    static final long PAIRED_STREAM = 0x7061697265644CL;

    public RunPlanner {
        Objects.requireNonNull(space, "space");
        Objects.requireNonNull(backboneHash, "backboneHash");
        Objects.requireNonNull(data, "data");
        Objects.requireNonNull(base, "base");
        Objects.requireNonNull(device, "device");
        Objects.requireNonNull(rules, "rules");
    }

    /** The run of {@code c} (replicate 0). */
    public PlannedRun plan(Candidate c) {
        return PlannedRun.of(spec(space.toPolicy(c.genome()), c.fidelity().multiplier(), 0), c.fidelity().level());
    }

    /** Replicate {@code replicate} of the policy and budget of the stored run {@code r}. */
    public PlannedRun replicate(RunOutcome r, int replicate) {
        if (r.iterations() % base.iterations() != 0) {
            throw new IllegalStateException("run " + r.runId() + " has " + r.iterations()
                    + " iterations, not a multiple of the base budget's " + base.iterations());
        }
        SparseUpdatePolicy p = PolicyJson.read(r.policyJson());
        return PlannedRun.of(spec(p, r.iterations() / base.iterations(), replicate), r.fidelity());
    }

    private RunSpec spec(SparseUpdatePolicy p, int multiplier, int replicate) {
        if (!rules.pairedSeeds() && replicate != 0) {
            throw new IllegalStateException("a search under legacy rules has no replicates");
        }
        long runSeed = rules.pairedSeeds() ? Seeds.derive(searchSeed, PAIRED_STREAM + replicate, multiplier)
                : Seeds.derive(searchSeed, p.contentHash().hashCode(), multiplier);
        TrainingBudget budget = base.withIterations(base.iterations() * multiplier);
        return rules.pairedSeeds() ? RunSpec.onDevice(space.model(), p, backboneHash, data, budget, device, runSeed)
                : new RunSpec(space.model(), p, backboneHash, data, budget, device.name(), runSeed);
    }
}
