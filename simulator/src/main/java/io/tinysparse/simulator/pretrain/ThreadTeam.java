package io.tinysparse.simulator.pretrain;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Phaser;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.IntConsumer;

/**
 * A fixed team of {@code size} threads that run one program together, in lockstep where the
 * program says so: the calling thread is member 0 and {@code size - 1} daemon threads, started
 * once, are the others, so a program run per training step costs no thread creation.
 *
 * <p>{@link #run} hands the same program to every member ({@code program.accept(member)}) and
 * returns when all have finished it. Inside a program, {@link #sync} waits until every member
 * has reached it: every member must call it the same number of times per program. What a
 * member writes before {@code sync} (or before {@code run} returns) is visible to every member
 * after it.
 *
 * <p>A failure in any member ends the program on all of them and {@code run} rethrows it (the
 * first one); the team is then unusable. Not for concurrent use: one {@code run} at a time, from
 * the thread that made the team.
 */
final class ThreadTeam implements AutoCloseable {
    private final int size;
    private final Phaser phaser;
    private final List<Thread> workers = new ArrayList<>();
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private volatile IntConsumer program;

    /** A team of {@code size >= 1} members; {@code name} prefixes the worker threads' names. */
    ThreadTeam(int size, String name) {
        if (size < 1) {
            throw new IllegalArgumentException("team size must be >= 1, got " + size);
        }
        this.size = size;
        this.phaser = new Phaser(size);
        for (int member = 1; member < size; member++) {
            int m = member;
            Thread t = new Thread(() -> work(m), name + "-" + member);
            t.setDaemon(true);
            workers.add(t);
            t.start();
        }
    }

    /** Members, including the calling thread. */
    int size() {
        return size;
    }

    /** Runs {@code program} on every member (the caller is member 0); rethrows the first failure. */
    void run(IntConsumer program) {
        if (failure.get() != null) {
            throw new IllegalStateException("the team failed before", failure.get());
        }
        this.program = program;
        sync(); // start
        try {
            program.accept(0);
        } catch (Aborted e) {
            // another member failed; its failure is rethrown below
        } catch (RuntimeException | Error e) {
            fail(e);
        }
        if (failure.get() == null) {
            try {
                sync(); // end
            } catch (Aborted e) {
                // a member failed after the caller finished
            }
        }
        Throwable f = failure.get();
        if (f instanceof RuntimeException r) {
            throw r;
        }
        if (f instanceof Error err) {
            throw err;
        }
    }

    /** Waits until every member has called it; throws {@link Aborted} if a member failed. */
    void sync() {
        if (size > 1 && phaser.arriveAndAwaitAdvance() < 0) {
            throw new Aborted();
        }
    }

    private void work(int member) {
        try {
            while (true) {
                sync(); // start
                try {
                    program.accept(member);
                } catch (RuntimeException | Error e) {
                    if (!(e instanceof Aborted)) {
                        fail(e);
                    }
                    return;
                }
                sync(); // end
            }
        } catch (Aborted e) {
            // closed, or a member failed: nothing more to run
        }
    }

    private void fail(Throwable e) {
        failure.compareAndSet(null, e);
        phaser.forceTermination();
    }

    /** Stops the worker threads and waits for them. */
    @Override
    public void close() {
        phaser.forceTermination();
        for (Thread t : workers) {
            try {
                t.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** A member's program was cut short because another member failed (or the team closed). */
    private static final class Aborted extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Aborted() {
            super(null, null, false, false);
        }
    }
}
