package io.spikering.neuron;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * CubaLif.step and stepAndClear, with the Vector API kernel and with the scalar loop, against the plain
 * one-loop-per-neuron form, bit for bit. Surefire runs the tests with the jdk.incubator.vector module (the root pom's
 * test.argLine), so both kernels are exercised.
 */
class CubaLifFastPathTest
{
    /** The obvious per-neuron loop (the form NEST's iaf_psc_exp update takes). */
    private static final class Reference
    {
        final double[] v;
        final double[] iEx;
        final double[] iIn;
        final int[] refractory;
        final double p22;
        final double p11ex;
        final double p11in;
        final double p21ex;
        final double p21in;
        final int refractorySteps;
        final CubaLif.Parameters p;

        Reference(final int size, final CubaLif.Parameters p, final double h)
        {
            this.p = p;
            v = new double[size];
            Arrays.fill(v, p.eLMv());
            iEx = new double[size];
            iIn = new double[size];
            refractory = new int[size];
            p22 = Math.exp(-h / p.tauMs());
            p11ex = Math.exp(-h / p.tauExMs());
            p11in = Math.exp(-h / p.tauInMs());
            p21ex = CubaLif.currentToVoltage(p.tauExMs(), p.tauMs(), p.cmPf(), h);
            p21in = CubaLif.currentToVoltage(p.tauInMs(), p.tauMs(), p.cmPf(), h);
            refractorySteps = (int)Math.round(p.tRefMs() / h);
        }

        int step(final double[] ex, final double[] in, final int[] spikes)
        {
            int n = 0;
            for (int i = 0; i < v.length; i++)
            {
                if (refractory[i] == 0)
                {
                    v[i] = p.eLMv() + (v[i] - p.eLMv()) * p22 + iEx[i] * p21ex + iIn[i] * p21in;
                }
                else
                {
                    refractory[i]--;
                }
                iEx[i] = iEx[i] * p11ex + ex[i];
                iIn[i] = iIn[i] * p11in + in[i];
                if (v[i] >= p.vThMv())
                {
                    refractory[i] = refractorySteps;
                    v[i] = p.vResetMv();
                    spikes[n++] = i;
                }
            }
            return n;
        }
    }

    /** Every kernel (vector, scalar) and form (step, stepAndClear) against the reference. */
    private static void compare(final CubaLif.Parameters p, final long seed, final int steps)
    {
        for (final boolean vector : new boolean[] {true, false})
        {
            for (final boolean clear : new boolean[] {false, true})
            {
                compare(p, seed, steps, vector, clear);
            }
        }
    }

    private static CubaLif kernel(final CubaLif lif, final boolean vector)
    {
        lif.useVector(vector);
        assertEquals(vector, lif.vectorised());
        return lif;
    }

    @Test
    void theVectorKernelIsOptInAndTheTestsCanRunIt()
    {
        final CubaLif lif = new CubaLif(10, CubaLif.Parameters.cuba(), 0.1);
        assertEquals(Boolean.getBoolean("spikering.lif.vector"), lif.vectorised(), "the kernel runs only with -Dspikering.lif.vector=true");
        lif.useVector(true); // the tests need --add-modules=jdk.incubator.vector (the root pom's test.argLine)
        assertTrue(lif.vectorised());
    }

    private static void compare(final CubaLif.Parameters p, final long seed, final int steps, final boolean vector, final boolean clear)
    {
        // not a multiple of any vector length: the scalar tail runs too
        final int size = 300;
        final CubaLif fast = kernel(new CubaLif(size, p, 0.1), vector);
        final Reference ref = new Reference(size, p, 0.1);
        final SplittableRandom random = new SplittableRandom(seed);
        for (int i = 0; i < size; i++)
        {
            final double v0 = p.vResetMv() + random.nextDouble() * (p.vThMv() - p.vResetMv());
            fast.setMembrane(i, v0);
            ref.v[i] = v0;
        }
        final double[] ex = new double[size];
        final double[] in = new double[size];
        final int[] s1 = new int[size];
        final int[] s2 = new int[size];
        long spikes = 0;
        for (int t = 0; t < steps; t++)
        {
            Arrays.fill(ex, 0);
            Arrays.fill(in, 0);
            for (int k = 0; k < 20; k++)
            {
                ex[random.nextInt(size)] += 16.2 * random.nextInt(4);
                if (k < 2)
                {
                    in[random.nextInt(size)] -= 139.5 * random.nextInt(2);
                }
            }
            if (t % 97 == 13)
            {
                // set membranes mid-run, refractory neurons included (they then hold the new value)
                final int i = random.nextInt(size);
                final double mv = p.vResetMv() + random.nextDouble() * 15;
                fast.setMembrane(i, mv);
                ref.v[i] = mv;
            }
            if (t % 101 == 17)
            {
                // a refractory neuron held at threshold spikes again; a strong inhibitory current keeps the potential the
                // update computes for it (and puts back) below threshold, so the vector kernel flags no block for it
                for (int i = 0; i < size; i++)
                {
                    if (ref.refractory[i] > 1)
                    {
                        fast.setMembrane(i, p.vThMv());
                        ref.v[i] = p.vThMv();
                        fast.inhibitoryCurrent()[i] = -1e5;
                        ref.iIn[i] = -1e5;
                        break;
                    }
                }
            }
            final double[] exCopy = ex.clone();
            final double[] inCopy = in.clone();
            final int n1 = clear ? fast.stepAndClear(exCopy, inCopy, s1) : fast.step(exCopy, inCopy, s1);
            final int n2 = ref.step(ex, in, s2);
            assertArrayEquals(clear ? new double[size] : ex, exCopy, "excitatory input after step " + t);
            assertArrayEquals(clear ? new double[size] : in, inCopy, "inhibitory input after step " + t);
            assertEquals(n2, n1, "spike count at step " + t);
            assertArrayEquals(Arrays.copyOf(s2, n2), Arrays.copyOf(s1, n1), "spikes at step " + t);
            assertArrayEquals(ref.v, fast.membrane(), "membrane at step " + t);
            assertArrayEquals(ref.iEx, fast.excitatoryCurrent(), "excitatory current at step " + t);
            assertArrayEquals(ref.iIn, fast.inhibitoryCurrent(), "inhibitory current at step " + t);
            assertArrayEquals(ref.refractory, fast.refractoryCounters(), "refractory counters at step " + t);
            spikes += n1;
        }
        assertTrue(spikes > steps / 10, "spikes " + spikes);
    }

    @Test
    void cubaParametersBitIdentical()
    {
        compare(CubaLif.Parameters.cuba(), 1, 5000);
    }

    @Test
    void noRefractoryPeriodBitIdentical()
    {
        final CubaLif.Parameters c = CubaLif.Parameters.cuba();
        compare(new CubaLif.Parameters(c.tauMs(), c.cmPf(), c.eLMv(), c.vThMv(), c.vResetMv(), 0.0, c.tauExMs(), c.tauInMs()), 2, 3000);
    }

    @Test
    void equalTimeConstantsAndShortRefractoryBitIdentical()
    {
        compare(new CubaLif.Parameters(10.0, 250.0, -45.0, -50.0, -65.0, 0.1, 10.0, 10.0), 3, 3000);
    }

    /** All neurons at V_reset (rest, E_L, lies above threshold in CUBA). */
    private static CubaLif below(final CubaLif lif)
    {
        for (int i = 0; i < lif.size(); i++)
        {
            lif.setMembrane(i, lif.parameters().vResetMv());
        }
        return lif;
    }

    private static int step(final CubaLif lif, final double[] ex, final double[] in, final int[] spikes, final boolean clear)
    {
        return clear ? lif.stepAndClear(ex, in, spikes) : lif.step(ex, in, spikes);
    }

    /**
     * Size 4 (scalar loop only), and size 24 with the bad inputs at every base b: in the neurons before the vector
     * kernel's aligned blocks, in a block, or after the blocks, whatever the vector length.
     */
    @Test
    void nonFiniteInputOfARefractoryNeuronIsNamedTheFirstOneWins()
    {
        for (final boolean vector : new boolean[] {true, false})
        {
            for (final boolean clear : new boolean[] {false, true})
            {
                for (final int size : new int[] {4, 24})
                {
                    for (int b = 0; b + 4 <= size; b++)
                    {
                        final String where = "vector " + vector + ", clear " + clear + ", size " + size + ", base " + b;
                        final CubaLif lif = below(kernel(new CubaLif(size, CubaLif.Parameters.cuba(), 0.1), vector));
                        lif.setMembrane(b + 3, -49.0);
                        final int[] spikes = new int[size];
                        assertEquals(1, step(lif, new double[size], new double[size], spikes, clear), "neuron b + 3 spikes and turns refractory");
                        final double[] ex = new double[size];
                        final double[] in = new double[size];
                        ex[b + 2] = Double.NaN;
                        ex[b + 3] = Double.NaN;
                        in[b + 1] = Double.POSITIVE_INFINITY;
                        final IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> step(lif, ex, in, spikes, clear));
                        assertTrue(e.getMessage().contains("inInput[" + (b + 1) + "]") && e.getMessage().endsWith("Infinity"),
                            where + ": " + e.getMessage());
                        final CubaLif other = below(kernel(new CubaLif(size, CubaLif.Parameters.cuba(), 0.1), vector));
                        other.setMembrane(b + 3, -49.0);
                        other.step(new double[size], new double[size], spikes);
                        final double[] ex3 = new double[size];
                        ex3[b + 3] = Double.NaN;
                        final IllegalArgumentException refractory = assertThrows(IllegalArgumentException.class,
                            () -> step(other, ex3, new double[size], spikes, clear));
                        assertTrue(refractory.getMessage().contains("exInput[" + (b + 3) + "]") && refractory.getMessage().endsWith("NaN"),
                            where + ": " + refractory.getMessage());
                    }
                }
            }
        }
    }

    @Test
    void infiniteInputIsNamed()
    {
        for (final boolean vector : new boolean[] {true, false})
        {
            for (final boolean clear : new boolean[] {false, true})
            {
                for (int i = 0; i < 24; i++)
                {
                    final CubaLif lif = kernel(new CubaLif(24, CubaLif.Parameters.cuba(), 0.1), vector);
                    final double[] in = new double[24];
                    in[i] = Double.NEGATIVE_INFINITY;
                    final IllegalArgumentException ex = assertThrows(IllegalArgumentException.class,
                        () -> step(lif, new double[24], in, new int[24], clear));
                    assertTrue(ex.getMessage().contains("inInput[" + i + "]") && ex.getMessage().endsWith("-Infinity"), ex.getMessage());
                }
            }
        }
    }

    /**
     * Ranges stepped one by one (last range first, empty ranges included, re-partitioned and refractory counters set
     * mid-run) give the same state and, range after range, the same spikes as one {@link CubaLif#step}.
     */
    @Test
    void rangesSteppedSeparatelyEqualOneStep()
    {
        rangesSteppedSeparatelyEqualOneStep(true, false);
        rangesSteppedSeparatelyEqualOneStep(true, true);
        rangesSteppedSeparatelyEqualOneStep(false, true);
    }

    /** The whole population stepped with the scalar loop without clearing; the ranges with {@code vector} and {@code clear}. */
    private static void rangesSteppedSeparatelyEqualOneStep(final boolean vector, final boolean clear)
    {
        final CubaLif.Parameters p = CubaLif.Parameters.cuba();
        final int size = 203;
        final CubaLif whole = kernel(new CubaLif(size, p, 0.1), false);
        final CubaLif split = kernel(new CubaLif(size, p, 0.1), vector);
        final SplittableRandom random = new SplittableRandom(11);
        for (int i = 0; i < size; i++)
        {
            final double v0 = p.vResetMv() + random.nextDouble() * (p.vThMv() - p.vResetMv());
            whole.setMembrane(i, v0);
            split.setMembrane(i, v0);
        }
        final double[] ex = new double[size];
        final double[] in = new double[size];
        final int[] s1 = new int[size];
        final int[] s2 = new int[size];
        final int[][] partitions = {{0, 64, 64, 150, 203}, {0, 203}, {0, 1, 100, 202, 203}, {0, 0, 203, 203}, {0, 8, 27, 203}};
        long spikes = 0;
        for (int t = 0; t < 3000; t++)
        {
            if (t % 500 == 0)
            {
                split.partition(partitions[(t / 500) % partitions.length]);
            }
            Arrays.fill(ex, 0);
            Arrays.fill(in, 0);
            for (int k = 0; k < 20; k++)
            {
                ex[random.nextInt(size)] += 16.2 * random.nextInt(4);
                in[random.nextInt(size)] -= 139.5 * random.nextInt(2) * (k < 2 ? 1 : 0);
            }
            if (t % 89 == 7)
            {
                final int i = random.nextInt(size);
                final int steps = random.nextInt(3) == 0 ? 0 : 1 + random.nextInt(60);
                whole.setRefractory(i, steps);
                split.setRefractory(i, steps);
            }
            final int n1 = whole.step(ex, in, s1);
            final int[] bounds = partitions[(t / 500) % partitions.length];
            final int[] perRange = new int[bounds.length - 1];
            final double[] exCopy = ex.clone();
            final double[] inCopy = in.clone();
            for (int r = split.ranges() - 1; r >= 0; r--)
            {
                perRange[r] = clear ? split.stepRangeAndClear(r, exCopy, inCopy, s2, bounds[r]) : split.stepRange(r, exCopy, inCopy, s2, bounds[r]);
                // ranges run last first: those below r still hold their inputs, those from r on are cleared (if clearing)
                final double[] expected = ex.clone();
                if (clear)
                {
                    Arrays.fill(expected, bounds[r], size, 0.0);
                }
                assertArrayEquals(expected, exCopy, "excitatory inputs after range " + r + " at step " + t);
            }
            assertArrayEquals(clear ? new double[size] : ex, exCopy, "excitatory input after step " + t);
            assertArrayEquals(clear ? new double[size] : in, inCopy, "inhibitory input after step " + t);
            int n2 = 0;
            for (int r = 0; r < perRange.length; r++)
            {
                System.arraycopy(s2, bounds[r], s2, n2, perRange[r]);
                n2 += perRange[r];
            }
            assertArrayEquals(Arrays.copyOf(s1, n1), Arrays.copyOf(s2, n2), "spikes at step " + t);
            assertArrayEquals(whole.membrane(), split.membrane(), "membrane at step " + t);
            assertArrayEquals(whole.excitatoryCurrent(), split.excitatoryCurrent(), "excitatory current at step " + t);
            assertArrayEquals(whole.inhibitoryCurrent(), split.inhibitoryCurrent(), "inhibitory current at step " + t);
            assertArrayEquals(whole.refractoryCounters(), split.refractoryCounters(), "refractory counters at step " + t);
            spikes += n1;
        }
        assertTrue(spikes > 3000 / 10, "spikes " + spikes);
        assertThrows(IllegalArgumentException.class, () -> split.partition(new int[] {0, 100, 50, 203}));
        assertThrows(IllegalArgumentException.class, () -> split.partition(new int[] {0, 202}));
        assertThrows(IllegalArgumentException.class, () -> split.stepRange(split.ranges(), ex, in, s2, 0));
    }
}
