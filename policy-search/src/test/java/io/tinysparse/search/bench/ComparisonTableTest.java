package io.tinysparse.search.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tinysparse.core.stats.MeanInterval;
import io.tinysparse.search.Genome;
import io.tinysparse.search.bench.RunAccounting.CountedRun;
import io.tinysparse.search.pareto.ReferencePoint;
import java.util.List;
import org.junit.jupiter.api.Test;

class ComparisonTableTest {
    private static final long B = 1000;

    private static Trajectory trajectory(String searcher, long seed, double... accuracies) {
        List<CountedRun> runs = new java.util.ArrayList<>();
        for (double a : accuracies) {
            runs.add(new CountedRun(Genome.of(runs.size()), a, B / 2, runs.size() + 1));
        }
        return new Trajectory(searcher, seed, runs, runs.size(), 0, 0, 1.0, null, null, "");
    }

    @Test
    void aCellIsTheMeanAndSampleSdOverSeedsAndADashWhenASeedFellShort() {
        ComparisonTable table = new ComparisonTable(List.of(
                trajectory("nsga2", 1, 0.4, 0.6), trajectory("nsga2", 2, 0.6, 0.6),
                trajectory("random", 1, 0.5, 0.5), trajectory("random", 2, 0.5)),
                new int[] {1, 2}, ReferencePoint.forBudget(B));
        MeanInterval first = table.cell("nsga2", 0);
        assertEquals(0.25, first.mean(), 1e-12); // 0.2 and 0.3
        assertEquals(Math.sqrt(0.005), first.sd(), 1e-12);
        assertEquals(0.3, table.cell("nsga2", 1).mean(), 1e-12);
        assertNull(table.cell("random", 1), "random's seed 2 has one run only");
        String md = table.markdown();
        assertTrue(md.contains("| runs | nsga2 | random |"), md);
        assertTrue(md.contains("| 1 | 0.2500 ± 0.0707 | 0.2500 ± 0.0000 |"), md);
        assertTrue(md.contains("| 2 | 0.3000 ± 0.0000 | — |"), md);
        String csv = table.csv();
        assertTrue(csv.contains("random,2,2,\n"), csv);
        assertTrue(csv.contains("nsga2,1,1,0.200000\n"), csv);
    }
}
