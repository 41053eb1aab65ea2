package io.spikering.interop.nir;

import io.spikering.core.engine.NeuronDynamics.CurrentOrder;
import io.spikering.core.engine.NeuronDynamics.Discretization;
import io.spikering.core.engine.NeuronDynamics.Reset;
import io.spikering.core.engine.Simulator;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every runnable primitive in one graph, engine against the independent reference; and the refusals. */
class NirCompilerTest
{
    static final double DT = 1e-3;

    private static NirTensor random(final Random rnd, final double scale, final int... shape)
    {
        final double[] v = new double[(int)NirTensor.sizeOf(shape)];
        for (int i = 0; i < v.length; i++)
        {
            v[i] = (rnd.nextInt(257) - 96) / 64.0 * scale; // exact in float (scales are powers of two), mostly positive
        }
        return new NirTensor(shape, v);
    }

    private static NirTensor fill(final double value, final int... shape)
    {
        return NirTensor.filled(shape, value);
    }

    /**
     * input[2,4,4] -> Conv2d -> AvgPool2d -> Flatten -> Linear -> Scale -> LIF n1 (recurrent Linear) -> Delay -> Affine -> CubaLI n2
     * -> output; n1 -> Affine -> IF n3 -> Linear -> Threshold th -> Affine -> n2; n1 -> Conv1d -> I n4 -> Linear -> n2; n1 -> LI n5
     * -> SumPool... (n5 -> Affine -> CubaLIF n6 -> Affine -> n2).
     */
    static NirGraph everything(final double[] delaySteps)
    {
        final Random rnd = new Random(5);
        final Map<String, NirNode> n = new LinkedHashMap<>();
        final List<NirEdge> e = new ArrayList<>();
        n.put("in", new NirNode.Input(new int[] {2, 4, 4}));
        n.put("conv", new NirNode.Conv2d(new int[] {4, 4}, random(rnd, 1, 3, 2, 3, 3), new int[] {1, 1}, new int[] {1, 1}, new int[] {1, 1}, 1,
            random(rnd, 0.125, 3)));
        n.put("pool", new NirNode.AvgPool2d(new int[] {2, 2}, new int[] {2, 2}, new int[] {0, 0}, new int[] {3, 4, 4}));
        n.put("flat", new NirNode.Flatten(0, -1, new int[] {3, 2, 2}));
        n.put("lin", new NirNode.Linear(random(rnd, 1, 5, 12)));
        n.put("scale", new NirNode.Scale(random(rnd, 1, 5)));
        n.put("n1", new NirNode.LIF(fill(5e-3, 5), fill(4, 5), fill(0, 5), fill(1, 5), fill(0, 5)));
        n.put("rec", new NirNode.Linear(random(rnd, 0.25, 5, 5)));
        final double[] seconds = new double[5];
        for (int i = 0; i < 5; i++)
        {
            seconds[i] = delaySteps[i] * DT;
        }
        n.put("delay", new NirNode.Delay(new NirTensor(new int[] {5}, seconds)));
        n.put("a", new NirNode.Affine(random(rnd, 1, 4, 5), random(rnd, 0.5, 4)));
        n.put("n2", new NirNode.CubaLI(fill(2e-3, 4), fill(4e-3, 4), fill(2, 4), fill(0.1, 4), fill(1.5, 4)));
        n.put("a3", new NirNode.Affine(random(rnd, 1, 3, 5), random(rnd, 0.25, 3)));
        n.put("n3", new NirNode.IF(fill(300, 3), fill(1, 3), fill(0, 3)));
        n.put("lin2", new NirNode.Linear(random(rnd, 1, 3, 3)));
        n.put("th", new NirNode.Threshold(fill(0.3, 3)));
        n.put("a4", new NirNode.Affine(random(rnd, 1, 4, 3), fill(0, 4)));
        n.put("conv1", new NirNode.Conv1d(new int[] {5}, random(rnd, 1, 1, 1, 3), new int[] {1}, new int[] {1}, new int[] {1}, 1, fill(0.0625, 1)));
        n.put("n4", new NirNode.I(fill(50, 1, 5)));
        n.put("lin3", new NirNode.Linear(random(rnd, 0.25, 4, 5)));
        n.put("n5", new NirNode.LI(fill(3e-3, 5), fill(1, 5), fill(0, 5)));
        n.put("a5", new NirNode.Affine(random(rnd, 2, 2, 5), fill(0.5, 2)));
        n.put("n6", new NirNode.CubaLIF(fill(2e-3, 2), fill(3e-3, 2), fill(3, 2), fill(0, 2), fill(0.5, 2), fill(0, 2), fill(1, 2)));
        n.put("a6", new NirNode.Affine(random(rnd, 1, 4, 2), fill(0, 4)));
        n.put("out", new NirNode.Output(new int[] {4}));
        final String[][] edges = {{"in", "conv"}, {"conv", "pool"}, {"pool", "flat"}, {"flat", "lin"}, {"lin", "scale"}, {"scale", "n1"},
            {"n1", "rec"}, {"rec", "n1"}, {"n1", "delay"}, {"delay", "a"}, {"a", "n2"}, {"n1", "a3"}, {"a3", "n3"}, {"n3", "lin2"},
            {"lin2", "th"}, {"th", "a4"}, {"a4", "n2"}, {"n1", "conv1"}, {"conv1", "n4"}, {"n4", "lin3"}, {"lin3", "n2"}, {"n1", "n5"},
            {"n5", "a5"}, {"a5", "n6"}, {"n6", "a6"}, {"a6", "n2"}, {"n2", "out"}};
        for (final String[] p : edges)
        {
            e.add(new NirEdge(p[0], p[1]));
        }
        return NirGraph.of(n, e);
    }

    @Test
    void everyPrimitiveMatchesTheReference() throws Exception
    {
        final NirGraph g = everything(new double[] {0, 1, 1, 3, 2});
        final double[][][] input = NirGraphsTest.spikes(3, 2, 40, 32, 0.4);
        final List<NirRunOptions> sets = List.of(NirRunOptions.defaults(DT),
            NirRunOptions.defaults(DT).withDiscretization(Discretization.EULER).withReset(Reset.SUBTRACT).withCurrentOrder(CurrentOrder.UPDATED),
            NirRunOptions.defaults(DT).withEdgeDelay(1).withCurrentOrder(CurrentOrder.UPDATED),
            NirRunOptions.defaults(DT).withSpikes(NirRunOptions.Spikes.IMPULSE).withReset(Reset.SUBTRACT));
        final List<String> spiking = List.of("n1", "n3", "th", "n6");
        final List<String> dense = List.of("n2", "n4", "n5");
        for (final NirRunOptions o : sets)
        {
            final NirNetwork net = NirCompiler.compile(g, o, "everything");
            for (final int threads : new int[] {0, 2})
            {
                try (Simulator sim = new Simulator(net.network(), threads))
                {
                    long[] spikes = new long[spiking.size()];
                    for (int s = 0; s < input.length; s++)
                    {
                        final NirReference ref = new NirReference(g, o);
                        sim.reset(s);
                        for (int t = 0; t < input[s].length; t++)
                        {
                            ref.step(input[s][t]);
                            final double[] x = input[s][t].clone();
                            for (int f = 0; f < x.length; f++)
                            {
                                x[f] *= o.spikeValue();
                            }
                            sim.setInput(net.input(), x);
                            sim.step();
                            for (int k = 0; k < spiking.size(); k++)
                            {
                                final String node = spiking.get(k);
                                final double[] expected = ref.lastOutput(node);
                                final double[] got = sim.outputs(net.population(node));
                                for (int i = 0; i < expected.length; i++)
                                {
                                    assertEquals(expected[i], got[i], 0.0, node + "[" + i + "] step " + t + " " + o.describe());
                                    spikes[k] += expected[i] != 0 ? 1 : 0;
                                }
                            }
                            for (final String node : dense)
                            {
                                final double[] expected = ref.lastOutput(node);
                                final double[] got = sim.outputs(net.population(node));
                                for (int i = 0; i < expected.length; i++)
                                {
                                    assertEquals(expected[i], got[i], 1e-9 * Math.max(1, Math.abs(expected[i])),
                                        node + "[" + i + "] step " + t + " " + o.describe());
                                }
                            }
                        }
                    }
                    for (int k = 0; k < spiking.size(); k++)
                    {
                        assertTrue(spikes[k] > 0, spiking.get(k) + " never spikes under " + o.describe());
                    }
                }
            }
        }
    }

    @Test
    void delaysAreGroupedAndCyclesDelayed() throws Exception
    {
        final NirNetwork net = NirCompiler.compile(everything(new double[] {0, 1, 1, 3, 2}), NirRunOptions.defaults(DT), "everything");
        assertEquals(List.of("n1 -> n1"), net.cycleEdges());
        int intoDelay = 0;
        for (int p = 0; p < net.network().projectionCount(); p++)
        {
            if (net.network().projection(p).target() == net.population("delay"))
            {
                intoDelay++;
            }
        }
        assertEquals(4, intoDelay, "one projection per distinct delay (0, 1, 2, 3 steps)");
        // the chains conv -> pool and lin -> scale each go through a pass-through
        assertTrue(net.populations().containsKey("conv"));
        assertTrue(net.populations().containsKey("lin"));
    }

    @Test
    void refusesWhatItCannotRun()
    {
        final NirFormatException fraction = assertThrows(NirFormatException.class,
            () -> NirCompiler.compile(everything(new double[] {0, 1.5, 1, 3, 2}), NirRunOptions.defaults(DT), "g.nir"));
        assertTrue(fraction.getMessage().contains("g.nir") && fraction.getMessage().contains("'delay'") &&
            fraction.getMessage().contains("delay[1]"), fraction.getMessage());
        final NirFormatException huge = assertThrows(NirFormatException.class,
            () -> NirCompiler.compile(everything(new double[] {0, 1, 1, 3, 2e6}), NirRunOptions.defaults(DT), "g.nir"));
        assertTrue(huge.getMessage().contains("'delay'") && huge.getMessage().contains("delay[4]"), huge.getMessage());
        final NirGraph sd = NirGraph.sequential(new NirNode.SigmaDelta("linear", fill(1, 3), fill(1, 3), true));
        final NirFormatException type = assertThrows(NirFormatException.class,
            () -> NirCompiler.compile(sd, NirRunOptions.defaults(DT), "sd.nir"));
        assertTrue(type.getMessage().contains("spikering.SigmaDelta") && type.getMessage().contains("'0'"), type.getMessage());
        final NirGraph negative = NirGraph.sequential(new NirNode.LIF(fill(-1e-3, 2), fill(1, 2), fill(0, 2), fill(1, 2), null));
        final NirFormatException tau = assertThrows(NirFormatException.class,
            () -> NirCompiler.compile(negative, NirRunOptions.defaults(DT), "neg.nir"));
        assertTrue(tau.getMessage().contains("neg.nir") && tau.getMessage().contains("'0'") && tau.getMessage().contains("tau"),
            tau.getMessage());
    }
}
