package io.spikering.core.engine;

import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The event engine against the dense reference, and the Disruptor path against the direct path, on random hybrid
 * networks (every population kind, recurrence, delays 0..3, dense and sparse rows, biases, both LIF ports).
 */
final class EngineEquivalenceTest
{
    private static final int STEPS = 60;

    @Test
    void directEngineEqualsDenseReferenceExactly()
    {
        final long[] seen = new long[5];
        for (long seed = 1; seed <= 40; seed++)
        {
            compareWithReference(RandomNetworks.create(seed), seed, seen);
        }
        // the random networks must actually exercise what they claim to
        assertTrue(seen[0] > 1000, "events " + seen[0]);
        assertTrue(seen[1] > 100, "multi-spike events " + seen[1]);
        assertTrue(seen[2] > 100, "negative events " + seen[2]);
        assertTrue(seen[3] > 20, "LIF spikes " + seen[3]);
    }

    /**
     * NIR-like networks (convolutions, pooling, 1-d convolutions, diagonals, NEURON populations of every model with
     * random options, pass-throughs, per-element delays, recurrence): every output, voltage and current equals the
     * reference's exactly, and the op counts recomputed from its dense outputs.
     */
    @Test
    void nirNetworksEqualTheReferenceExactly()
    {
        final long[] seen = new long[5];
        for (long seed = 1; seed <= 40; seed++)
        {
            compareWithReference(RandomNetworks.createNir(seed), seed, seen);
        }
        assertTrue(seen[4] > 1000, "NEURON spikes " + seen[4]);
    }

    /** Runs engine and reference side by side for 2 samples; seen: events, multi-spike, negative, LIF, NEURON spikes. */
    private static void compareWithReference(final Network network, final long seed, final long[] seen)
    {
        final long[][] expectedOps = new long[OpCounter.Op.values().length][network.projectionCount()];
        try (Simulator sim = new Simulator(network))
        {
            final ReferenceSimulator ref = new ReferenceSimulator(network);
            for (int sample = 0; sample < 2; sample++)
            {
                final SplittableRandom inputs = new SplittableRandom(seed * 31 + sample);
                for (int t = 0; t < STEPS; t++)
                {
                    feed(network, inputs, sim, ref);
                    sim.step();
                    ref.step();
                    countFromDenseOutputs(network, ref, expectedOps);
                    for (int p = 0; p < network.populationCount(); p++)
                    {
                        final Population pop = network.population(p);
                        final String where = "seed " + seed + " sample " + sample + " step " + t + " " + pop;
                        // == on doubles: the engine skips zero sources, so a sum may be +0.0 where the reference
                        // has -0.0; every non-zero value is bit-identical
                        same(ref.outputs(p), sim.outputs(p), where + " output");
                        if (pop.kind() == PopulationKind.NEURON)
                        {
                            same(ref.voltage(p), sim.voltage(p), where + " voltage");
                            same(ref.current(p), sim.current(p), where + " current");
                        }
                        if (pop.isSpiking())
                        {
                            assertArrayEquals(ref.counts(p), sim.counts(p), where);
                            for (int e = 0; e < sim.eventCount(p); e++)
                            {
                                final int c = sim.eventCounts(p)[e];
                                seen[0]++;
                                seen[1] += Math.abs(c) > 1 ? 1 : 0;
                                seen[2] += c < 0 ? 1 : 0;
                                seen[3] += pop.kind() == PopulationKind.LIF ? 1 : 0;
                                seen[4] += pop.kind() == PopulationKind.NEURON ? 1 : 0;
                            }
                        }
                    }
                }
                sim.reset(seed + sample);
                ref.reset(seed + sample);
            }
            for (int r = 0; r < network.projectionCount(); r++)
            {
                for (final OpCounter.Op op : OpCounter.Op.values())
                {
                    assertEquals(expectedOps[op.ordinal()][r], sim.ops().projection(r, op),
                        "seed " + seed + " " + network.projection(r) + " " + op);
                }
            }
        }
    }

    private static void same(final double[] expected, final double[] actual, final String where)
    {
        for (int i = 0; i < expected.length; i++)
        {
            if (expected[i] != actual[i])
            {
                fail(where + " unit " + i + ": reference " + expected[i] + ", engine " + actual[i]);
            }
        }
    }

    @Test
    void disruptorPathIsBitIdenticalToDirectForOneTwoAndFourThreads()
    {
        for (long seed = 100; seed < 124; seed++)
        {
            // half the seeds NIR-like networks (convolutions, NEURON populations)
            final Network network = seed < 112 ? RandomNetworks.create(seed) : RandomNetworks.createNir(seed);
            final long[][] direct = run(network, 0, seed);
            for (final int threads : new int[] {1, 2, 4})
            {
                // every emission through the bus, the small ones on the stepping thread (the default), and a mix
                for (final int directAdds : new int[] {0, Simulator.DIRECT_ADDS, 1 + (int)(seed % 7) * 40})
                {
                    final long[][] bus = run(network, threads, seed, directAdds);
                    for (int k = 0; k < direct.length; k++)
                    {
                        assertArrayEquals(direct[k], bus[k], "seed " + seed + " threads " + threads + " direct below " + directAdds + " record " + k);
                    }
                }
            }
        }
    }

    @Test
    void emissionsWiderThanOneBusSlotKeepTheirOrder()
    {
        final SplittableRandom random = new SplittableRandom(9);
        final Network.Builder b = Network.builder();
        final int in = b.input("in", 3);
        final int wide = b.rate("wide", 700, io.spikering.neuron.Activation.TANH);
        final int sd = b.sigmaDelta("sd", 300, new Quantization(io.spikering.neuron.Activation.TANH, 4.0, 1.0, 5));
        final int out = b.rate("out", 50, io.spikering.neuron.Activation.LINEAR);
        b.connect(in, wide).dense(matrix(random, 3, 700, 1.0));
        b.connect(wide, sd).dense(matrix(random, 700, 300, 0.1));
        b.connect(wide, sd).name("second route into the same columns").delay(2).dense(matrix(random, 700, 300, 0.05));
        final int[][] targets = new int[300][];
        final float[][] weights = new float[300][];
        for (int i = 0; i < 300; i++)
        {
            targets[i] = random.ints(0, 300).distinct().limit(30).toArray();
            weights[i] = matrix(random, 1, 30, 0.2)[0];
        }
        b.connect(sd, sd).delay(1).sparse(targets, weights);
        b.connect(sd, out).dense(matrix(random, 300, 50, 0.1));
        final Network network = b.build();
        final long[][] direct = run(network, 0, 1);
        for (final int threads : new int[] {1, 2, 4})
        {
            final long[][] bus = run(network, threads, 1, 0);
            for (int k = 0; k < direct.length; k++)
            {
                assertArrayEquals(direct[k], bus[k], "threads " + threads + " record " + k);
            }
        }
        try (Simulator sim = new Simulator(network))
        {
            sim.setInput(in, new double[] {1, -1, 0.5});
            sim.run(5);
            assertTrue(sim.eventCount(wide) > SpikeBus.SLOT_CAPACITY && sim.eventCount(sd) > SpikeBus.SLOT_CAPACITY / 2);
        }
    }

    private static float[][] matrix(final SplittableRandom random, final int rows, final int columns, final double scale)
    {
        final float[][] w = new float[rows][columns];
        for (final float[] row : w)
        {
            for (int j = 0; j < columns; j++)
            {
                row[j] = (float)(scale * random.nextGaussian());
            }
        }
        return w;
    }

    @Test
    void opCountsAreIdenticalOnBothPaths()
    {
        final Network network = RandomNetworks.create(7);
        try (Simulator direct = new Simulator(network); Simulator bus = new Simulator(network, 2))
        {
            final SplittableRandom a = new SplittableRandom(3);
            final SplittableRandom b = new SplittableRandom(3);
            for (int t = 0; t < STEPS; t++)
            {
                feed(network, a, direct, null);
                feed(network, b, bus, null);
                direct.step();
                bus.step();
            }
            for (final OpCounter.Op op : OpCounter.Op.values())
            {
                assertEquals(direct.ops().total(op), bus.ops().total(op), op.name());
            }
        }
    }

    /** Op counts of every projection recomputed from the reference's dense outputs and the dense weight matrix. */
    private static void countFromDenseOutputs(final Network network, final ReferenceSimulator ref, final long[][] ops)
    {
        for (int r = 0; r < network.projectionCount(); r++)
        {
            final Projection p = network.projection(r);
            final Population source = network.population(p.source());
            final float[][] w = p.toDense();
            for (int i = 0; i < w.length; i++)
            {
                int fanOut = 0;
                for (final float x : w[i])
                {
                    fanOut += x != 0.0f ? 1 : 0;
                }
                if (source.isSpiking())
                {
                    final int c = Math.abs(ref.counts(p.source())[i]);
                    if (c != 0)
                    {
                        ops[OpCounter.Op.EVENTS.ordinal()][r]++;
                        ops[OpCounter.Op.SYNOPS.ordinal()][r] += (long)c * fanOut;
                        ops[OpCounter.Op.ROW_ADDS.ordinal()][r] += fanOut;
                        ops[OpCounter.Op.SHIFT_ADDS.ordinal()][r] += (long)Integer.toBinaryString(c >>> Integer.numberOfTrailingZeros(c)).length() * fanOut;
                    }
                }
                else if (ref.outputs(p.source())[i] != 0.0)
                {
                    ops[OpCounter.Op.MACS_EFFECTIVE.ordinal()][r] += fanOut;
                }
            }
            final ConvKernel k = p.convKernel();
            ops[OpCounter.Op.MACS_DENSE.ordinal()][r] += k != null ?
                (long)k.outputSize() * (k.inChannels() / k.groups()) * k.kernelElements() :
                p.diagonalGains() != null ? w.length : (long)w.length * p.targetSize();
        }
    }

    /** Raw bits of every population's outputs and every state-space memory, per step. */
    private static long[][] run(final Network network, final int threads, final long seed)
    {
        return run(network, threads, seed, Simulator.DIRECT_ADDS);
    }

    private static long[][] run(final Network network, final int threads, final long seed, final int directAdds)
    {
        final long[][] record = new long[STEPS * network.populationCount() * 2][];
        final SplittableRandom inputs = new SplittableRandom(seed);
        int k = 0;
        try (Simulator sim = new Simulator(network, threads))
        {
            sim.directDeliveryBelow(directAdds);
            for (int t = 0; t < STEPS; t++)
            {
                feed(network, inputs, sim, null);
                sim.step();
                for (int p = 0; p < network.populationCount(); p++)
                {
                    record[k++] = bits(sim.outputs(p));
                    final PopulationKind kind = network.population(p).kind();
                    record[k++] = kind == PopulationKind.STATE_SPACE ? bits(sim.memory(p)) :
                        kind == PopulationKind.LIF ? bits(sim.lif(p).membrane()) :
                        kind == PopulationKind.NEURON ? bits(sim.voltage(p), sim.current(p)) : new long[0];
                }
            }
        }
        return record;
    }

    private static long[] bits(final double[] values)
    {
        final long[] bits = new long[values.length];
        for (int i = 0; i < values.length; i++)
        {
            bits[i] = Double.doubleToRawLongBits(values[i]);
        }
        return bits;
    }

    private static long[] bits(final double[] a, final double[] b)
    {
        final long[] bits = new long[a.length + b.length];
        System.arraycopy(bits(a), 0, bits, 0, a.length);
        System.arraycopy(bits(b), 0, bits, a.length, b.length);
        return bits;
    }

    static void feed(final Network network, final SplittableRandom random, final Simulator sim, final ReferenceSimulator ref)
    {
        for (int p = 0; p < network.populationCount(); p++)
        {
            if (network.population(p).kind() == PopulationKind.INPUT)
            {
                final double[] values = new double[network.population(p).outputSize()];
                RandomNetworks.randomInput(random, values);
                sim.setInput(p, values);
                if (ref != null)
                {
                    ref.setInput(p, values);
                }
            }
        }
    }
}
