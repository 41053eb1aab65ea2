package io.spikering.neuron;

/**
 * The sigma-delta (regular spiking) quantizer of "A Spike in Performance" (paper-spec §1.2), per neuron:
 * <pre>
 *   v += dt·f(x);  n = floor(v);  v -= n;  output = amplitude·n/dt
 * </pre>
 * The voltage v stays in [0, 1), so the cumulative output tracks the cumulative ideal output α·Σf(x) to within
 * α/dt at every step (error diffusion). Large dt approaches the non-spiking activation; dt·max|f| ≤ 1 gives at most
 * one (signed) spike per step. Counts are signed when f can be negative.
 */
public final class SigmaDeltaQuantizer implements CountQuantizer
{
    private static final long GOLDEN_GAMMA = 0x9e3779b97f4a7c15L;

    private final int size;
    private final Activation activation;
    private final double[] voltages;
    private final int[] scratchCounts;
    private double dt;
    private double amplitude;

    /** Creates {@code size} neurons with voltages drawn uniformly from [0, 1) by a generator seeded with {@code seed}. */
    public SigmaDeltaQuantizer(final int size, final Activation activation, final double dt, final double amplitude, final long seed)
    {
        this.size = Checks.positive("size", size);
        this.activation = Checks.notNull(activation);
        this.dt = Checks.positiveFinite("dt", dt);
        this.amplitude = Checks.positiveFinite("amplitude", amplitude);
        this.voltages = new double[size];
        this.scratchCounts = new int[size];
        initVoltages(seed);
    }

    /** Redraws every voltage uniformly from [0, 1) (java.util.SplittableRandom seeded with {@code seed}). */
    public void initVoltages(final long seed)
    {
        // SplittableRandom(seed).nextDouble() inlined (SplitMix64, Steele et al. 2014): the same doubles, without the
        // generator object, so a per-sample reset allocates nothing (C2 did not scalar-replace it)
        long state = seed;
        for (int i = 0; i < size; i++)
        {
            state += GOLDEN_GAMMA;
            voltages[i] = (mix64(state) >>> 11) * 0x1.0p-53;
        }
    }

    private static long mix64(final long s)
    {
        long z = (s ^ (s >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }

    /** Copies the given voltages; each must lie in [0, 1). */
    public void setVoltages(final double[] v)
    {
        Checks.length("v", v, size);
        for (int i = 0; i < size; i++)
        {
            if (!(v[i] >= 0.0 && v[i] < 1.0))
            {
                throw new IllegalArgumentException("v[" + i + "] must be in [0, 1), got " + v[i]);
            }
        }
        System.arraycopy(v, 0, voltages, 0, size);
    }

    /** The live voltage array (for snapshots); do not write values outside [0, 1). */
    public double[] voltages()
    {
        return voltages;
    }

    public int size()
    {
        return size;
    }

    public Activation activation()
    {
        return activation;
    }

    public double dt()
    {
        return dt;
    }

    public void setDt(final double dt)
    {
        this.dt = Checks.positiveFinite("dt", dt);
    }

    public double amplitude()
    {
        return amplitude;
    }

    public void setAmplitude(final double amplitude)
    {
        this.amplitude = Checks.positiveFinite("amplitude", amplitude);
    }

    public double outputScale()
    {
        return amplitude / dt;
    }

    public int step(final double[] x, final int[] counts)
    {
        Checks.length("x", x, size);
        Checks.length("counts", counts, size);
        final double dt = this.dt;
        final double[] v = voltages;
        int nonZero = 0;
        for (int i = 0; i < size; i++)
        {
            final double xi = x[i];
            if (!Double.isFinite(xi))
            {
                throw Checks.nonFiniteInput("x", i, xi);
            }
            double vi = v[i] + dt * activation.apply(xi);
            double n = Math.floor(vi);
            vi -= n;
            if (vi >= 1.0)
            {
                // v slightly below an integer (e.g. -1e-17): v - floor(v) rounds up to 1.0; emit that spike now
                vi -= 1.0;
                n += 1.0;
            }
            if (n > Integer.MAX_VALUE || n < Integer.MIN_VALUE)
            {
                throw new IllegalArgumentException("count of neuron " + i + " (" + n + ") exceeds the int range: dt*f(x["
                    + i + "]) = " + dt * activation.apply(xi) + "; reduce dt or the input");
            }
            v[i] = vi;
            final int c = (int)n;
            counts[i] = c;
            if (c != 0)
            {
                nonZero++;
            }
        }
        return nonZero;
    }

    /** {@link #step} followed by out[i] = outputScale()·counts[i]. */
    public int forward(final double[] x, final double[] out)
    {
        Checks.length("out", out, size);
        final int nonZero = step(x, scratchCounts);
        final double scale = outputScale();
        for (int i = 0; i < size; i++)
        {
            out[i] = scale * scratchCounts[i];
        }
        return nonZero;
    }
}
