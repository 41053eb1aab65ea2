package io.spikering.neuron;

/**
 * Current-based leaky integrate-and-fire neurons with exponentially decaying excitatory and inhibitory synaptic
 * currents, integrated exactly over each step h as NEST's {@code iaf_psc_exp} (Rotter &amp; Diesmann 1999):
 * <pre>
 *   V ← E_L + (V − E_L)·P22 + i_ex·P21ex + i_in·P21in      (only when not refractory)
 *   i_ex ← i_ex·P11ex + Σw_ex;   i_in ← i_in·P11in + Σw_in   (weights arriving this step, pA)
 *   if V ≥ V_th: spike, V ← V_reset, refractory for round(t_ref/h) steps
 *   P22 = e^(−h/τm), P11 = e^(−h/τs), P21 = τs·τm/(Cm·(τm−τs))·(e^(−h/τm) − e^(−h/τs))  (h/Cm·e^(−h/τm) if τs = τm)
 * </pre>
 * Units: ms, mV, pF, pA. Inputs arriving at a step act on V from the next step on, as in NEST.
 */
public final class CubaLif
{
    /** Whether the JVM has the Vector API module, so that {@link CubaLifVector} can run. */
    private static final boolean VECTOR_MODULE = ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent();
    /** Neurons per block of the vector kernel. */
    private static final int LANES = VECTOR_MODULE ? CubaLifVector.LANES : 1;

    /** Neuron parameters (ms, pF, mV). */
    public record Parameters(double tauMs, double cmPf, double eLMv, double vThMv, double vResetMv, double tRefMs,
        double tauExMs, double tauInMs)
    {
        public Parameters
        {
            Checks.positiveFinite("tauMs", tauMs);
            Checks.positiveFinite("cmPf", cmPf);
            Checks.finite("eLMv", eLMv);
            Checks.finite("vThMv", vThMv);
            Checks.finite("vResetMv", vResetMv);
            if (!(tRefMs >= 0.0) || !Double.isFinite(tRefMs))
            {
                throw new IllegalArgumentException("tRefMs must be finite and >= 0, got " + tRefMs);
            }
            Checks.positiveFinite("tauExMs", tauExMs);
            Checks.positiveFinite("tauInMs", tauInMs);
            if (!(vResetMv < vThMv))
            {
                throw new IllegalArgumentException("vResetMv (" + vResetMv + ") must be below vThMv (" + vThMv + ")");
            }
        }

        /** Brette et al. 2007 CUBA benchmark (anchors.md D.2): E_L −49 mV lies above V_th, so neurons fire tonically. */
        public static Parameters cuba()
        {
            return new Parameters(20.0, 200.0, -49.0, -50.0, -60.0, 5.0, 5.0, 10.0);
        }
    }

    private final int size;
    private final Parameters p;
    private final double dtMs;
    private final double p22;
    private final double p11ex;
    private final double p11in;
    private final double p21ex;
    private final double p21in;
    private final int refractorySteps;
    private final double[] membrane;
    private final double[] currentEx;
    private final double[] currentIn;
    private final int[] refractory;
    /**
     * Neurons with refractory[i] > 0, and their held membrane potentials (step() keeps V fixed while refractory): those
     * of range r at [bounds[r], bounds[r] + range r's count), so that ranges can be stepped by different threads.
     */
    private final int[] refractoryList;
    private final double[] held;
    /** Vector kernel: first indices of the blocks with a potential at or above threshold, range r's from bounds[r]. */
    private final int[] candidates;
    /**
     * The Vector API kernel ({@link CubaLifVector}) or the scalar loop; bit-identical results. The kernel is opt-in
     * ({@code -Dspikering.lif.vector=true}, which {@code bench} sets): C2 now and then compiles it into code that boxes
     * vectors, so a step allocates (80–300 bytes per step seen in fresh JVMs), which the scalar loop never does.
     */
    private boolean vector = VECTOR_MODULE && Boolean.getBoolean("spikering.lif.vector");
    /** Ranges [bounds[r], bounds[r + 1]) for {@link #stepRange}; one range [0, size) until {@link #partition}. */
    private int[] bounds;
    /** Range r's count at refractoryCounts[r * COUNT_STRIDE]: a 64-byte line apart, as different threads write them. */
    private int[] refractoryCounts;
    private static final int COUNT_STRIDE = 16;
    private int ranges;

    /** {@code size} neurons at rest (V = E_L, no synaptic current, not refractory), integrated with step {@code dtMs}. */
    public CubaLif(final int size, final Parameters p, final double dtMs)
    {
        this.size = Checks.positive("size", size);
        if (p == null)
        {
            throw new IllegalArgumentException("p must not be null: use CubaLif.Parameters.cuba() or new Parameters(...)");
        }
        this.p = p;
        this.dtMs = Checks.positiveFinite("dtMs", dtMs);
        p22 = Math.exp(-dtMs / p.tauMs());
        p11ex = Math.exp(-dtMs / p.tauExMs());
        p11in = Math.exp(-dtMs / p.tauInMs());
        p21ex = currentToVoltage(p.tauExMs(), p.tauMs(), p.cmPf(), dtMs);
        p21in = currentToVoltage(p.tauInMs(), p.tauMs(), p.cmPf(), dtMs);
        refractorySteps = (int)Math.round(p.tRefMs() / dtMs);
        membrane = new double[size];
        currentEx = new double[size];
        currentIn = new double[size];
        refractory = new int[size];
        refractoryList = new int[size];
        held = new double[size];
        candidates = new int[size];
        bounds = new int[] {0, size};
        refractoryCounts = new int[1];
        ranges = 1;
        java.util.Arrays.fill(membrane, p.eLMv());
    }

    /** Voltage at time h caused by a unit current at time 0 decaying with tauSyn, through a membrane (tauM, cm). */
    static double currentToVoltage(final double tauSyn, final double tauM, final double cm, final double h)
    {
        // τs·τm/(τm−τs)·(e^(−h/τm) − e^(−h/τs)) rewritten as e^(−h/τm)·(1 − e^(−hΔ))/Δ, Δ = 1/τs − 1/τm:
        // no cancellation when τs ≈ τm, and the limit h·e^(−h/τm) at Δ = 0
        final double delta = (tauM - tauSyn) / (tauSyn * tauM);
        final double decay = Math.exp(-h / tauM);
        return delta == 0.0 ? h / cm * decay : decay * -Math.expm1(-h * delta) / (cm * delta);
    }

    /**
     * Advances one step. {@code exInput[i]}/{@code inInput[i]} are the summed weights (pA; inhibitory ones normally
     * negative) arriving at neuron i this step. Writes the indices of the neurons that spiked into
     * {@code spikes[0..n)} in increasing order and returns n. A non-finite input throws (naming it) after the
     * step's update, leaving the state undefined. Results are bit-identical to the plain per-neuron loop of the
     * class comment (CubaLifFastPathTest); the loop is split so that the update of all neurons vectorises. With the
     * {@code jdk.incubator.vector} module the update runs as {@link CubaLifVector}, which also flags the blocks of
     * neurons that may spike, so that the threshold scan skips the others; without it, a loop C2 vectorises and a
     * scan of every neuron. Both give the same results.
     */
    public int step(final double[] exInput, final double[] inInput, final int[] spikes)
    {
        return step(exInput, inInput, spikes, false);
    }

    /**
     * As {@link #step}, and zeroes {@code exInput} and {@code inInput} in the same pass (an engine's input slots are
     * read once and cleared for reuse). A non-finite input is named as by {@link #step}; the inputs are then zeroed
     * wholly or in part.
     */
    public int stepAndClear(final double[] exInput, final double[] inInput, final int[] spikes)
    {
        return step(exInput, inInput, spikes, true);
    }

    private int step(final double[] exInput, final double[] inInput, final int[] spikes, final boolean clear)
    {
        Checks.length("exInput", exInput, size);
        Checks.length("inInput", inInput, size);
        Checks.atLeast("spikes", spikes, size);
        int n = 0;
        for (int r = 0; r < ranges; r++)
        {
            n += update(r, exInput, inInput, spikes, n, clear);
        }
        return n;
    }

    /** Whether {@link #step} runs the Vector API kernel (the module is there and {@code spikering.lif.vector} is true). */
    public boolean vectorised()
    {
        return vector;
    }

    /** Tests: run the scalar loop (false) or the Vector API kernel (true, needs the module); results are the same. */
    void useVector(final boolean on)
    {
        if (on && !VECTOR_MODULE)
        {
            throw new IllegalStateException("the Vector API kernel needs the JVM option --add-modules=jdk.incubator.vector");
        }
        vector = on;
    }

    /**
     * Splits the neurons into ranges [bounds[r], bounds[r + 1]) that {@link #stepRange} advances independently (bounds
     * from 0 to size, non-decreasing); stepping every range once is the same as one {@link #step}, bit for bit.
     * Distinct ranges touch distinct array elements, so different threads may step them concurrently.
     */
    public void partition(final int[] rangeBounds)
    {
        if (rangeBounds == null || rangeBounds.length < 2 || rangeBounds[0] != 0 || rangeBounds[rangeBounds.length - 1] != size)
        {
            throw new IllegalArgumentException("rangeBounds must run from 0 to size " + size + ", got " +
                java.util.Arrays.toString(rangeBounds));
        }
        for (int r = 1; r < rangeBounds.length; r++)
        {
            if (rangeBounds[r] < rangeBounds[r - 1])
            {
                throw new IllegalArgumentException("rangeBounds must be non-decreasing, got " + java.util.Arrays.toString(rangeBounds));
            }
        }
        bounds = rangeBounds.clone();
        ranges = bounds.length - 1;
        refractoryCounts = new int[(ranges - 1) * COUNT_STRIDE + 1];
        for (int r = 0; r < ranges; r++)
        {
            int count = 0;
            for (int i = bounds[r]; i < bounds[r + 1]; i++)
            {
                if (refractory[i] > 0)
                {
                    refractoryList[bounds[r] + count++] = i;
                }
            }
            refractoryCounts[r * COUNT_STRIDE] = count;
        }
    }

    /** Number of ranges ({@link #partition}; 1 by default). */
    public int ranges()
    {
        return ranges;
    }

    /**
     * Advances the neurons of range r by one step, as {@link #step} does for all: inputs are read at the range's
     * indices, and the range's spiking neurons are written ascending to {@code spikes[offset..offset + n)}; returns n.
     */
    public int stepRange(final int r, final double[] exInput, final double[] inInput, final int[] spikes, final int offset)
    {
        return stepRange(r, exInput, inInput, spikes, offset, false);
    }

    /** As {@link #stepRange}, and zeroes the range's inputs in the same pass (as {@link #stepAndClear} does for all). */
    public int stepRangeAndClear(final int r, final double[] exInput, final double[] inInput, final int[] spikes, final int offset)
    {
        return stepRange(r, exInput, inInput, spikes, offset, true);
    }

    private int stepRange(final int r, final double[] exInput, final double[] inInput, final int[] spikes, final int offset,
        final boolean clear)
    {
        if (r < 0 || r >= ranges)
        {
            throw new IllegalArgumentException("range must be in [0, " + ranges + "), got " + r);
        }
        Checks.length("exInput", exInput, size);
        Checks.length("inInput", inInput, size);
        if (offset < 0 || spikes == null || spikes.length - offset < bounds[r + 1] - bounds[r])
        {
            throw new IllegalArgumentException("spikes from offset " + offset + " must hold the range's " + (bounds[r + 1] - bounds[r]) +
                " neurons");
        }
        return update(r, exInput, inInput, spikes, offset, clear);
    }

    private int update(final int r, final double[] exInput, final double[] inInput, final int[] spikes, final int offset,
        final boolean clear)
    {
        final double[] v = membrane;
        final double[] iEx = currentEx;
        final double[] iIn = currentIn;
        final int[] list = refractoryList;
        final int lo = bounds[r];
        final int hi = bounds[r + 1];
        final int refractoryNow = refractoryCounts[r * COUNT_STRIDE];
        for (int k = lo; k < lo + refractoryNow; k++)
        {
            held[k] = v[list[k]];
        }
        final double vTh = p.vThMv();
        // Every neuron, branch-free so that it vectorises; refractory neurons are put back below. The scalar loop does
        // [lo, hi) and the threshold scan visits all of it; the vector kernel does the aligned blocks [start, end), the
        // scalar loop the neurons before and after them, and the scan only those and the kernel's candidate blocks.
        int start = hi;
        int end = hi;
        int blocks = 0;
        if (vector)
        {
            start = CubaLifVector.start(lo, hi);
            end = CubaLifVector.end(start, hi);
            blocks = CubaLifVector.update(v, iEx, iIn, exInput, inInput, clear, start, hi, p.eLMv(), p22, p21ex, p21in, p11ex, p11in,
                vTh, candidates, lo);
            updateScalar(exInput, inInput, clear, lo, start);
            updateScalar(exInput, inInput, clear, end, hi);
        }
        else
        {
            updateScalar(exInput, inInput, clear, lo, hi);
        }
        boolean scanAll = !vector;
        int still = lo;
        for (int k = lo; k < lo + refractoryNow; k++)
        {
            final int i = list[k];
            if (v[i] != v[i])
            {
                throw firstNonFinite(exInput, inInput, lo, hi, clear);
            }
            v[i] = held[k];
            // a potential held at or above threshold (setMembrane) spikes again, but is in no candidate block
            scanAll |= !(v[i] < vTh);
            if (--refractory[i] > 0)
            {
                list[still++] = i;
            }
        }
        refractoryCounts[r * COUNT_STRIDE] = still - lo;
        int n = offset;
        if (scanAll)
        {
            n = scan(r, lo, hi, spikes, n, exInput, inInput, clear);
        }
        else
        {
            n = scan(r, lo, start, spikes, n, exInput, inInput, clear);
            for (int q = lo; q < lo + blocks; q++)
            {
                n = scan(r, candidates[q], candidates[q] + LANES, spikes, n, exInput, inInput, clear);
            }
            n = scan(r, end, hi, spikes, n, exInput, inInput, clear);
        }
        return n - offset;
    }

    /**
     * The threshold test of neurons [from, to) of range r: each one at or above threshold spikes (written to
     * {@code spikes[n..]}), is reset and turns refractory. Returns the new n.
     */
    private int scan(final int r, final int from, final int to, final int[] spikes, final int n0, final double[] exInput,
        final double[] inInput, final boolean clear)
    {
        final double[] v = membrane;
        final double vTh = p.vThMv();
        int n = n0;
        for (int i = from; i < to; i++)
        {
            if (!(v[i] < vTh))
            {
                if (v[i] != v[i])
                {
                    throw firstNonFinite(exInput, inInput, bounds[r], bounds[r + 1], clear);
                }
                if (refractory[i] == 0 && refractorySteps > 0)
                {
                    refractoryList[bounds[r] + refractoryCounts[r * COUNT_STRIDE]++] = i;
                }
                refractory[i] = refractorySteps;
                v[i] = p.vResetMv();
                spikes[n++] = i;
            }
        }
        return n;
    }

    /** The update of neurons [from, to) as the vector kernel does it, one neuron at a time (C2 vectorises the loop). */
    private void updateScalar(final double[] exInput, final double[] inInput, final boolean clear, final int from, final int to)
    {
        final double[] v = membrane;
        final double[] iEx = currentEx;
        final double[] iIn = currentIn;
        final double eL = p.eLMv();
        final double p22 = this.p22;
        final double p21ex = this.p21ex;
        final double p21in = this.p21in;
        final double p11ex = this.p11ex;
        final double p11in = this.p11in;
        // two loops: C2 does not vectorise the loop with the test of clear in it
        if (clear)
        {
            for (int i = from; i < to; i++)
            {
                // + w·0.0 leaves a finite V unchanged to the bit and turns it NaN when an input is NaN or infinite,
                // so the threshold scan needs to look at V only
                final double ex = exInput[i];
                final double in = inInput[i];
                v[i] = eL + (v[i] - eL) * p22 + iEx[i] * p21ex + iIn[i] * p21in + (ex * 0.0 + in * 0.0);
                iEx[i] = iEx[i] * p11ex + ex;
                iIn[i] = iIn[i] * p11in + in;
                exInput[i] = 0.0;
                inInput[i] = 0.0;
            }
        }
        else
        {
            for (int i = from; i < to; i++)
            {
                final double ex = exInput[i];
                final double in = inInput[i];
                v[i] = eL + (v[i] - eL) * p22 + iEx[i] * p21ex + iIn[i] * p21in + (ex * 0.0 + in * 0.0);
                iEx[i] = iEx[i] * p11ex + ex;
                iIn[i] = iIn[i] * p11in + in;
            }
        }
    }

    /**
     * The first non-finite input in [lo, hi). Cleared inputs are read off the new currents instead: i ← i·P11 + w is
     * non-finite exactly when the input w was (the currents were finite), and then it is w itself (±∞, or NaN).
     */
    private IllegalArgumentException firstNonFinite(final double[] exInput, final double[] inInput, final int lo, final int hi,
        final boolean cleared)
    {
        if (cleared)
        {
            return firstNonFinite(currentEx, currentIn, lo, hi, false);
        }
        for (int i = lo; i < hi; i++)
        {
            if (!Double.isFinite(exInput[i]))
            {
                return Checks.nonFiniteInput("exInput", i, exInput[i]);
            }
            if (!Double.isFinite(inInput[i]))
            {
                return Checks.nonFiniteInput("inInput", i, inInput[i]);
            }
        }
        return new IllegalArgumentException("membrane potential became NaN with finite inputs; state is corrupt");
    }

    public int size()
    {
        return size;
    }

    public Parameters parameters()
    {
        return p;
    }

    public double dtMs()
    {
        return dtMs;
    }

    /** Refractory period in steps: round(t_ref/h). */
    public int refractorySteps()
    {
        return refractorySteps;
    }

    /** Live view of the membrane potentials (mV). */
    public double[] membrane()
    {
        return membrane;
    }

    public void setMembrane(final int i, final double mv)
    {
        if (i < 0 || i >= size)
        {
            throw new IllegalArgumentException("i must be in [0, " + size + "), got " + i);
        }
        membrane[i] = Checks.finite("mv", mv);
    }

    /** Live view of the excitatory synaptic currents (pA). */
    public double[] excitatoryCurrent()
    {
        return currentEx;
    }

    /** Live view of the inhibitory synaptic currents (pA). */
    public double[] inhibitoryCurrent()
    {
        return currentIn;
    }

    /**
     * Sets neuron i's remaining refractory steps (0 = not refractory), keeping step()'s list of refractory neurons
     * consistent; with {@link #setMembrane} and the live current arrays this restores a saved state exactly.
     */
    public void setRefractory(final int i, final int steps)
    {
        if (i < 0 || i >= size)
        {
            throw new IllegalArgumentException("i must be in [0, " + size + "), got " + i);
        }
        if (steps < 0)
        {
            throw new IllegalArgumentException("steps must be >= 0, got " + steps);
        }
        final int[] list = refractoryList;
        int r = 0;
        while (i >= bounds[r + 1])
        {
            r++;
        }
        final int lo = bounds[r];
        if (refractory[i] == 0 && steps > 0)
        {
            list[lo + refractoryCounts[r * COUNT_STRIDE]++] = i;
        }
        else if (refractory[i] > 0 && steps == 0)
        {
            for (int k = lo; k < lo + refractoryCounts[r * COUNT_STRIDE]; k++)
            {
                if (list[k] == i)
                {
                    System.arraycopy(list, k + 1, list, k, lo + refractoryCounts[r * COUNT_STRIDE] - k - 1);
                    refractoryCounts[r * COUNT_STRIDE]--;
                    break;
                }
            }
        }
        refractory[i] = steps;
    }

    /** Live view of the remaining refractory steps per neuron (read only: use {@link #setRefractory}). */
    public int[] refractoryCounters()
    {
        return refractory;
    }
}
