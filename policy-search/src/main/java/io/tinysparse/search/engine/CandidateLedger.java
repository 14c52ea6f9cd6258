package io.tinysparse.search.engine;

import io.tinysparse.core.InvalidInputException;
import io.tinysparse.search.Candidate;
import io.tinysparse.search.EvaluatedCandidate;
import io.tinysparse.search.Evaluation;
import io.tinysparse.search.Fidelity;
import io.tinysparse.search.Genome;
import io.tinysparse.search.GenomeSpace;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The book-keeping of a searcher's current round (an NSGA-II generation, a halving rung, a phase
 * of contribution analysis): candidates generated but not yet handed out (queued), handed out
 * and awaiting results (outstanding), and results received. It hands out ids in increasing
 * order and validates tells atomically (all results of a call are checked before any is
 * applied), so a bad tell never leaves a half-applied state.
 *
 * <p>Not thread-safe; owned by one searcher.
 */
public final class CandidateLedger {
    private final GenomeSpace space;
    private long nextId;
    private final Deque<Candidate> queued = new ArrayDeque<>();
    private final Map<Long, Candidate> outstanding = new LinkedHashMap<>();
    private final TreeMap<Long, EvaluatedCandidate> received = new TreeMap<>();

    /** An empty ledger whose first id will be 0. */
    public CandidateLedger(GenomeSpace space) {
        this.space = space;
    }

    /** A ledger restored from its {@link #snapshot()}. */
    public CandidateLedger(GenomeSpace space, Snapshot s) {
        this.space = space;
        this.nextId = s.nextId();
        for (Candidate c : s.queued()) {
            queued.add(check(c));
        }
        for (Candidate c : s.outstanding()) {
            outstanding.put(check(c).id(), c);
        }
        for (EvaluatedCandidate e : s.received()) {
            check(e.candidate());
            received.put(e.id(), e);
        }
    }

    private Candidate check(Candidate c) {
        space.require(c.genome());
        if (c.id() >= nextId) {
            throw new InvalidInputException("saved candidate id " + c.id() + " is not below next id " + nextId);
        }
        return c;
    }

    /** A new candidate with the next id, queued for handing out. */
    public Candidate enqueue(Genome genome, Fidelity fidelity) {
        Candidate c = new Candidate(nextId++, genome, fidelity);
        queued.add(c);
        return c;
    }

    /** Number of queued (not yet handed out) candidates. */
    public int queuedCount() {
        return queued.size();
    }

    /** Moves up to {@code max} queued candidates to outstanding and returns them, in id order. */
    public List<Candidate> take(int max) {
        if (max < 1) {
            throw new InvalidInputException("ask size must be >= 1, got " + max);
        }
        List<Candidate> out = new ArrayList<>(Math.min(max, queued.size()));
        while (out.size() < max && !queued.isEmpty()) {
            Candidate c = queued.poll();
            outstanding.put(c.id(), c);
            out.add(c);
        }
        return out;
    }

    /**
     * Validates all {@code results} against the outstanding candidates, then moves them to
     * received. Throws naming the first bad id, applying nothing, if any result is for an
     * unknown or already-told candidate, repeats an id, or has the wrong fidelity.
     */
    public void accept(Collection<Evaluation> results) {
        Map<Long, EvaluatedCandidate> batch = new HashMap<>();
        for (Evaluation e : results) {
            Candidate c = outstanding.get(e.candidateId());
            if (c == null) {
                throw new InvalidInputException("result for candidate " + e.candidateId() + " which is "
                        + whyNotOutstanding(e.candidateId()));
            }
            if (batch.put(e.candidateId(), new EvaluatedCandidate(c, e)) != null) {
                throw new InvalidInputException("two results for candidate " + e.candidateId() + " in one tell");
            }
        }
        for (EvaluatedCandidate ec : batch.values()) {
            outstanding.remove(ec.id());
            received.put(ec.id(), ec);
        }
    }

    private String whyNotOutstanding(long id) {
        if (id < 0 || id >= nextId) {
            return "unknown";
        }
        for (Candidate q : queued) {
            if (q.id() == id) {
                return "not handed out yet";
            }
        }
        return "already told";
    }

    /** True when nothing is queued or outstanding: every candidate of the round has a result. */
    public boolean roundComplete() {
        return queued.isEmpty() && outstanding.isEmpty();
    }

    /** Removes and returns the received results, sorted by candidate id. */
    public List<EvaluatedCandidate> drainReceived() {
        List<EvaluatedCandidate> out = new ArrayList<>(received.values());
        received.clear();
        return out;
    }

    /** Outstanding candidates in id order. */
    public List<Candidate> outstanding() {
        List<Candidate> out = new ArrayList<>(outstanding.values());
        out.sort((a, b) -> Long.compare(a.id(), b.id()));
        return out;
    }

    /** The id the next candidate will get. */
    public long nextId() {
        return nextId;
    }

    /** Serialisable contents. */
    public Snapshot snapshot() {
        return new Snapshot(nextId, List.copyOf(queued), outstanding(), List.copyOf(received.values()));
    }

    /**
     * Saved contents of a ledger.
     *
     * @param nextId      id of the next candidate
     * @param queued      generated, not yet handed out, in hand-out order
     * @param outstanding handed out, awaiting results
     * @param received    results of the current round, by id
     */
    public record Snapshot(long nextId, List<Candidate> queued, List<Candidate> outstanding,
            List<EvaluatedCandidate> received) {
        public Snapshot {
            if (nextId < 0) {
                throw new InvalidInputException("nextId must be >= 0, got " + nextId);
            }
            queued = List.copyOf(queued);
            outstanding = List.copyOf(outstanding);
            received = List.copyOf(received);
        }
    }
}
