package io.tinysparse.jobs;

import io.tinysparse.results.RunRecord;
import io.tinysparse.results.RunsTable;
import io.tinysparse.search.driver.RunOutcome;
import java.util.Objects;

/**
 * A run of the warehouse as the search driver sees it: the {@code results} record (which knows
 * nothing of searches) behind the driver's {@link RunOutcome}.
 *
 * @param record the stored row
 */
record StoredRun(RunRecord record) implements RunOutcome {
    StoredRun {
        Objects.requireNonNull(record, "record");
    }

    @Override
    public String runId() {
        return record.runId();
    }

    @Override
    public String policyJson() {
        return record.policyJson();
    }

    @Override
    public int fidelity() {
        return record.fidelity();
    }

    @Override
    public int iterations() {
        return record.iterations();
    }

    @Override
    public double validationAccuracy() {
        return record.validationAccuracy();
    }

    @Override
    public double testAccuracy() {
        return record.testAccuracy();
    }

    @Override
    public long arenaBytes() {
        return record.arenaBytes();
    }

    @Override
    public double deviceTimeMs() {
        return record.deviceTimeMs();
    }

    @Override
    public String backboneHash() {
        return record.get(RunsTable.BACKBONE_HASH);
    }
}
