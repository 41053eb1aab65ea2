package io.spikering.core.engine;

import io.spikering.core.bench.CubaNetwork;
import io.spikering.neuron.CubaLif;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link Simulator#partitioned} (neuron update and delivery split across threads) against the direct single-threaded
 * path: the same spikes at every step, the same op counts and the same complete state (rings included, via
 * {@link Simulator#saveState}), bit for bit, at 1, 2, 3 and 4 threads.
 */
final class PartitionedStepEquivalenceTest
{
    private static final int[] THREADS = {1, 2, 3, 4};

    /** What a run produced: every spike as (step, population, neuron), the op counts, and the final state's bytes. */
    private record Run(long[] spikes, long[] ops, byte[] state)
    {
    }

    private static Run run(final Simulator simulator, final int steps)
    {
        final List<long[]> spikes = new ArrayList<>();
        simulator.addListener((step, population, neurons, counts, n) ->
        {
            for (int k = 0; k < n; k++)
            {
                spikes.add(new long[] {step, population, neurons[k]});
                assertEquals(1, counts[k]);
            }
        });
        simulator.run(steps);
        final Network network = simulator.network();
        final long[] ops = new long[OpCounter.Op.values().length * (network.projectionCount() + network.populationCount()) + 1];
        int k = 0;
        for (final OpCounter.Op op : OpCounter.Op.values())
        {
            for (int r = 0; r < network.projectionCount(); r++)
            {
                ops[k++] = simulator.ops().projection(r, op);
            }
            for (int p = 0; p < network.populationCount(); p++)
            {
                ops[k++] = simulator.ops().population(p, op);
            }
        }
        ops[k] = simulator.ops().steps();
        final ByteBuffer state = ByteBuffer.allocate(simulator.stateSize());
        simulator.saveState(state);
        final long[] flat = new long[spikes.size() * 3];
        for (int s = 0; s < spikes.size(); s++)
        {
            System.arraycopy(spikes.get(s), 0, flat, 3 * s, 3);
        }
        return new Run(flat, ops, state.array());
    }

    private static void assertSame(final Run expected, final Run actual, final String where)
    {
        assertEquals(expected.spikes.length, actual.spikes.length, where + ": spike count x 3");
        assertArrayEquals(expected.spikes, actual.spikes, where + ": spikes");
        assertArrayEquals(expected.ops, actual.ops, where + ": op counts");
        assertArrayEquals(expected.state, actual.state, where + ": state");
    }

    /** Returns the spikes of the run. */
    private static long compare(final Network network, final int steps, final String name)
    {
        final Run direct;
        try (Simulator simulator = new Simulator(network))
        {
            direct = run(simulator, steps);
        }
        assertTrue(direct.spikes.length / 3 > 20, name + ": the network is active (" + direct.spikes.length / 3 + " spikes)");
        for (final int threads : THREADS)
        {
            for (final boolean adaptive : new boolean[] {true, false})
            {
                try (Simulator simulator = Simulator.partitioned(network, threads, adaptive))
                {
                    assertEquals(threads, simulator.threads());
                    assertSame(direct, run(simulator, steps), name + ", " + threads + " threads, adaptive " + adaptive);
                }
            }
        }
        return direct.spikes.length / 3;
    }

    @Test
    void cubaNetworksOfSeveralSizesAndSeeds()
    {
        // about 4 Hz: 0.4 spikes per neuron and simulated s
        assertTrue(compare(CubaNetwork.build(1, 400, 100, 40, 10), 3000, "CUBA 500 seed 1") > 400);
        assertTrue(compare(CubaNetwork.build(2, 400, 100, 40, 10), 3000, "CUBA 500 seed 2") > 400);
        assertTrue(compare(CubaNetwork.build(3, 1000, 250, 64, 16), 1500, "CUBA 1250 seed 3") > 500);
        assertTrue(compare(CubaNetwork.build(42), 1000, "CUBA 4000 seed 42") > 1000);
        assertTrue(compare(CubaNetwork.build(5, 16_000, 4000, 64, 16), 150, "CUBA 20000 seed 5") > 500);
    }

    /**
     * Random LIF networks where the order of adds matters: distinct random weights of both signs into both ports,
     * delays 1..3, unsorted sparse rows, recurrence and populations smaller than the thread count.
     */
    @Test
    void randomLifNetworksWithOrderSensitiveSums()
    {
        long spikes = 0;
        for (long seed = 1; seed <= 12; seed++)
        {
            spikes += compare(randomLif(seed), 400, "random LIF seed " + seed);
        }
        assertTrue(spikes > 5000, "spikes " + spikes);
    }

    static Network randomLif(final long seed)
    {
        final SplittableRandom random = new SplittableRandom(seed);
        // fast tonic firing (a spike every ~20 steps): many spikes per step meet at the same targets
        final CubaLif.Parameters p = new CubaLif.Parameters(2.0, 200.0, -40.0, -50.0, -60.0, 0.5, 5.0, 10.0);
        final Network.Builder b = Network.builder();
        final int populations = 2 + random.nextInt(3);
        final int[] sizes = new int[populations];
        for (int i = 0; i < populations; i++)
        {
            sizes[i] = i == 0 ? 3 : 20 + random.nextInt(300);
            final double[] v = new double[sizes[i]];
            for (int j = 0; j < v.length; j++)
            {
                v[j] = p.vResetMv() + random.nextDouble() * (p.vThMv() - p.vResetMv());
            }
            b.lif("p" + i, sizes[i], p, 0.1, v);
        }
        final int projections = populations + random.nextInt(2 * populations);
        for (int r = 0; r < projections; r++)
        {
            final int source = random.nextInt(populations);
            final int target = random.nextInt(populations);
            final boolean inhibitory = random.nextBoolean();
            final int[][] targets = new int[sizes[source]][];
            final float[][] weights = new float[sizes[source]][];
            for (int i = 0; i < sizes[source]; i++)
            {
                // a random subset of the targets in random order (no duplicates)
                final int[] all = new int[sizes[target]];
                for (int j = 0; j < all.length; j++)
                {
                    all[j] = j;
                }
                final int fanOut = random.nextInt(Math.min(all.length, 40) + 1);
                for (int k = 0; k < fanOut; k++)
                {
                    final int swap = k + random.nextInt(all.length - k);
                    final int x = all[k];
                    all[k] = all[swap];
                    all[swap] = x;
                }
                targets[i] = Arrays.copyOf(all, fanOut);
                weights[i] = new float[fanOut];
                for (int k = 0; k < fanOut; k++)
                {
                    // magnitudes 2^-40..2^5: sums of floats in double are exact when their exponents are close, so
                    // spread them for the order of the adds to show in the bits
                    final float w = (float)(random.nextDouble() * Math.scalb(1.0, random.nextInt(46) - 40));
                    weights[i][k] = inhibitory ? -w : w;
                }
            }
            b.connect(source, target).delay(1 + random.nextInt(3)).port(inhibitory ? Port.INHIBITORY : Port.EXCITATORY)
                .sparse(targets, weights);
        }
        return b.build();
    }

    /** Reset and restoreState on a partitioned simulator: it continues exactly as the direct path does. */
    @Test
    void resetAndRestoredStateContinueBitIdentically()
    {
        final Network network = randomLif(99);
        final Run expected;
        try (Simulator direct = new Simulator(network))
        {
            direct.run(100);
            direct.reset();
            expected = run(direct, 300);
        }
        for (final int threads : THREADS)
        {
            try (Simulator partitioned = Simulator.partitioned(network, threads); Simulator other = Simulator.partitioned(network, 2))
            {
                partitioned.run(100);
                partitioned.reset();
                partitioned.run(150);
                final ByteBuffer state = ByteBuffer.allocate(partitioned.stateSize());
                partitioned.saveState(state);
                state.flip();
                other.run(7);
                other.restoreState(state);
                other.ops().clear();
                partitioned.ops().clear();
                final Run rest = run(other, 150);
                try (Simulator direct = new Simulator(network))
                {
                    direct.run(150);
                    direct.ops().clear();
                    assertSame(run(direct, 150), rest, threads + " threads, restored");
                }
                assertArrayEquals(expected.state, rest.state, threads + " threads: after reset");
            }
        }
    }

    /**
     * Threads that are not scheduled (held: they claim nothing) have their slices done by the stepping thread, for
     * stretches of steps and single steps, and the results stay identical.
     */
    @Test
    @Timeout(60)
    void slicesOfThreadsThatDoNotRunAreTakenByTheSteppingThread()
    {
        final Network network = randomLif(7);
        final Run direct;
        try (Simulator simulator = new Simulator(network))
        {
            direct = run(simulator, 500);
        }
        for (final int threads : new int[] {2, 4})
        {
            try (Simulator simulator = Simulator.partitioned(network, threads))
            {
                final SplittableRandom random = new SplittableRandom(threads);
                simulator.addListener((step, population, neurons, counts, n) ->
                {
                    if (population == 0)
                    {
                        simulator.holdPartitionWorkers(random.nextInt(4) == 0);
                    }
                });
                assertSame(direct, run(simulator, 500), threads + " threads, held at random steps");
            }
            try (Simulator simulator = Simulator.partitioned(network, threads))
            {
                simulator.holdPartitionWorkers(true);
                assertSame(direct, run(simulator, 500), threads + " threads, always held");
            }
        }
    }

    /**
     * Pauses of a few milliseconds inside steps (a listener sleeps): the waiting threads spin, yield and then park, and
     * are woken by the next signal; the results stay identical to the direct path's.
     */
    @Test
    @Timeout(60)
    void threadsThatParkedInLongWaitsAreWokenAndResultsStayIdentical()
    {
        final Network network = randomLif(11);
        final Run direct;
        try (Simulator simulator = new Simulator(network))
        {
            direct = run(simulator, 400);
        }
        for (final int threads : new int[] {2, 3})
        {
            try (Simulator simulator = Simulator.partitioned(network, threads, false))
            {
                simulator.addListener((step, population, neurons, counts, n) ->
                {
                    if (population == 0 && step % 40 == 7)
                    {
                        sleep(5);
                    }
                });
                assertSame(direct, run(simulator, 400), threads + " threads, pausing");
                assertTrue(simulator.partitionParks() > 0, threads + " threads: some thread should have parked in a 5 ms pause");
            }
        }
    }

    private static void sleep(final long millis)
    {
        try
        {
            Thread.sleep(millis);
        }
        catch (final InterruptedException e)
        {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /**
     * Adaptive mode: the first window of 256 steps runs on all threads, the second (the other mode, not timed yet) on the
     * stepping thread alone; fixed mode runs every step on all threads.
     */
    @Test
    void adaptiveModeTimesBothModesFixedModeUsesAllThreads()
    {
        final Network network = CubaNetwork.build(1, 400, 100, 40, 10);
        try (Simulator adaptive = Simulator.partitioned(network, 2); Simulator fixed = Simulator.partitioned(network, 2, false);
            Simulator one = Simulator.partitioned(network, 1); Simulator direct = new Simulator(network))
        {
            adaptive.run(512);
            fixed.run(512);
            one.run(512);
            direct.run(512);
            assertEquals(256, adaptive.parallelSteps());
            assertEquals(512, fixed.parallelSteps());
            assertEquals(512, one.parallelSteps());
            assertEquals(0, direct.parallelSteps());
            assertTrue(adaptive.isPartitioned() && !direct.isPartitioned());
        }
    }

    @Test
    void unsupportedNetworksAreRefusedWithTheReason()
    {
        final Network.Builder b = Network.builder();
        final int in = b.input("in", 4);
        final int lif = b.lif("lif", 4, CubaLif.Parameters.cuba(), 0.1);
        b.connect(in, lif).dense(new float[4][4]);
        final Network network = b.build();
        final String m = assertThrows(IllegalArgumentException.class, () -> Simulator.partitioned(network, 2)).getMessage();
        assertTrue(m.contains("'in'") && m.contains("INPUT") && m.contains("new Simulator(network, threads)"), m);

        final Network.Builder z = Network.builder();
        final int a = z.lif("a", 4, CubaLif.Parameters.cuba(), 0.1);
        final int c = z.lif("c", 4, CubaLif.Parameters.cuba(), 0.1);
        z.connect(a, c).delay(0).sparse(new int[][] {{1}, {2}, {3}, {}}, new float[][] {{1f}, {1f}, {1f}, {}});
        final String zero = assertThrows(IllegalArgumentException.class, () -> Simulator.partitioned(z.build(), 2)).getMessage();
        assertTrue(zero.contains("delay 0"), zero);

        final String threads = assertThrows(IllegalArgumentException.class,
            () -> Simulator.partitioned(CubaNetwork.build(1, 40, 10, 4, 1), 0)).getMessage();
        assertTrue(threads.contains("threads") && threads.contains("0"), threads);
    }

    @Test
    void slicesAreContiguousAlignedAndCoverThePopulation()
    {
        assertArrayEquals(new int[] {0, 2000, 4000}, PartitionedStep.slices(4000, 2, 0));
        assertArrayEquals(new int[] {0, 3}, PartitionedStep.slices(3, 1, 0));
        assertArrayEquals(new int[] {0, 0, 0, 0, 3}, PartitionedStep.slices(3, 4, 0));
        assertArrayEquals(new int[] {0, 800, 1600, 2400, 3200}, PartitionedStep.slices(3200, 4, 0));
        assertArrayEquals(new int[] {0, 336, 667}, PartitionedStep.slices(667, 2, 0));
        // boundaries at the arrays' line phase (6 with 16-byte array headers): 1998 + 2 header doubles = 2000 = 250 lines
        assertArrayEquals(new int[] {0, 1998, 4000}, PartitionedStep.slices(4000, 2, 6));
        assertArrayEquals(new int[] {0, 6, 14, 22, 30}, PartitionedStep.slices(30, 4, 6));
        assertArrayEquals(new int[] {0, 6, 6, 6, 9}, PartitionedStep.slices(9, 4, 6));
        assertArrayEquals(new int[] {0, 0, 3}, PartitionedStep.slices(3, 2, 6));
    }
}
