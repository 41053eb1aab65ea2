package io.spikering.neuron;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** CubaLif.step (split, vectorisable loops) against the plain one-loop-per-neuron form, bit for bit. */
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

    private static void compare(final CubaLif.Parameters p, final long seed, final int steps)
    {
        final int size = 300;
        final CubaLif fast = new CubaLif(size, p, 0.1);
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
            final int n1 = fast.step(ex, in, s1);
            final int n2 = ref.step(ex, in, s2);
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

    @Test
    void nonFiniteInputOfARefractoryNeuronIsNamedTheFirstOneWins()
    {
        final CubaLif lif = below(new CubaLif(4, CubaLif.Parameters.cuba(), 0.1));
        lif.setMembrane(3, -49.0);
        final int[] spikes = new int[4];
        assertEquals(1, lif.step(new double[4], new double[4], spikes), "neuron 3 spikes and turns refractory");
        final IllegalArgumentException ex = assertThrows(IllegalArgumentException.class,
            () -> lif.step(new double[] {0, 0, Double.NaN, Double.NaN}, new double[] {0, Double.POSITIVE_INFINITY, 0, 0}, spikes));
        assertTrue(ex.getMessage().contains("inInput[1]"), ex.getMessage());
        final CubaLif other = below(new CubaLif(4, CubaLif.Parameters.cuba(), 0.1));
        other.setMembrane(3, -49.0);
        other.step(new double[4], new double[4], spikes);
        final IllegalArgumentException refractory = assertThrows(IllegalArgumentException.class,
            () -> other.step(new double[] {0, 0, 0, Double.NaN}, new double[4], spikes));
        assertTrue(refractory.getMessage().contains("exInput[3]"), refractory.getMessage());
    }

    @Test
    void infiniteInputIsNamed()
    {
        final CubaLif lif = new CubaLif(3, CubaLif.Parameters.cuba(), 0.1);
        final IllegalArgumentException ex = assertThrows(IllegalArgumentException.class,
            () -> lif.step(new double[3], new double[] {0, 0, Double.NEGATIVE_INFINITY}, new int[3]));
        assertTrue(ex.getMessage().contains("inInput[2]"), ex.getMessage());
    }

    /**
     * Ranges stepped one by one (last range first, empty ranges included, re-partitioned and refractory counters set
     * mid-run) give the same state and, range after range, the same spikes as one {@link CubaLif#step}.
     */
    @Test
    void rangesSteppedSeparatelyEqualOneStep()
    {
        final CubaLif.Parameters p = CubaLif.Parameters.cuba();
        final int size = 203;
        final CubaLif whole = new CubaLif(size, p, 0.1);
        final CubaLif split = new CubaLif(size, p, 0.1);
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
        final int[][] partitions = {{0, 64, 64, 150, 203}, {0, 203}, {0, 1, 100, 202, 203}, {0, 0, 203, 203}};
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
            for (int r = split.ranges() - 1; r >= 0; r--)
            {
                perRange[r] = split.stepRange(r, ex, in, s2, bounds[r]);
            }
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
