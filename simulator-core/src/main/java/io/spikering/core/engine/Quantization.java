package io.spikering.core.engine;

import io.spikering.neuron.Activation;

/**
 * Parameters of a sigma-delta quantizer: per neuron v += dt * f(x); n = floor(v); v -= n; the emitted value is
 * n * amplitude / dt. Initial voltages are uniform in [0, 1) from {@code seed}.
 *
 * @param activation f applied before quantizing (LINEAR for a state-space memory)
 * @param dt         quantizer time step, &gt; 0 (larger dt: more spikes per step, finer resolution)
 * @param amplitude  output amplitude, &gt; 0
 * @param seed       seed of the initial voltages
 */
public record Quantization(Activation activation, double dt, double amplitude, long seed)
{
    public Quantization
    {
        if (activation == null)
        {
            throw new IllegalArgumentException("quantization activation must not be null (use Activation.LINEAR for none)");
        }
        if (!(dt > 0.0) || Double.isInfinite(dt))
        {
            throw new IllegalArgumentException("quantization dt must be finite and > 0, got " + dt);
        }
        if (!(amplitude > 0.0) || Double.isInfinite(amplitude))
        {
            throw new IllegalArgumentException("quantization amplitude must be finite and > 0, got " + amplitude);
        }
    }

    /** The value one count stands for: amplitude / dt. */
    public double outputScale()
    {
        return amplitude / dt;
    }
}
