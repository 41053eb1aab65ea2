package io.spikering.core.engine;

import io.spikering.neuron.Activation;
import io.spikering.neuron.LegendreMemory;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** Delays land exactly d steps later; the state space is the LMU memory; reset and listeners behave. */
final class StateSpaceAndDelayTest
{
    @Test
    void eventsArriveExactlyDelayStepsLater()
    {
        for (final int delay : new int[] {0, 1, 2, 5, 8, 31})
        {
            final Network.Builder b = Network.builder();
            final int in = b.input("in", 2);
            final int out = b.rate("out", 2, Activation.LINEAR);
            b.connect(in, out).delay(delay).dense(new float[][] {{1, 0}, {0, 2}});
            try (Simulator sim = new Simulator(b.build()))
            {
                for (int t = 0; t < 80; t++)
                {
                    sim.setInput(in, new double[] {t + 1, -(t + 1)});
                    sim.step();
                    final double expected = t >= delay ? t - delay + 1 : 0.0;
                    assertEquals(expected, sim.outputs(out)[0], "delay " + delay + " step " + t);
                    assertEquals(-2 * expected + 0.0, sim.outputs(out)[1], "delay " + delay + " step " + t);
                }
            }
        }
    }

    @Test
    void legendreMemoryFollowsItsImpulseResponse()
    {
        final LegendreMemory lmu = LegendreMemory.zoh(6, 20.0);
        final Network.Builder b = Network.builder();
        final int in = b.input("u", 2);
        final int mem = b.legendreMemory("m", 2, lmu, null);
        b.connect(in, mem).dense(new float[][] {{1, 0}, {0, 1}});
        final double[][] impulse = lmu.impulseResponse(50);
        try (Simulator sim = new Simulator(b.build()))
        {
            for (int t = 0; t < 50; t++)
            {
                sim.setInput(in, t == 0 ? new double[] {1.0, -3.0} : new double[] {0.0, 0.0});
                sim.step();
                for (int i = 0; i < 6; i++)
                {
                    assertEquals(impulse[t][i], sim.memory(mem)[i], 1e-12, "step " + t + " channel 0 dim " + i);
                    assertEquals(-3.0 * impulse[t][i], sim.memory(mem)[6 + i], 3e-12, "step " + t + " channel 1");
                    assertEquals(sim.memory(mem)[i], sim.outputs(mem)[i]);
                }
            }
            assertEquals(50L * 2 * (36 + 6), sim.ops().population(mem, OpCounter.Op.MACS_DENSE));
        }
    }

    @Test
    void resetRestoresTheInitialStateAndSeededResetIsReproducible()
    {
        final Network network = RandomNetworks.create(42);
        try (Simulator sim = new Simulator(network))
        {
            final List<double[]> first = trace(network, sim);
            sim.reset();
            assertEquals(0, sim.currentStep());
            final List<double[]> again = trace(network, sim);
            for (int k = 0; k < first.size(); k++)
            {
                assertArrayEquals(first.get(k), again.get(k));
            }
            sim.reset(9);
            final List<double[]> seeded = trace(network, sim);
            sim.reset(9);
            final List<double[]> seededAgain = trace(network, sim);
            for (int k = 0; k < seeded.size(); k++)
            {
                assertArrayEquals(seeded.get(k), seededAgain.get(k));
            }
        }
    }

    @Test
    void listenerSeesEveryEventOfEverySpikingPopulation()
    {
        final Network network = RandomNetworks.create(3);
        try (Simulator sim = new Simulator(network))
        {
            final long[] perPopulation = new long[network.populationCount()];
            final long[] lastStep = {-1};
            final SpikeListener listener = (step, population, neurons, counts, n) ->
            {
                lastStep[0] = step;
                for (int e = 0; e < n; e++)
                {
                    assertEquals(sim.counts(population)[neurons[e]], counts[e]);
                }
                perPopulation[population] += n;
            };
            sim.addListener(listener);
            final java.util.SplittableRandom random = new java.util.SplittableRandom(1);
            for (int t = 0; t < 40; t++)
            {
                EngineEquivalenceTest.feed(network, random, sim, null);
                sim.step();
                assertEquals(t, lastStep[0]);
            }
            for (int p = 0; p < network.populationCount(); p++)
            {
                assertEquals(sim.ops().population(p, OpCounter.Op.EVENTS), perPopulation[p], "population " + p);
            }
            assertEquals(true, sim.removeListener(listener));
            assertEquals(false, sim.removeListener(listener));
        }
    }

    private static List<double[]> trace(final Network network, final Simulator sim)
    {
        final List<double[]> trace = new ArrayList<>();
        final java.util.SplittableRandom random = new java.util.SplittableRandom(77);
        for (int t = 0; t < 30; t++)
        {
            EngineEquivalenceTest.feed(network, random, sim, null);
            sim.step();
            for (int p = 0; p < network.populationCount(); p++)
            {
                trace.add(sim.outputs(p).clone());
            }
        }
        return trace;
    }
}
