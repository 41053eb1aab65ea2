package io.spikering.core.engine;

import io.spikering.core.engine.OpCounter.Op;
import io.spikering.neuron.Activation;
import io.spikering.neuron.LegendreMemory;
import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Active windows (gating), the integrating readout and the event-driven linear filter: against the dense
 * {@link ReferenceSimulator}, against the recurrent state space, and op counts by hand.
 */
final class WindowedPopulationsTest
{
    private static final int ORDER = 6;
    private static final int STEPS = 40;
    private static final int FROM = 30;
    private static final int HIDDEN = 5;

    private record Ids(int input, int filter, int memory, int hidden, int readout, int memoryToHidden, int hiddenToReadout)
    {
    }

    private static Network network(final Ids[] ids)
    {
        final LegendreMemory lmu = LegendreMemory.zoh(ORDER, 25.0);
        final Random rnd = new Random(7);
        final Network.Builder b = Network.builder();
        final int in = b.input("u", 1);
        final int filter = b.linearFilter("filter", 1, lmu.a(), lmu.b(), FROM, STEPS);
        final int memory = b.legendreMemory("memory", 1, lmu, null);
        final int hidden = b.sigmaDelta("hidden", HIDDEN, new Quantization(Activation.TANH, 2.0, 1.0, 3));
        final int readout = b.integrator("readout", 3, 1.0 / (STEPS - FROM), new float[] {0.5f, -0.25f, 0});
        b.connect(in, filter).dense(new float[][] {{1}});
        b.connect(in, memory).dense(new float[][] {{1}});
        final int mh = b.connect(memory, hidden).dense(random(rnd, ORDER, HIDDEN, 3));
        b.connect(in, hidden).dense(random(rnd, 1, HIDDEN, 1));
        final int hr = b.connect(hidden, readout).dense(random(rnd, HIDDEN, 3, 1));
        b.bias(hidden, new float[] {0.1f, -0.2f, 0.3f, 0, 0.05f});
        b.activeWindow(hidden, FROM, STEPS).activeWindow(readout, FROM, STEPS);
        ids[0] = new Ids(in, filter, memory, hidden, readout, mh, hr);
        return b.build();
    }

    private static float[][] random(final Random rnd, final int rows, final int cols, final double scale)
    {
        final float[][] w = new float[rows][cols];
        for (final float[] row : w)
        {
            for (int j = 0; j < cols; j++)
            {
                row[j] = (float)(scale * (2 * rnd.nextDouble() - 1));
            }
        }
        return w;
    }

    private static double[] input(final int t)
    {
        // zero on most steps, as MNIST pixels
        return new double[] {t % 3 == 0 ? 0.25 + 0.02 * t : 0.0};
    }

    @Test
    void engineEqualsReferenceAndFilterEqualsRecurrence()
    {
        final Ids[] holder = new Ids[1];
        final Network net = network(holder);
        final Ids ids = holder[0];
        for (final int threads : new int[] {0, 2})
        {
            try (Simulator sim = new Simulator(net, threads))
            {
                final ReferenceSimulator ref = new ReferenceSimulator(net);
                int spikes = 0;
                for (int sample = 0; sample < 2; sample++)
                {
                    sim.reset(sample);
                    ref.reset(sample);
                    for (int t = 0; t < STEPS; t++)
                    {
                        sim.setInput(ids.input, input(t + sample));
                        ref.setInput(ids.input, input(t + sample));
                        sim.step();
                        ref.step();
                        assertArrayEquals(ref.counts(ids.hidden), sim.counts(ids.hidden), "hidden counts at step " + t);
                        assertArrayEquals(ref.outputs(ids.readout), sim.outputs(ids.readout), 1e-12, "readout at " + t);
                        final double[] filter = sim.outputs(ids.filter);
                        for (int i = 0; i < ORDER; i++)
                        {
                            final double expected = t >= FROM ? sim.memory(ids.memory)[i] : 0.0;
                            assertEquals(expected, filter[i], 1e-12, "filter vs recurrence at step " + t);
                            assertEquals(ref.outputs(ids.filter)[i], filter[i], 1e-12);
                        }
                        if (t < FROM)
                        {
                            assertEquals(0, sim.eventCount(ids.hidden));
                            assertEquals(0.0, sim.outputs(ids.readout)[0]);
                        }
                        for (final int c : sim.counts(ids.hidden))
                        {
                            spikes += Math.abs(c);
                        }
                    }
                }
                assertTrue(spikes > 20, "the test network must spike: " + spikes);
            }
        }
    }

    @Test
    void gatedOpCountsByHand()
    {
        final Ids[] holder = new Ids[1];
        final Network net = network(holder);
        final Ids ids = holder[0];
        try (Simulator sim = new Simulator(net))
        {
            long filterMacs = 0;
            long filterDense = 0;
            for (int t = 0; t < STEPS; t++)
            {
                sim.setInput(ids.input, input(t));
                sim.step();
                final int ahead = STEPS - Math.max(t, FROM);
                filterMacs += input(t)[0] != 0.0 ? (long)ahead * ORDER : 0;
                filterDense += (long)ahead * ORDER;
            }
            final OpCounter ops = sim.ops();
            final int window = STEPS - FROM;
            assertEquals((long)window * HIDDEN, ops.population(ids.hidden, Op.NEURON_UPDATES));
            assertEquals((long)window * 3, ops.population(ids.readout, Op.NEURON_UPDATES));
            assertEquals((long)STEPS * ORDER, ops.population(ids.memory, Op.NEURON_UPDATES));
            assertEquals((long)window * ORDER, ops.population(ids.filter, Op.NEURON_UPDATES));
            // memory -> hidden is counted only while hidden is active
            assertEquals((long)window * ORDER * HIDDEN, ops.projection(ids.memoryToHidden, Op.MACS_DENSE));
            assertEquals((long)window * HIDDEN * 3, ops.projection(ids.hiddenToReadout, Op.MACS_DENSE));
            // impulse rows of a Legendre memory have no zero entries
            assertEquals(filterMacs, ops.population(ids.filter, Op.MACS_EFFECTIVE));
            assertEquals(filterDense, ops.population(ids.filter, Op.MACS_DENSE));
            assertEquals((long)window * HIDDEN, ops.histogram(ids.hidden).total());
        }
    }

    @Test
    void filterWithOutputMatrixEqualsMatrixTimesState()
    {
        final LegendreMemory lmu = LegendreMemory.zoh(ORDER, 25.0);
        final double[][] c = new double[3][ORDER];
        final Random rnd = new Random(5);
        for (final double[] row : c)
        {
            for (int j = 0; j < ORDER; j++)
            {
                row[j] = rnd.nextGaussian();
            }
        }
        final Network.Builder b = Network.builder();
        final int in = b.input("u", 1);
        final int plain = b.linearFilter("plain", 1, lmu.a(), lmu.b(), FROM, STEPS);
        final int folded = b.linearFilter("folded", 1, lmu.a(), lmu.b(), c, FROM, STEPS);
        b.connect(in, plain).dense(new float[][] {{1}});
        b.connect(in, folded).dense(new float[][] {{1}});
        final Network net = b.build();
        try (Simulator sim = new Simulator(net))
        {
            final ReferenceSimulator ref = new ReferenceSimulator(net);
            for (int t = 0; t < STEPS; t++)
            {
                sim.setInput(in, input(t));
                ref.setInput(in, input(t));
                sim.step();
                ref.step();
                for (int r = 0; r < 3; r++)
                {
                    double y = 0;
                    for (int j = 0; j < ORDER; j++)
                    {
                        y += c[r][j] * sim.outputs(plain)[j];
                    }
                    assertEquals(y, sim.outputs(folded)[r], 1e-12);
                    assertEquals(ref.outputs(folded)[r], sim.outputs(folded)[r], 1e-12);
                }
            }
            // 3 outputs per row instead of ORDER
            assertEquals(sim.ops().population(plain, Op.MACS_EFFECTIVE) / ORDER * 3, sim.ops().population(folded, Op.MACS_EFFECTIVE));
        }
    }

    @Test
    void snapshotsBeforeAndInsideTheWindowResumeExactly()
    {
        for (final int at : new int[] {FROM - 4, FROM, FROM + 3})
        {
            snapshotResumesExactly(at);
        }
    }

    private static void snapshotResumesExactly(final int at)
    {
        final Ids[] holder = new Ids[1];
        final Network net = network(holder);
        final Ids ids = holder[0];
        try (Simulator sim = new Simulator(net))
        {
            sim.reset(4);
            final java.nio.ByteBuffer state = java.nio.ByteBuffer.allocate(sim.stateSize());
            final double[][] first = new double[STEPS][];
            for (int t = 0; t < STEPS; t++)
            {
                if (t == at)
                {
                    sim.saveState(state);
                }
                sim.setInput(ids.input, input(t));
                sim.step();
                first[t] = concat(sim.outputs(ids.readout), sim.outputs(ids.filter));
            }
            state.flip();
            sim.restoreState(state);
            for (int t = at; t < STEPS; t++)
            {
                sim.setInput(ids.input, input(t));
                sim.step();
                assertArrayEquals(first[t], concat(sim.outputs(ids.readout), sim.outputs(ids.filter)), "snapshot at " + at + ", step " + t);
            }
        }
    }

    private static double[] concat(final double[] a, final double[] b)
    {
        final double[] c = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, c, a.length, b.length);
        return c;
    }

    @Test
    void deferredSingleChannelFilterEqualsRowByRowBitForBit()
    {
        // one channel keeps inputs before the window and adds them four rows per pass; two channels add each input
        // as it arrives: the same products in the same order per element, so the same bits
        final LegendreMemory lmu = LegendreMemory.zoh(ORDER, 25.0);
        final Network.Builder b = Network.builder();
        final int in = b.input("u", 2);
        final int one = b.linearFilter("one", 1, lmu.a(), lmu.b(), FROM, STEPS);
        final int two = b.linearFilter("two", 2, lmu.a(), lmu.b(), FROM, STEPS);
        b.connect(in, one).dense(new float[][] {{1}, {0}});
        b.connect(in, two).dense(new float[][] {{1, 0}, {0, 1}});
        try (Simulator sim = new Simulator(b.build()))
        {
            final Random rnd = new Random(8);
            for (int t = 0; t < STEPS; t++)
            {
                sim.setInput(in, new double[] {rnd.nextBoolean() ? 0 : rnd.nextDouble(), rnd.nextDouble()});
                sim.step();
                for (int i = 0; i < ORDER; i++)
                {
                    assertEquals(Double.doubleToRawLongBits(sim.outputs(two)[i]), Double.doubleToRawLongBits(sim.outputs(one)[i]),
                        "step " + t + " state " + i);
                }
            }
        }
    }

    @Test
    void rejectsBadWindows()
    {
        final Network.Builder b = Network.builder();
        final int in = b.input("u", 1);
        assertThrows(IllegalArgumentException.class, () -> b.activeWindow(in, 5, 5));
        assertThrows(IllegalArgumentException.class, () -> b.activeWindow(in, -1, 5));
        final double[][] a = {{0.5}};
        assertThrows(IllegalArgumentException.class, () -> b.linearFilter("f", 1, a, new double[] {1}, 3, 3));
        final int r = b.integrator("r", 2, 0.5, null);
        assertThrows(IllegalArgumentException.class, () -> b.bias(r, new float[] {1, 1}));
        assertThrows(IllegalArgumentException.class, () -> b.integrator("q", 2, Double.NaN, null));
    }
}
