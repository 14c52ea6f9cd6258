package io.tinysparse.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.tinysparse.core.InvalidInputException;
import java.util.List;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** A run that fails in a Spark task reaches the driver as one line: the generation, the run id and the cause's message. */
class ExecutorRunFailureTest {
    private static SparkSession session;
    private static JavaSparkContext jsc;

    @BeforeAll
    static void start() {
        session = SparkSessions.create("executor-run-failure-test", "local[1]", false);
        jsc = JavaSparkContext.fromSparkContext(session.sparkContext());
    }

    @AfterAll
    static void stop() {
        session.stop();
    }

    private static RuntimeException failedJob(RuntimeException inTask) {
        Exception jobFailure = assertThrows(Exception.class, () -> jsc.parallelize(List.of(1), 1).map(i -> {
            throw new ExecutorRunFailure("r1", inTask);
        }).collect());
        return ExecutorRunFailure.reported(jobFailure, 3);
    }

    @Test
    void badInputOnAnExecutorIsBadInputNamingTheRunAndTheCause() {
        RuntimeException e = failedJob(new InvalidInputException("mnist/train is not installed:\n /d is missing"));
        assertInstanceOf(InvalidInputException.class, e);
        assertEquals("generation 3 failed on an executor: run r1: mnist/train is not installed: /d is missing",
                e.getMessage());
    }

    @Test
    void anyOtherFailureOnAnExecutorIsOneLineWithTheCauseItsClassIncluded() {
        RuntimeException e = failedJob(new IllegalStateException("out of arena"));
        assertInstanceOf(IllegalStateException.class, e);
        assertEquals("generation 3 failed on an executor: run r1: java.lang.IllegalStateException: out of arena",
                e.getMessage());
    }

    @Test
    void aJobFailureWithoutARunIsSparksFirstLine() {
        RuntimeException e = ExecutorRunFailure.reported(new RuntimeException("Job aborted: executor lost\n\tat x"), 0);
        assertEquals("generation 0 failed on Spark: Job aborted: executor lost", e.getMessage());
    }
}
