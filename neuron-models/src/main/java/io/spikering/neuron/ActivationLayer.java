package io.spikering.neuron;

/**
 * A population of neurons that maps pre-activations x to outputs a = amplitude·f(x), either exactly
 * ({@link RateNeuron}) or quantized into integer counts ({@link CountQuantizer}).
 */
public interface ActivationLayer
{
    /** Number of neurons. */
    int size();

    /** The base (non-spiking) activation f. */
    Activation activation();

    /** Output amplitude α (the output of an ideal, non-spiking neuron is α·f(x)). */
    double amplitude();

    /**
     * One time-step: reads {@code x[0..size)} and writes the output of every neuron into {@code out[0..size)}.
     *
     * @return the number of neurons whose output is non-zero this step.
     */
    int forward(double[] x, double[] out);
}
