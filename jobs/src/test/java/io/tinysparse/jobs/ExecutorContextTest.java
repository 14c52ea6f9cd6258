package io.tinysparse.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.tinysparse.simulator.engine.Network;
import io.tinysparse.simulator.model.ChannelGroups;
import io.tinysparse.simulator.model.ModelSpec;
import io.tinysparse.simulator.run.DataSpec;
import io.tinysparse.simulator.run.RunEvaluator;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import org.junit.jupiter.api.Test;

class ExecutorContextTest {
    static byte[] bytes(Network n) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        n.write(out);
        return out.toByteArray();
    }

    @Test
    void evaluatorsOfOneDataSpecShareItsTensorsAndOnlyTheMostRecentTwoAreKept() throws IOException {
        assumeTrue(SearchJobTest.mnistInstalled(), "MNIST is not installed (run 'bin/tinysparse datasets fetch')");
        Network unfolded = Network.initialize(new ModelSpec(0.35, 32, 10, false, 1), 3);
        Network folded = unfolded.fold();
        DataSpec search = new DataSpec("mnist", 20, 10, 20, 5);
        DataSpec report = search.withTestSamples(40);

        RunEvaluator s = ExecutorContext.evaluator(bytes(folded), folded.parameterHash(), search, null);
        assertSame(s, ExecutorContext.evaluator(bytes(folded), folded.parameterHash(), search, null), "kept");
        RunEvaluator r = ExecutorContext.evaluator(bytes(folded), folded.parameterHash(), report, null);
        RunEvaluator d = ExecutorContext.evaluator(bytes(unfolded), unfolded.parameterHash(), report, null);
        assertNotSame(r, d);
        assertEquals(ExecutorContext.KEPT, ExecutorContext.heldEvaluators(), "the search data's evaluator let go");
        assertEquals(1, ExecutorContext.heldTasks(), "the report's two backbones share one set of tensors");
        assertSame(d, ExecutorContext.evaluator(bytes(unfolded), unfolded.parameterHash(), report, null));
        assertNotSame(s, ExecutorContext.evaluator(bytes(folded), folded.parameterHash(), search, null),
                "recreated when needed again");
        assertEquals(2, ExecutorContext.heldTasks());
    }

    @Test
    void backbonesPrunedFromOneParentShareTheTensorsOfTheirData() throws IOException {
        assumeTrue(SearchJobTest.mnistInstalled(), "MNIST is not installed (run 'bin/tinysparse datasets fetch')");
        ModelSpec parent = new ModelSpec(0.35, 32, 10, false, 1);
        Network unpruned = Network.initialize(parent, 3).fold();
        Network pruned = Network.initialize(ModelSpec.of(ChannelGroups.of(parent.architecture()).pruned(0.5),
                parent.resolution(), parent.numClasses()), 3).fold();
        DataSpec report = new DataSpec("mnist", 20, 10, 40, 5);
        RunEvaluator a = ExecutorContext.evaluator(bytes(unpruned), unpruned.parameterHash(), report, null);
        RunEvaluator b = ExecutorContext.evaluator(bytes(pruned), pruned.parameterHash(), report, null);
        assertNotSame(a, b);
        assertEquals(1, ExecutorContext.heldTasks(), "one set of tensors for both backbones (2.3 GB for a quick"
                + " search's report data)");
    }
}
