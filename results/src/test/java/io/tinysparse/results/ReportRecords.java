package io.tinysparse.results;

import java.util.List;

/** Records of a small search for the report's tests: the runs of {@link ResultStoreTest#run} with a policy, role and breakdown. */
public final class ReportRecords {
    private ReportRecords() {}

    /** A run of search {@code search} with the given fidelity, policy, selection and role (null: none stored). */
    public static RunRecord run(String search, String id, int generation, int fidelity, double accuracy, long bytes,
            String policyJson, String selection, String role) {
        return ResultStoreTest.run(id, search, generation, accuracy, bytes).toBuilder(search, generation)
                .set(RunsTable.FIDELITY, fidelity)
                .set(RunsTable.POLICY_JSON, policyJson)
                .set(RunsTable.SELECTION, selection)
                .set(RunsTable.ROLE, role)
                .set(RunsTable.BREAKDOWN, List.of(new RunRecord.BreakdownEntry(-1, "activation", 3072L),
                        new RunRecord.BreakdownEntry(48, "saved_input", 4096L),
                        new RunRecord.BreakdownEntry(48, "trainable_weights", 2048L),
                        new RunRecord.BreakdownEntry(51, "classifier", 4520L)))
                .build();
    }

    /** A front member of one replicate standing for {@code r}. */
    public static FrontRecord.Member member(RunRecord r, String tiedWith) {
        return new FrontRecord.Member(r.runId(), r.testAccuracy(), r.arenaBytes(), r.deviceTimeMs(), r.policyJson(),
                r.validationAccuracy(), null, null, null, null, 1, tiedWith, r.get(RunsTable.LIN2022_BYTES));
    }

    /** The commit of generation {@code generation} of search {@code search}, with its configuration. */
    public static SearchRecord commit(String search, int generation, String status, String configJson) {
        SearchRecord c = ResultStoreTest.commit(search, generation);
        return new SearchRecord(search, generation, status, configJson, c.stateJson(), c.runsDone(),
                c.infeasibleRejected(), c.candidatesConsidered(), c.startedAt(), c.updatedAt());
    }
}
