package io.spikering.neuron;

/**
 * An {@link ActivationLayer} whose output is an integer count per neuron per step, scaled by
 * {@link #outputScale()} = amplitude/dt. Downstream layers multiply weights by the (small) integer counts and fold
 * the scale into the weights.
 */
public interface CountQuantizer extends ActivationLayer
{
    /** The time-step dt; larger dt means finer quantization (output step α/dt), smaller dt sparser spikes. */
    double dt();

    void setDt(double dt);

    void setAmplitude(double amplitude);

    /** amplitude/dt: output = outputScale()·count. */
    double outputScale();

    /**
     * One time-step: reads {@code x[0..size)}, writes the signed integer count of every neuron into
     * {@code counts[0..size)}.
     *
     * @return the number of non-zero counts.
     */
    int step(double[] x, int[] counts);
}
