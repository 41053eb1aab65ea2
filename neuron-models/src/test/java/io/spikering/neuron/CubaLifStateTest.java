package io.spikering.neuron;

import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A CubaLif state copied with setMembrane, the current arrays and setRefractory continues bit-identically. */
class CubaLifStateTest
{
    @Test
    void copiedStateContinuesIdentically()
    {
        final int n = 50;
        final CubaLif original = new CubaLif(n, CubaLif.Parameters.cuba(), 0.1);
        final SplittableRandom random = new SplittableRandom(4);
        final double[] ex = new double[n];
        final double[] in = new double[n];
        final int[] spikes = new int[n];
        int refractoryAtCopy = 0;
        for (int t = 0; t < 200; t++)
        {
            drive(random, ex, in);
            original.step(ex, in, spikes);
        }
        final CubaLif copy = new CubaLif(n, CubaLif.Parameters.cuba(), 0.1);
        for (int i = 0; i < n; i++)
        {
            copy.setMembrane(i, original.membrane()[i]);
            copy.excitatoryCurrent()[i] = original.excitatoryCurrent()[i];
            copy.inhibitoryCurrent()[i] = original.inhibitoryCurrent()[i];
            copy.setRefractory(i, original.refractoryCounters()[i]);
            refractoryAtCopy += original.refractoryCounters()[i] > 0 ? 1 : 0;
        }
        assertTrue(refractoryAtCopy > 0, "the copy must include refractory neurons");
        final int[] spikesCopy = new int[n];
        for (int t = 0; t < 300; t++)
        {
            drive(random, ex, in);
            final int a = original.step(ex, in, spikes);
            final int b = copy.step(ex, in, spikesCopy);
            assertEquals(a, b, "step " + t);
            assertArrayEquals(original.membrane(), copy.membrane(), "step " + t);
            assertArrayEquals(original.refractoryCounters(), copy.refractoryCounters(), "step " + t);
        }
    }

    @Test
    void clearingRefractoryLetsTheNeuronIntegrateAgain()
    {
        final CubaLif lif = new CubaLif(3, CubaLif.Parameters.cuba(), 0.1);
        for (int i = 0; i < 3; i++)
        {
            lif.setMembrane(i, -55.0); // below threshold (CUBA's E_L is above it)
        }
        lif.setRefractory(1, 5);
        lif.setRefractory(2, 5);
        lif.setRefractory(1, 0);
        final double before1 = lif.membrane()[1];
        final double before2 = lif.membrane()[2];
        lif.step(new double[] {0, 1000, 1000}, new double[3], new int[3]);
        lif.step(new double[3], new double[3], new int[3]);
        assertTrue(lif.membrane()[1] != before1, "neuron 1 integrates");
        assertEquals(before2, lif.membrane()[2], "neuron 2 is held while refractory");
        assertEquals(3, lif.refractoryCounters()[2]);
        assertThrows(IllegalArgumentException.class, () -> lif.setRefractory(3, 1));
        assertThrows(IllegalArgumentException.class, () -> lif.setRefractory(0, -1));
    }

    private static void drive(final SplittableRandom random, final double[] ex, final double[] in)
    {
        for (int i = 0; i < ex.length; i++)
        {
            ex[i] = random.nextDouble() < 0.3 ? 400.0 * random.nextDouble() : 0.0;
            in[i] = random.nextDouble() < 0.1 ? -300.0 * random.nextDouble() : 0.0;
        }
    }
}
