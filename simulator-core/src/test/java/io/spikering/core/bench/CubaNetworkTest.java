package io.spikering.core.bench;

import io.spikering.core.engine.Network;
import io.spikering.core.engine.Port;
import io.spikering.core.engine.Projection;
import io.spikering.core.engine.Simulator;
import io.spikering.core.record.SpikeFilter;
import io.spikering.core.record.SpikeReader;
import io.spikering.neuron.CubaLif;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CubaNetworkTest
{
    @Test
    void everyNeuronHasExactlyTheInDegreeFromDistinctSourcesOtherThanItself()
    {
        final Network network = CubaNetwork.build(5, 120, 30, 12, 3);
        assertEquals(2, network.populationCount());
        assertEquals(4, network.projectionCount());
        for (int r = 0; r < network.projectionCount(); r++)
        {
            final Projection p = network.projection(r);
            final boolean excitatory = p.source() == 0;
            assertEquals(excitatory ? Port.EXCITATORY : Port.INHIBITORY, p.port());
            assertEquals(1, p.delay());
            final int indegree = excitatory ? 12 : 3;
            final float weight = excitatory ? CubaNetwork.W_EX_PA : CubaNetwork.W_IN_PA;
            for (int j = 0; j < p.targetSize(); j++)
            {
                int in = 0;
                for (int i = 0; i < p.sourceSize(); i++)
                {
                    final float w = p.weight(i, j);
                    if (w != 0)
                    {
                        assertEquals(weight, w);
                        in++;
                    }
                }
                assertEquals(indegree, in, p.name() + " target " + j);
                if (p.source() == p.target())
                {
                    assertEquals(0f, p.weight(j, j), p.name() + ": self-connection of " + j);
                }
            }
            assertEquals((long)indegree * p.targetSize(), p.nonZeroWeights());
        }
        final Network full = CubaNetwork.build(1);
        long total = 0;
        for (int r = 0; r < full.projectionCount(); r++)
        {
            total += full.projection(r).nonZeroWeights();
        }
        assertEquals(320_000, total);
    }

    /**
     * The obvious reference: per-source target lists, summed weights per step, two CubaLif arrays, delay one step.
     * Every weight of a channel is the same float, so the sums do not depend on the order: spike trains must match exactly.
     */
    @Test
    void engineMatchesAPlainLoopReferenceSpikeForSpike()
    {
        final long seed = 9;
        final int ne = 400;
        final int ni = 100;
        final int ce = 40;
        final int ci = 10;
        final int steps = 3000;
        final List<long[]> engine = new ArrayList<>();
        try (Simulator simulator = new Simulator(CubaNetwork.build(seed, ne, ni, ce, ci)))
        {
            simulator.addListener((step, population, neurons, counts, n) ->
            {
                for (int k = 0; k < n; k++)
                {
                    engine.add(new long[] {step, population, neurons[k]});
                }
            });
            simulator.run(steps);
        }

        // The same draws in the same order as CubaNetwork.build.
        final SplittableRandom random = new SplittableRandom(seed);
        final CubaLif.Parameters p = CubaLif.Parameters.cuba();
        final CubaLif exc = new CubaLif(ne, p, CubaNetwork.DT_MS);
        final CubaLif inh = new CubaLif(ni, p, CubaNetwork.DT_MS);
        for (int i = 0; i < ne; i++)
        {
            exc.setMembrane(i, p.vResetMv() + random.nextDouble() * (p.vThMv() - p.vResetMv()));
        }
        for (int i = 0; i < ni; i++)
        {
            inh.setMembrane(i, p.vResetMv() + random.nextDouble() * (p.vThMv() - p.vResetMv()));
        }
        final int[][] ee = CubaNetwork.fixedInDegree(random, ne, ne, ce, true);
        final int[][] ie = CubaNetwork.fixedInDegree(random, ni, ne, ci, false);
        final int[][] ei = CubaNetwork.fixedInDegree(random, ne, ni, ce, false);
        final int[][] ii = CubaNetwork.fixedInDegree(random, ni, ni, ci, true);
        final double[][] ex = {new double[ne], new double[ni]};
        final double[][] in = {new double[ne], new double[ni]};
        final int[] excSpikes = new int[ne];
        final int[] inhSpikes = new int[ni];
        final List<long[]> reference = new ArrayList<>();
        for (int step = 0; step < steps; step++)
        {
            final int nExc = exc.step(ex[0], in[0], excSpikes);
            Arrays.fill(ex[0], 0);
            Arrays.fill(in[0], 0);
            final int nInh = inh.step(ex[1], in[1], inhSpikes);
            Arrays.fill(ex[1], 0);
            Arrays.fill(in[1], 0);
            for (int k = 0; k < nExc; k++)
            {
                reference.add(new long[] {step, 0, excSpikes[k]});
                for (final int j : ee[excSpikes[k]])
                {
                    ex[0][j] += CubaNetwork.W_EX_PA;
                }
                for (final int j : ei[excSpikes[k]])
                {
                    ex[1][j] += CubaNetwork.W_EX_PA;
                }
            }
            for (int k = 0; k < nInh; k++)
            {
                reference.add(new long[] {step, 1, inhSpikes[k]});
                for (final int j : ie[inhSpikes[k]])
                {
                    in[0][j] += CubaNetwork.W_IN_PA;
                }
                for (final int j : ii[inhSpikes[k]])
                {
                    in[1][j] += CubaNetwork.W_IN_PA;
                }
            }
        }
        assertTrue(reference.size() > 500, "the network is active: " + reference.size() + " spikes");
        assertEquals(reference.size(), engine.size());
        for (int k = 0; k < reference.size(); k++)
        {
            assertArrayEquals(reference.get(k), engine.get(k), "spike #" + k);
        }
    }

    @Test
    void sameSeedSameSpikesOtherSeedOtherSpikesAndThreadsAgree() throws IOException
    {
        final CubaBenchmark.Result a = CubaBenchmark.run(3, 0.05, 0, 0.01, null);
        final CubaBenchmark.Result b = CubaBenchmark.run(3, 0.05, 0, 0.01, null);
        final CubaBenchmark.Result c = CubaBenchmark.run(4, 0.05, 0, 0.01, null);
        final CubaBenchmark.Result d = CubaBenchmark.run(3, 0.05, 2, 0.01, null);
        assertEquals(a.spikes(), b.spikes());
        assertEquals(a.synapticEvents(), b.synapticEvents());
        assertEquals(a.spikes(), d.spikes(), "Disruptor path with 2 handlers");
        final CubaBenchmark.Result e = CubaBenchmark.run(3, 4000, 0.05, CubaBenchmark.Mode.PARTITIONED, 2, 0.01, null);
        assertEquals(a.spikes(), e.spikes(), "partitioned step, 2 threads");
        assertEquals(a.synapticEvents(), e.synapticEvents());
        assertEquals(a.synapticEvents(), d.synapticEvents());
        assertNotEquals(a.spikes(), c.spikes());
        assertEquals(4000, a.neurons());
        assertEquals(320_000, a.synapses());
        assertEquals(a.spikes() * 80.0, a.synapticEvents(), a.spikes() * 8.0, "about 80 targets per spike");
    }

    @Test
    void largerNetworksOfTheFamilyKeepTheInDegreesAndAgreeAcrossThreads() throws IOException
    {
        final CubaBenchmark.Result one = CubaBenchmark.run(5, 40_000, 0.02, 0, 0.01, null);
        final CubaBenchmark.Result two = CubaBenchmark.run(5, 40_000, 0.02, 2, 0.01, null);
        final CubaBenchmark.Result partitioned = CubaBenchmark.run(5, 40_000, 0.02, CubaBenchmark.Mode.PARTITIONED, 2, 0.01, null);
        assertEquals("partitioned (2 threads)", partitioned.delivery());
        assertEquals(one.spikes(), partitioned.spikes());
        assertEquals(one.spikesInh(), partitioned.spikesInh());
        assertEquals(one.synapticEvents(), partitioned.synapticEvents());
        assertEquals(40_000, one.neurons());
        assertEquals(40_000L * (CubaNetwork.CE + CubaNetwork.CI), one.synapses());
        assertTrue(one.spikes() > 0);
        assertEquals(one.spikes(), two.spikes());
        assertEquals(one.spikesInh(), two.spikesInh());
        assertEquals(one.synapticEvents(), two.synapticEvents());
        final String m = assertThrows(IllegalArgumentException.class, () -> CubaBenchmark.run(5, 4001, 0.02, 0, 0.01, null)).getMessage();
        assertTrue(m.contains("--neurons") && m.contains("4001"), m);
    }

    /** Brian2 (benchmarks/brian2/cuba.py, same parameters) fires at 3.9–4.1 Hz. */
    @Test
    void meanRateIsInTheRangeBrian2Gives() throws IOException
    {
        final CubaBenchmark.Result r = CubaBenchmark.run(42, 0.5, 0, 0.1, null);
        assertTrue(r.meanRateHz() > 3.0 && r.meanRateHz() < 5.5, "mean rate " + r.meanRateHz() + " Hz");
        assertTrue(r.spikesInh() > 0 && r.spikesExc() > 0);
    }

    @Test
    void recordingHoldsEverySpikeOfTheRun(@TempDir final Path tmp) throws IOException
    {
        final Path dir = tmp.resolve("rec");
        final CubaBenchmark.Result r = CubaBenchmark.run(7, 0.05, 0, 0.02, dir);
        try (SpikeReader reader = SpikeReader.open(dir))
        {
            assertEquals(List.of("exc", "inh"), reader.info().populations().stream().map(x -> x.name()).toList());
            assertEquals(700, reader.stepsRecorded());
            final long[] timed = new long[2];
            reader.read(SpikeFilter.all().steps(200, 700), (step, population, neurons, counts, n) -> timed[population] += n);
            assertEquals(r.spikesExc(), timed[0]);
            assertEquals(r.spikesInh(), timed[1]);
        }
    }

    @Test
    void unwritableRecordingDirectoryFailsBeforeTheRun(@TempDir final Path tmp) throws IOException
    {
        final Path file = Files.writeString(tmp.resolve("f"), "x");
        final IOException ex = assertThrows(IOException.class, () -> CubaBenchmark.run(1, 1000, 0, 0, file.resolve("rec")));
        assertTrue(ex.getMessage().contains(file.resolve("rec").toString()), ex.getMessage());
        assertFalse(Files.exists(file.resolve("rec")));
    }
}
