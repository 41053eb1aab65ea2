package io.spikering.core.engine;

import io.spikering.core.engine.OpCounter.Op;
import io.spikering.neuron.LegendreMemory;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The eager schedule of a single-channel linear filter (each input's rows added when it arrives) against the deferred
 * one (inputs before the window added at its first step, four rows per pass) and against the recurrence
 * m_t = A m_{t-1} + B u_t, on random small models.
 */
final class FilterScheduleTest
{
    private record Model(Network network, int input, int recurrence, int deferred, int eager, double[][] c, int from, int steps)
    {
    }

    private static Model randomModel(final Random rnd)
    {
        final int order = 1 + rnd.nextInt(8);
        final int steps = 5 + rnd.nextInt(60);
        final int from = rnd.nextInt(steps);
        final LegendreMemory lmu = LegendreMemory.zoh(order, 2.0 + 40.0 * rnd.nextDouble());
        double[][] c = null;
        if (rnd.nextBoolean())
        {
            c = new double[1 + rnd.nextInt(4)][order];
            for (final double[] row : c)
            {
                for (int j = 0; j < order; j++)
                {
                    row[j] = rnd.nextGaussian();
                }
            }
        }
        final Network.Builder b = Network.builder();
        final int in = b.input("u", 1);
        final int recurrence = b.stateSpace("recurrence", 1, lmu.a(), lmu.b());
        final int deferred = b.linearFilter("deferred", 1, lmu.a(), lmu.b(), c, from, steps);
        final int eager = b.linearFilter("eager", 1, lmu.a(), lmu.b(), c, from, steps);
        b.deferFilterInputs(eager, false);
        for (final int p : new int[] {recurrence, deferred, eager})
        {
            b.connect(in, p).dense(new float[][] {{1}});
        }
        return new Model(b.build(), in, recurrence, deferred, eager, c, from, steps);
    }

    private static double input(final Random rnd)
    {
        // mostly zero, as MNIST pixels
        return rnd.nextInt(3) == 0 ? rnd.nextDouble() * 2 - 0.5 : 0.0;
    }

    @Test
    void eagerEqualsDeferredBitForBitAndRecurrenceWithinRounding()
    {
        for (int seed = 0; seed < 40; seed++)
        {
            final Random rnd = new Random(seed);
            final Model m = randomModel(rnd);
            try (Simulator sim = new Simulator(m.network))
            {
                for (int sample = 0; sample < 2; sample++)
                {
                    sim.reset(sample);
                    for (int t = 0; t < m.steps; t++)
                    {
                        sim.setInput(m.input, new double[] {input(rnd)});
                        sim.step();
                        final double[] eager = sim.outputs(m.eager);
                        final double[] deferred = sim.outputs(m.deferred);
                        final double[] state = sim.outputs(m.recurrence);
                        for (int i = 0; i < eager.length; i++)
                        {
                            final String at = "seed " + seed + ", step " + t + ", output " + i;
                            assertEquals(Double.doubleToRawLongBits(deferred[i]), Double.doubleToRawLongBits(eager[i]), at);
                            final double expected = t < m.from ? 0.0 : project(m.c, state, i);
                            // the recurrence sums A^k B u in another order: rounding only
                            assertEquals(expected, eager[i], 1e-12 * (1 + Math.abs(expected)), at + " vs recurrence");
                        }
                    }
                }
                final OpCounter ops = sim.ops();
                for (final Op op : new Op[] {Op.MACS_EFFECTIVE, Op.MACS_DENSE, Op.NEURON_UPDATES})
                {
                    assertEquals(ops.population(m.deferred, op), ops.population(m.eager, op), "seed " + seed + ": " + op);
                }
                assertTrue(ops.population(m.eager, Op.MACS_EFFECTIVE) > 0, "seed " + seed + " must do work");
            }
        }
    }

    private static double project(final double[][] c, final double[] state, final int i)
    {
        if (c == null)
        {
            return state[i];
        }
        double y = 0.0;
        for (int j = 0; j < state.length; j++)
        {
            y += c[i][j] * state[j];
        }
        return y;
    }

    @Test
    void snapshotsMoveBetweenSchedules()
    {
        // a deferred snapshot taken before the window (inputs still pending) resumes in an eager filter, and back
        final Random rnd = new Random(11);
        final LegendreMemory lmu = LegendreMemory.zoh(5, 20.0);
        final int from = 30;
        final int steps = 45;
        final double[] u = new double[steps];
        for (int t = 0; t < steps; t++)
        {
            u[t] = input(rnd);
        }
        final Network[] nets = new Network[2];
        for (int e = 0; e < 2; e++)
        {
            final Network.Builder b = Network.builder();
            final int in = b.input("u", 1);
            final int f = b.linearFilter("memory", 1, lmu.a(), lmu.b(), from, steps);
            b.deferFilterInputs(f, e == 0);
            b.connect(in, f).dense(new float[][] {{1}});
            nets[e] = b.build();
        }
        for (final int[] fromTo : new int[][] {{0, 1}, {1, 0}})
        {
            try (Simulator a = new Simulator(nets[fromTo[0]]); Simulator b = new Simulator(nets[fromTo[1]]))
            {
                for (int t = 0; t < 20; t++)
                {
                    a.setInput(0, new double[] {u[t]});
                    a.step();
                }
                final ByteBuffer state = ByteBuffer.allocate(a.stateSize());
                a.saveState(state);
                state.flip();
                b.restoreState(state);
                for (int t = 20; t < steps; t++)
                {
                    a.setInput(0, new double[] {u[t]});
                    b.setInput(0, new double[] {u[t]});
                    a.step();
                    b.step();
                    for (int i = 0; i < 5; i++)
                    {
                        assertEquals(Double.doubleToRawLongBits(a.outputs(1)[i]), Double.doubleToRawLongBits(b.outputs(1)[i]), "step " + t);
                    }
                }
            }
        }
    }

    @Test
    void rejectsScheduleOnOtherPopulations()
    {
        final Network.Builder b = Network.builder();
        final int in = b.input("u", 1);
        final IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> b.deferFilterInputs(in, false));
        assertTrue(e.getMessage().contains("linear filter"), e.getMessage());
    }
}
