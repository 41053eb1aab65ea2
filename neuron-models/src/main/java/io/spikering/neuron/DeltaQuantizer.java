package io.spikering.neuron;

/**
 * Loihi 2's sigma-delta encoding (the sender's delta stage; the receiver sums what it gets, the sigma stage) under the
 * {@link CountQuantizer} API. Per neuron, with R the value the receivers hold (the sum of every count sent since reset):
 * <pre>
 *   a = dt·f(x)                        the activation in counts (one count stands for amplitude/dt)
 *   e = a − R                          what the receivers lack
 *   n = |e| ≥ threshold ? rint(e) : 0  a graded event: its payload is the change, rounded to whole counts
 *   R += n
 * </pre>
 * This is Lava's delta rule with its residue carried, δ = a_t − a_{t−1} + r_{t−1}, send δ when |δ| ≥ threshold,
 * r_t = δ − sent (then R_t = a_t − r_t), with the payload rounded to the count grid. Events follow the change of the
 * activation, not its level: a constant input costs one event, then none. The paper's rule
 * ({@link SigmaDeltaQuantizer}) emits floor(Σ dt·f) − floor(Σ previous), i.e. events proportional to the level.
 * The receivers' copy tracks a to within max(threshold, 1/2) counts at every step.
 *
 * <p>A receiver must integrate the counts it gets (its input is Σ_s w·n_s = w·R): in the engine, projections out of
 * a delta-encoded population deliver into the target's {@code SIGMA} port.
 */
public final class DeltaQuantizer implements CountQuantizer
{
    private final int size;
    private final Activation activation;
    private final double[] held;
    private final int[] scratchCounts;
    private double dt;
    private double amplitude;
    private double threshold;

    /**
     * @param dt        counts per unit of amplitude·f (the payload resolution is amplitude/dt), finite and &gt; 0.
     * @param threshold smallest |e| (in counts) that is sent, finite and &gt;= 0; below 1/2 it has no effect.
     */
    public DeltaQuantizer(final int size, final Activation activation, final double dt, final double amplitude, final double threshold)
    {
        this.size = Checks.positive("size", size);
        this.activation = Checks.notNull(activation);
        this.dt = Checks.positiveFinite("dt", dt);
        this.amplitude = Checks.positiveFinite("amplitude", amplitude);
        this.threshold = nonNegative(threshold);
        held = new double[size];
        scratchCounts = new int[size];
    }

    private static double nonNegative(final double threshold)
    {
        if (!(threshold >= 0.0) || threshold == Double.POSITIVE_INFINITY)
        {
            throw new IllegalArgumentException("threshold must be finite and >= 0, got " + threshold);
        }
        return threshold;
    }

    /** Forgets what was sent: the receivers hold 0 again. */
    public void reset()
    {
        java.util.Arrays.fill(held, 0.0);
    }

    /** The live array of what the receivers hold, in counts (for snapshots). */
    public double[] held()
    {
        return held;
    }

    /** Copies the values the receivers hold (whole counts, as sums of sent counts are). */
    public void setHeld(final double[] values)
    {
        Checks.length("held", values, size);
        for (int i = 0; i < size; i++)
        {
            if (!Double.isFinite(values[i]) || values[i] != Math.rint(values[i]))
            {
                throw new IllegalArgumentException("held[" + i + "] must be a whole number of counts, got " + values[i]);
            }
        }
        System.arraycopy(values, 0, held, 0, size);
    }

    @Override
    public int size()
    {
        return size;
    }

    @Override
    public Activation activation()
    {
        return activation;
    }

    @Override
    public double dt()
    {
        return dt;
    }

    @Override
    public void setDt(final double dt)
    {
        this.dt = Checks.positiveFinite("dt", dt);
    }

    @Override
    public double amplitude()
    {
        return amplitude;
    }

    @Override
    public void setAmplitude(final double amplitude)
    {
        this.amplitude = Checks.positiveFinite("amplitude", amplitude);
    }

    public double threshold()
    {
        return threshold;
    }

    public void setThreshold(final double threshold)
    {
        this.threshold = nonNegative(threshold);
    }

    @Override
    public double outputScale()
    {
        return amplitude / dt;
    }

    @Override
    public int step(final double[] x, final int[] counts)
    {
        Checks.length("x", x, size);
        Checks.length("counts", counts, size);
        final double dt = this.dt;
        final double threshold = this.threshold;
        final double[] r = held;
        int nonZero = 0;
        for (int i = 0; i < size; i++)
        {
            final double xi = x[i];
            if (!Double.isFinite(xi))
            {
                throw Checks.nonFiniteInput("x", i, xi);
            }
            final double e = dt * activation.apply(xi) - r[i];
            final double n = Math.abs(e) >= threshold ? Math.rint(e) : 0.0;
            if (n > Integer.MAX_VALUE || n < Integer.MIN_VALUE)
            {
                throw new IllegalArgumentException("count of neuron " + i + " (" + n + ") exceeds the int range: dt*f(x["
                    + i + "]) = " + dt * activation.apply(xi) + "; reduce dt or the input");
            }
            r[i] += n;
            final int c = (int)n;
            counts[i] = c;
            if (c != 0)
            {
                nonZero++;
            }
        }
        return nonZero;
    }

    /**
     * {@link #step} followed by out[i] = outputScale()·R[i]: what a receiver with unit weight holds (the decoded
     * activation), not the events themselves.
     */
    @Override
    public int forward(final double[] x, final double[] out)
    {
        Checks.length("out", out, size);
        final int nonZero = step(x, scratchCounts);
        final double scale = outputScale();
        for (int i = 0; i < size; i++)
        {
            out[i] = scale * held[i];
        }
        return nonZero;
    }
}
