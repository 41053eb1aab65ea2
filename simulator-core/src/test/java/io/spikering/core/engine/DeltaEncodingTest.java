package io.spikering.core.engine;

import io.spikering.neuron.Activation;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/** Delta-encoded populations and the SIGMA port: engine vs reference, thread counts, snapshots, a hand count. */
final class DeltaEncodingTest
{
    private static final int STEPS = 80;

    /** input -> delta(a) -> [SIGMA] rate / delta(b) -> [SIGMA, delay, recurrent] ...; mixed with plain projections. */
    static Network randomNetwork(final long seed)
    {
        final SplittableRandom random = new SplittableRandom(seed);
        final Network.Builder b = Network.builder();
        final int in = b.input("in", 2 + random.nextInt(4));
        final int a = b.sigmaDelta("a", 3 + random.nextInt(6), Quantization.delta(Activation.TANH, 2 + random.nextInt(30),
            0.5 + random.nextDouble(), random.nextInt(3) * 0.75));
        final int c = b.sigmaDelta("c", 2 + random.nextInt(6), Quantization.delta(Activation.LINEAR, 4 + random.nextInt(20),
            1.0, random.nextDouble() * 2));
        final int sd = b.sigmaDelta("sd", 2 + random.nextInt(5), new Quantization(Activation.TANH, 3.0, 1.0, seed));
        final int rate = b.rate("rate", 2 + random.nextInt(5), Activation.TANH);
        final int integ = b.integrator("readout", 2 + random.nextInt(3), 0.25, null);
        connect(b, random, in, a, 0, Port.EXCITATORY);
        connect(b, random, in, c, 0, Port.EXCITATORY);
        connect(b, random, a, c, random.nextInt(3), Port.SIGMA);
        connect(b, random, c, c, 1 + random.nextInt(2), Port.SIGMA);     // a delta-encoded recurrence
        connect(b, random, a, rate, 0, Port.SIGMA);
        connect(b, random, sd, rate, 1, Port.EXCITATORY);
        connect(b, random, rate, sd, 0, Port.EXCITATORY);
        connect(b, random, c, integ, 0, Port.SIGMA);
        connect(b, random, rate, integ, 0, Port.EXCITATORY);
        if (random.nextBoolean())
        {
            b.bias(rate, row(random, b.population(rate).inputSize(), 0.5));
        }
        return b.build();
    }

    private static void connect(final Network.Builder b, final SplittableRandom random, final int s, final int t, final int delay, final Port port)
    {
        final int rows = b.population(s).outputSize();
        final int cols = b.population(t).inputSize();
        final float[][] w = new float[rows][];
        for (int i = 0; i < rows; i++)
        {
            w[i] = row(random, cols, 0.6 / rows);
        }
        b.connect(s, t).delay(delay).port(port).dense(w);
    }

    private static float[] row(final SplittableRandom random, final int n, final double scale)
    {
        final float[] r = new float[n];
        for (int j = 0; j < n; j++)
        {
            r[j] = random.nextDouble() < 0.2 ? 0.0f : (float)(random.nextDouble(-1, 1) * scale);
        }
        return r;
    }

    private static void feed(final Network n, final SplittableRandom random, final long t, final Simulator sim, final ReferenceSimulator ref)
    {
        final double[] x = new double[n.population(0).outputSize()];
        for (int i = 0; i < x.length; i++)
        {
            // slowly varying with occasional jumps: what delta encoding is for
            x[i] = Math.sin(0.07 * t + i) + (random.nextDouble() < 0.05 ? random.nextDouble(-1, 1) : 0.0);
        }
        if (sim != null)
        {
            sim.setInput(0, x);
        }
        if (ref != null)
        {
            ref.setInput(0, x);
        }
    }

    @Test
    void engineEqualsReferenceExactly()
    {
        long events = 0;
        long multiCount = 0;
        for (long seed = 1; seed <= 25; seed++)
        {
            final Network network = randomNetwork(seed);
            try (Simulator sim = new Simulator(network))
            {
                final ReferenceSimulator ref = new ReferenceSimulator(network);
                for (int sample = 0; sample < 2; sample++)
                {
                    final SplittableRandom random = new SplittableRandom(seed * 17 + sample);
                    for (int t = 0; t < STEPS; t++)
                    {
                        feed(network, random, t, sim, ref);
                        sim.step();
                        ref.step();
                        for (int p = 0; p < network.populationCount(); p++)
                        {
                            final double[] expected = ref.outputs(p);
                            final double[] actual = sim.outputs(p);
                            for (int i = 0; i < expected.length; i++)
                            {
                                if (expected[i] != actual[i])
                                {
                                    fail("seed " + seed + " step " + t + " " + network.population(p) + " unit " + i + ": reference " +
                                        expected[i] + ", engine " + actual[i]);
                                }
                            }
                            if (network.population(p).isSpiking())
                            {
                                assertArrayEquals(ref.counts(p), sim.counts(p));
                                for (int e = 0; e < sim.eventCount(p); e++)
                                {
                                    events++;
                                    multiCount += Math.abs(sim.eventCounts(p)[e]) > 1 ? 1 : 0;
                                }
                            }
                        }
                    }
                    sim.reset(seed + sample);
                    ref.reset(seed + sample);
                }
            }
        }
        assertTrue(events > 2000, "events " + events);
        assertTrue(multiCount > 200, "graded (|count| > 1) events " + multiCount);
    }

    private static long[] run(final Network network, final int threads, final long seed, final boolean snapshotHalfway)
    {
        final long[] bits = new long[STEPS * 64];
        int k = 0;
        try (Simulator sim = new Simulator(network, threads))
        {
            final SplittableRandom random = new SplittableRandom(seed);
            for (int t = 0; t < STEPS; t++)
            {
                if (snapshotHalfway && t == STEPS / 2)
                {
                    final ByteBuffer state = ByteBuffer.allocate(sim.stateSize());
                    sim.saveState(state);
                    state.flip();
                    try (Simulator other = new Simulator(network, threads))
                    {
                        other.restoreState(state);
                        final ByteBuffer again = ByteBuffer.allocate(other.stateSize());
                        other.saveState(again);
                        state.rewind();
                        again.flip();
                        assertEquals(state, again, "snapshot round trip");
                    }
                    state.rewind();
                    sim.reset(99);
                    sim.restoreState(state);
                }
                feed(network, random, t, sim, null);
                sim.step();
                for (int p = 1; p < network.populationCount() && k < bits.length; p++)
                {
                    for (final double v : sim.outputs(p))
                    {
                        if (k < bits.length)
                        {
                            bits[k++] = Double.doubleToRawLongBits(v);
                        }
                    }
                }
            }
        }
        return bits;
    }

    @Test
    void disruptorPathAndSnapshotsAreBitIdentical()
    {
        for (long seed = 40; seed < 46; seed++)
        {
            final Network network = randomNetwork(seed);
            final long[] direct = run(network, 0, seed, false);
            for (final int threads : new int[] {1, 2, 4})
            {
                assertArrayEquals(direct, run(network, threads, seed, false), "seed " + seed + " threads " + threads);
            }
            assertArrayEquals(direct, run(network, 0, seed, true), "seed " + seed + " snapshot at step " + STEPS / 2);
            assertArrayEquals(direct, run(network, 2, seed, true), "seed " + seed + " snapshot, 2 threads");
        }
    }

    @Test
    void aReceiverHoldsTheDecodedActivationAndPaysOnlyForChanges()
    {
        // one neuron, unit weight into an integrator through SIGMA: the integrator adds R·scale every step
        final Network.Builder b = Network.builder();
        final int in = b.input("in", 1);
        final int d = b.sigmaDelta("d", 1, Quantization.delta(Activation.LINEAR, 10.0, 1.0, 1.0));
        final int sum = b.integrator("sum", 1, 1.0, null);
        b.connect(in, d).dense(new float[][] {{1.0f}});
        b.connect(d, sum).port(Port.SIGMA).dense(new float[][] {{1.0f}});
        final Network network = b.build();
        try (Simulator sim = new Simulator(network))
        {
            final double[] x = {0.73};
            for (int t = 0; t < 10; t++)
            {
                sim.setInput(in, x);
                sim.step();
            }
            // 7 counts of 0.1 sent once, held for ten steps
            assertEquals(1, sim.ops().population(d, OpCounter.Op.EVENTS));
            assertEquals(7 * 0.1 * 10, sim.outputs(sum)[0], 1e-12);
            assertEquals(7.0, sim.deltaQuantizer(d).held()[0], 0.0);
        }
    }

    @Test
    void portsAreCheckedAgainstTheEncoder()
    {
        final Network.Builder b = Network.builder();
        final int in = b.input("in", 1);
        final int d = b.sigmaDelta("d", 1, Quantization.delta(Activation.LINEAR, 10.0, 1.0, 1.0));
        final int r = b.rate("r", 1, Activation.LINEAR);
        final IllegalArgumentException plain = assertThrows(IllegalArgumentException.class,
            () -> b.connect(d, r).dense(new float[][] {{1.0f}}));
        assertTrue(plain.getMessage().contains("port SIGMA"), plain.getMessage());
        final IllegalArgumentException sigma = assertThrows(IllegalArgumentException.class,
            () -> b.connect(in, r).port(Port.SIGMA).dense(new float[][] {{1.0f}}));
        assertTrue(sigma.getMessage().contains("delta-encoded"), sigma.getMessage());
        assertThrows(IllegalArgumentException.class, () -> b.stateSpace("m", 1, new double[][] {{0.5}}, new double[] {1.0},
            Quantization.delta(Activation.LINEAR, 1.0, 1.0, 0.0)));
    }
}
