package io.tinysparse.search;

import io.tinysparse.core.random.SplitMix64;
import io.tinysparse.search.state.SearchCheckpoint;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Test driver that exercises the ask/tell contract adversarially: random ask sizes, results
 * held back and told later in shuffled order and random groupings, and optionally a save to
 * JSON and restore into a fresh searcher in the middle of the search.
 */
public final class SearchDriver {
    private final Function<Candidate, Evaluation> evaluator;
    private final SplitMix64 chaos;
    private final int maxAsk;
    private final long checkpointAfter;
    private final MemoryCost memory;
    private int restores;

    /**
     * @param chaosSeed       seed of the driver's own choices (ask sizes, tell order)
     * @param maxAsk          largest ask size
     * @param checkpointAfter after this many asked candidates, save and restore once (-1: never)
     */
    public SearchDriver(Function<Candidate, Evaluation> evaluator, long chaosSeed, int maxAsk, long checkpointAfter,
            MemoryCost memory) {
        this.evaluator = evaluator;
        this.chaos = new SplitMix64(chaosSeed);
        this.maxAsk = maxAsk;
        this.checkpointAfter = checkpointAfter;
        this.memory = memory;
    }

    /** Plain driver: asks of the given size, tells each batch whole and in order. */
    public static List<Candidate> inOrder(Searcher s, Function<Candidate, Evaluation> evaluator, int batch) {
        List<Candidate> asked = new ArrayList<>();
        while (!s.isFinished()) {
            List<Candidate> b = s.ask(batch);
            if (b.isEmpty()) {
                throw new AssertionError("empty ask with nothing outstanding");
            }
            asked.addAll(b);
            List<Evaluation> r = new ArrayList<>();
            for (Candidate c : b) {
                r.add(evaluator.apply(c));
            }
            s.tell(r);
        }
        return asked;
    }

    /** Number of save/restore cycles done by {@link #run}. */
    public int restores() {
        return restores;
    }

    /** Runs {@code s} to the end adversarially; returns every candidate asked, in ask order. */
    public List<Candidate> run(Searcher s) {
        List<Candidate> asked = new ArrayList<>();
        List<Candidate> held = new ArrayList<>();
        boolean checkpointed = checkpointAfter < 0;
        while (!s.isFinished()) {
            if (!checkpointed && asked.size() >= checkpointAfter) {
                String json = SearchCheckpoint.of(s).toJson();
                s = SearchCheckpoint.fromJson(json).restore(s.problem(), memory);
                restores++;
                checkpointed = true;
                if (!s.outstanding().equals(sortedById(held))) {
                    throw new AssertionError("restored outstanding " + s.outstanding() + " != held " + held);
                }
            }
            boolean tellNow = !held.isEmpty() && chaos.nextBoolean(0.4);
            if (!tellNow) {
                List<Candidate> b = s.ask(1 + chaos.nextInt(maxAsk));
                if (b.isEmpty()) {
                    if (held.isEmpty()) {
                        throw new AssertionError("empty ask with nothing outstanding and not finished");
                    }
                    tellNow = true;
                } else {
                    asked.addAll(b);
                    held.addAll(b);
                }
            }
            if (tellNow) {
                shuffle(held);
                int n = 1 + chaos.nextInt(held.size());
                List<Evaluation> r = new ArrayList<>();
                for (Candidate c : held.subList(0, n)) {
                    r.add(evaluator.apply(c));
                }
                held = new ArrayList<>(held.subList(n, held.size()));
                s.tell(r);
            }
        }
        if (!held.isEmpty()) {
            throw new AssertionError("finished with results still held: " + held);
        }
        return asked;
    }

    /** Fails with the first differing position (not two huge lists) unless the sequences are equal. */
    public static void assertSameSequence(List<Candidate> expected, List<Candidate> actual, String label) {
        for (int i = 0; i < Math.min(expected.size(), actual.size()); i++) {
            if (!expected.get(i).equals(actual.get(i))) {
                throw new AssertionError(label + ": candidate " + i + " differs: expected " + expected.get(i)
                        + " but was " + actual.get(i));
            }
        }
        if (expected.size() != actual.size()) {
            throw new AssertionError(label + ": expected " + expected.size() + " candidates but got " + actual.size());
        }
    }

    private void shuffle(List<Candidate> list) {
        for (int i = list.size() - 1; i > 0; i--) {
            int j = chaos.nextInt(i + 1);
            Candidate t = list.get(i);
            list.set(i, list.get(j));
            list.set(j, t);
        }
    }

    private static List<Candidate> sortedById(List<Candidate> list) {
        List<Candidate> out = new ArrayList<>(list);
        out.sort((a, b) -> Long.compare(a.id(), b.id()));
        return out;
    }
}
