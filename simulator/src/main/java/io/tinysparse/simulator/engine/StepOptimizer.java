package io.tinysparse.simulator.engine;

/**
 * A {@link GradientSink} that applies each gradient to the parameters the moment it arrives,
 * at a learning rate set before each step.
 */
public interface StepOptimizer extends GradientSink {
    /** Sets the learning rate of the following updates. */
    void setLearningRate(double learningRate);
}
