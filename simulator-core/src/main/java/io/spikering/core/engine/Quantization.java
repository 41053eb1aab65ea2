package io.spikering.core.engine;

import io.spikering.neuron.Activation;

/**
 * Parameters of a count quantizer whose events are valued n * amplitude / dt. With {@link Encoder#SIGMA_DELTA} (the
 * paper's rule) per neuron v += dt * f(x); n = floor(v); v -= n, initial voltages uniform in [0, 1) from {@code seed}.
 * With {@link Encoder#DELTA} (Loihi 2's) n = rint(dt * f(x) - R) when that error reaches {@code threshold} counts,
 * R += n, and the receivers integrate (their projections use {@link Port#SIGMA}).
 *
 * @param activation f applied before quantizing (LINEAR for a state-space memory)
 * @param dt         quantizer time step, &gt; 0 (larger dt: more spikes per step, finer resolution)
 * @param amplitude  output amplitude, &gt; 0
 * @param seed       seed of the initial voltages (SIGMA_DELTA; unused by DELTA, which starts from R = 0)
 * @param encoder    which rule
 * @param threshold  DELTA: the smallest |error| in counts that is sent, &gt;= 0; 0 for SIGMA_DELTA
 */
public record Quantization(Activation activation, double dt, double amplitude, long seed, Encoder encoder, double threshold)
{
    /** The quantizer rule. */
    public enum Encoder
    {
        /** The paper's sigma-delta: events proportional to the activation's level. */
        SIGMA_DELTA,
        /** Loihi 2's: graded events of the activation's change, summed by the receivers. */
        DELTA
    }

    /** The paper's sigma-delta quantizer. */
    public Quantization(final Activation activation, final double dt, final double amplitude, final long seed)
    {
        this(activation, dt, amplitude, seed, Encoder.SIGMA_DELTA, 0.0);
    }

    /** Loihi 2's delta encoder with the given threshold (in counts). */
    public static Quantization delta(final Activation activation, final double dt, final double amplitude, final double threshold)
    {
        return new Quantization(activation, dt, amplitude, 0L, Encoder.DELTA, threshold);
    }

    public Quantization
    {
        if (encoder == null)
        {
            throw new IllegalArgumentException("quantization encoder must not be null");
        }
        if (!(threshold >= 0.0) || Double.isInfinite(threshold) || (encoder == Encoder.SIGMA_DELTA && threshold != 0.0))
        {
            throw new IllegalArgumentException("quantization threshold must be finite and >= 0 (and 0 for the sigma-delta rule), got " +
                threshold);
        }
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

    /** Whether this is Loihi 2's delta encoder (receivers integrate). */
    public boolean isDelta()
    {
        return encoder == Encoder.DELTA;
    }

    /** The value one count stands for: amplitude / dt. */
    public double outputScale()
    {
        return amplitude / dt;
    }
}
