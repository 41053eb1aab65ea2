package io.spikering.core.engine;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class NetworkStateTest
{
    @Test
    void restoredSimulatorContinuesBitIdenticallyOnRandomHybridNetworks() throws IOException
    {
        for (long seed = 1; seed <= 12; seed++)
        {
            final Network network = RandomNetworks.create(seed);
            final List<long[]> uninterrupted = new ArrayList<>();
            byte[] saved = null;
            try (Simulator sim = new Simulator(network))
            {
                final SplittableRandom random = new SplittableRandom(seed);
                for (int t = 0; t < 60; t++)
                {
                    if (t == 23)
                    {
                        saved = save(sim);
                    }
                    EngineEquivalenceTest.feed(network, random, sim, null);
                    sim.step();
                    if (t >= 23)
                    {
                        uninterrupted.add(snapshotBits(network, sim));
                    }
                }
            }
            try (Simulator restored = new Simulator(network))
            {
                restored.run(5); // some unrelated state that the restore must overwrite
                restore(restored, saved);
                final SplittableRandom random = new SplittableRandom(seed);
                for (int t = 0; t < 60; t++)
                {
                    if (t < 23)
                    {
                        EngineEquivalenceTest.feed(network, random, new Simulator(network), null); // keep the input stream aligned
                        continue;
                    }
                    EngineEquivalenceTest.feed(network, random, restored, null);
                    restored.step();
                    assertArrayEquals(uninterrupted.get(t - 23), snapshotBits(network, restored), "seed " + seed + " step " + t);
                }
            }
        }
    }

    @Test
    void stateOfAnotherNetworkIsRefused() throws IOException
    {
        final byte[] saved;
        try (Simulator a = new Simulator(RandomNetworks.create(1)))
        {
            saved = save(a);
        }
        try (Simulator b = new Simulator(RandomNetworks.create(2)))
        {
            assertThrows(IOException.class, () -> restore(b, saved));
        }
    }

    private static byte[] save(final Simulator sim) throws IOException
    {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        NetworkState.write(sim, new DataOutputStream(bytes));
        return bytes.toByteArray();
    }

    private static void restore(final Simulator sim, final byte[] state) throws IOException
    {
        NetworkState.read(sim, new DataInputStream(new ByteArrayInputStream(state)));
    }

    private static long[] snapshotBits(final Network network, final Simulator sim)
    {
        final List<Long> bits = new ArrayList<>();
        for (int p = 0; p < network.populationCount(); p++)
        {
            for (final double v : sim.outputs(p))
            {
                bits.add(Double.doubleToRawLongBits(v));
            }
        }
        bits.add(sim.currentStep());
        final long[] out = new long[bits.size()];
        for (int i = 0; i < out.length; i++)
        {
            out[i] = bits.get(i);
        }
        return out;
    }
}
