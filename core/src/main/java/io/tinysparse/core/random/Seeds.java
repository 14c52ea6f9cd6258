package io.tinysparse.core.random;

/**
 * The seeding rule: every random choice of tinysparse draws from a seed derived from a parent
 * seed and keys (a search seed and a run id; a run seed and a stream number), never from
 * evaluation order or time, so the same search gives the same runs on any machine in any task
 * order. All derivations are built from the {@link SplitMix64} finaliser.
 *
 * <p>{@link #derive} is the rule for anything new. The two stream derivations are the forms the
 * simulator and the dataset sampler used before the rule was gathered here; run seeds and subsets
 * drawn with them are stored, so they stay exactly as they were rather than being rewritten in
 * terms of {@link #derive}.
 */
public final class Seeds {
    private Seeds() {}

    /**
     * A seed from a parent seed and keys, for example a search seed, a policy hash and a fidelity:
     * a chain of finalised keys, so every key and its position matter.
     */
    public static long derive(long seed, long... keys) {
        long h = SplitMix64.mix64(SplitMix64.jump(seed, 1));
        for (long k : keys) {
            h = SplitMix64.mix64(h ^ SplitMix64.mix64(SplitMix64.jump(k, 1)));
        }
        return h;
    }

    /**
     * The seed of numbered stream {@code stream} of {@code seed}: draw number {@code stream + 1}
     * of {@code new SplitMix64(seed)}, so streams of one seed never repeat one another. The
     * simulator's per-run streams (data order, channel selection per layer, initialisation).
     */
    public static long stream(long seed, long stream) {
        return SplitMix64.mix64(SplitMix64.jump(seed, stream + 1));
    }

    /**
     * The seed of numbered stream {@code stream} of {@code seed} within the purpose named by
     * {@code salt}: draw number {@code stream} of a generator started at the finalised
     * {@code seed ^ salt}. The dataset sampler's per-class streams (subsets, splits).
     */
    public static long saltedStream(long seed, long salt, long stream) {
        return SplitMix64.mix64(SplitMix64.jump(SplitMix64.mix64(seed ^ salt), stream));
    }
}
