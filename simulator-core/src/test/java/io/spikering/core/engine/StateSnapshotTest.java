package io.spikering.core.engine;

import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** saveState / restoreState: a restored simulator continues bit-identically; foreign states are refused. */
final class StateSnapshotTest
{
    @Test
    void restoredSimulatorContinuesBitIdentically()
    {
        for (long seed = 200; seed < 225; seed++)
        {
            // seeds from 215 on: NIR-like networks (NEURON voltages and currents, convolutions, delays)
            final Network network = seed < 215 ? RandomNetworks.create(seed) : RandomNetworks.createNir(seed);
            final int threads = (int)(seed % 3);
            try (Simulator original = new Simulator(network, threads); Simulator restored = new Simulator(network))
            {
                final SplittableRandom inputs = new SplittableRandom(seed);
                for (int t = 0; t < 25; t++)
                {
                    EngineEquivalenceTest.feed(network, inputs, original, null);
                    original.step();
                }
                final ByteBuffer state = ByteBuffer.allocate(original.stateSize());
                original.saveState(state);
                assertEquals(0, state.remaining());
                state.flip();
                restored.restoreState(state);
                assertEquals(25, restored.currentStep());
                final SplittableRandom copy = inputs.split();
                for (int t = 0; t < 25; t++)
                {
                    final long stepSeed = copy.nextLong();
                    EngineEquivalenceTest.feed(network, new SplittableRandom(stepSeed), original, null);
                    EngineEquivalenceTest.feed(network, new SplittableRandom(stepSeed), restored, null);
                    original.step();
                    restored.step();
                    for (int p = 0; p < network.populationCount(); p++)
                    {
                        assertArrayEquals(original.outputs(p), restored.outputs(p), "seed " + seed + " step " + t + " population " + p);
                        if (network.population(p).kind() == PopulationKind.NEURON)
                        {
                            assertArrayEquals(original.voltage(p), restored.voltage(p), "seed " + seed + " step " + t);
                            assertArrayEquals(original.current(p), restored.current(p), "seed " + seed + " step " + t);
                        }
                    }
                }
            }
        }
    }

    @Test
    void foreignOrTruncatedStatesAreRefused()
    {
        try (Simulator a = new Simulator(RandomNetworks.create(1)); Simulator b = new Simulator(RandomNetworks.create(2)))
        {
            a.step();
            final ByteBuffer state = ByteBuffer.allocate(a.stateSize() + b.stateSize());
            a.saveState(state);
            state.flip();
            final IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> b.restoreState(state.duplicate()));
            assertTrue(e.getMessage().contains("different network") || e.getMessage().contains("needs"), e.getMessage());
            final ByteBuffer truncated = state.duplicate().limit(10);
            assertThrows(IllegalArgumentException.class, () -> a.restoreState(truncated));
            assertThrows(IllegalArgumentException.class, () -> a.saveState(ByteBuffer.allocate(8)));
        }
    }
}
