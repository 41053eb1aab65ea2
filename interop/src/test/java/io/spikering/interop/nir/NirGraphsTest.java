package io.spikering.interop.nir;

import io.spikering.core.engine.NeuronDynamics.CurrentOrder;
import io.spikering.core.engine.NeuronDynamics.Discretization;
import io.spikering.core.engine.NeuronDynamics.Reset;
import io.spikering.core.engine.NeuronDynamics.ThresholdTest;
import io.spikering.core.engine.Simulator;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.List;
import java.util.Random;

import static io.spikering.interop.nir.NirLifTraceTest.resource;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The NIR paper's recurrent Braille network (snnTorch) and spiking CNN (Sinabs) on seeded synthetic spike input: per
 * node and neuron, the engine's spike counts equal the independent dense reference's, on the direct path and with 1,
 * 2 and 4 delivery threads, for several option sets.
 */
class NirGraphsTest
{
    static final int[] DELIVERY_THREADS = {0, 1, 2, 4};

    /** Bernoulli spikes (value 1) with probability p, [sample][step][feature]. */
    static double[][][] spikes(final long seed, final int samples, final int steps, final int features, final double p)
    {
        final Random rnd = new Random(seed);
        final double[][][] x = new double[samples][steps][features];
        for (final double[][] s : x)
        {
            for (final double[] step : s)
            {
                for (int f = 0; f < features; f++)
                {
                    step[f] = rnd.nextDouble() < p ? 1.0 : 0.0;
                }
            }
        }
        return x;
    }

    /** Per spiking node, per neuron: spikes over all samples, by the reference. */
    static List<long[]> reference(final NirGraph g, final NirRunOptions o, final double[][][] input, final List<String> nodes)
    {
        final List<long[]> total = new ArrayList<>();
        for (final String n : nodes)
        {
            total.add(null);
        }
        for (final double[][] sample : input)
        {
            final NirReference ref = new NirReference(g, o);
            for (final double[] step : sample)
            {
                ref.step(step);
            }
            for (int k = 0; k < nodes.size(); k++)
            {
                final long[] c = ref.spikeCounts(nodes.get(k));
                if (total.get(k) == null)
                {
                    total.set(k, c);
                }
                else
                {
                    for (int i = 0; i < c.length; i++)
                    {
                        total.get(k)[i] += c[i];
                    }
                }
            }
        }
        return total;
    }

    /** The same counts from the engine with {@code threads} delivery threads. */
    static List<long[]> engine(final NirNetwork net, final double[][][] input, final List<String> nodes, final int threads)
    {
        final List<long[]> total = new ArrayList<>();
        final int[] ids = new int[nodes.size()];
        for (int k = 0; k < ids.length; k++)
        {
            ids[k] = net.population(nodes.get(k));
            total.add(new long[net.network().population(ids[k]).outputSize()]);
        }
        final double spike = net.options().spikeValue();
        try (Simulator sim = new Simulator(net.network(), threads))
        {
            int seed = 0;
            for (final double[][] sample : input)
            {
                sim.reset(seed++);
                for (final double[] step : sample)
                {
                    final double[] x = new double[step.length];
                    for (int f = 0; f < x.length; f++)
                    {
                        x[f] = step[f] * spike;
                    }
                    sim.setInput(net.input(), x);
                    sim.step();
                    for (int k = 0; k < ids.length; k++)
                    {
                        final int[] idx = sim.eventNeurons(ids[k]);
                        for (int e = 0; e < sim.eventCount(ids[k]); e++)
                        {
                            total.get(k)[idx[e]]++;
                        }
                    }
                }
            }
        }
        return total;
    }

    static void check(final String file, final List<String> spiking, final NirRunOptions o, final double[][][] input) throws Exception
    {
        final NirGraph g = NirReader.read(resource(file));
        final NirNetwork net = NirCompiler.compile(g, o, file);
        final List<long[]> expected = reference(g, o, input, spiking);
        for (int k = 0; k < spiking.size(); k++)
        {
            long sum = 0;
            for (final long c : expected.get(k))
            {
                sum += c;
            }
            assertTrue(sum > 0, file + " node " + spiking.get(k) + " never spikes under " + o.describe() + ": the comparison would be empty");
        }
        for (final int threads : DELIVERY_THREADS)
        {
            final List<long[]> got = engine(net, input, spiking, threads);
            for (int k = 0; k < spiking.size(); k++)
            {
                assertArrayEquals(expected.get(k), got.get(k), file + " node " + spiking.get(k) + ", " + threads + " delivery threads, " + o.describe());
            }
        }
    }

    @Test
    void brailleRecurrentCubaLifMatchesTheReference() throws Exception
    {
        final double[][][] input = spikes(13, 3, 60, 12, 0.3);
        final List<String> nodes = List.of("lif1.lif", "lif2");
        final NirRunOptions snnTorch = NirRunOptions.defaults(1e-4).withDiscretization(Discretization.EULER).withReset(Reset.SUBTRACT)
            .withCurrentOrder(CurrentOrder.UPDATED);
        check("braille_noDelay_bias_zero.nir", nodes, snnTorch, input);
        check("braille_noDelay_bias_zero.nir", nodes, NirRunOptions.defaults(1e-4), input);
        check("braille_noDelay_bias_zero.nir", nodes, snnTorch.withEdgeDelay(1).withThresholdTest(ThresholdTest.NON_STRICT), input);
    }

    @Test
    void brailleRecurrenceClosesOnTheRecurrentConnection() throws Exception
    {
        final NirNetwork net = NirCompiler.compile(NirReader.read(resource("braille_noDelay_bias_zero.nir")), NirRunOptions.defaults(1e-4),
            "braille");
        assertEquals(List.of("lif1.lif -> lif1.lif"), net.cycleEdges());
        // the Output observes lif2 directly, also when connections take a step
        final NirNetwork delayed = NirCompiler.compile(NirReader.read(resource("braille_noDelay_bias_zero.nir")),
            NirRunOptions.defaults(1e-4).withEdgeDelay(1), "braille");
        assertEquals(delayed.population("lif2"), delayed.output());
        assertEquals(List.of("lif1.lif -> lif1.lif"), delayed.cycleEdges());
    }

    @Test
    void aSubgraphRunsAsItsInlinedNodes() throws Exception
    {
        // the Braille network with its recurrent layer wrapped in a subgraph "lif1" (as snnTorch's extras file intends)
        final NirGraph flat = NirReader.read(resource("braille_noDelay_bias_zero.nir"));
        final Map<String, NirNode> inner = new LinkedHashMap<>();
        inner.put("input", new NirNode.Input(new int[] {38}));
        inner.put("lif", flat.node("lif1.lif"));
        inner.put("w_rec", flat.node("lif1.w_rec"));
        inner.put("output", new NirNode.Output(new int[] {38}));
        final NirGraph sub = NirGraph.of(inner, List.of(new NirEdge("input", "lif"), new NirEdge("lif", "w_rec"), new NirEdge("w_rec", "lif"),
            new NirEdge("lif", "output")));
        final Map<String, NirNode> outer = new LinkedHashMap<>();
        outer.put("input", flat.node("input"));
        outer.put("fc1", flat.node("fc1"));
        outer.put("lif1", new NirNode.Graph(sub));
        outer.put("fc2", flat.node("fc2"));
        outer.put("lif2", flat.node("lif2"));
        outer.put("output", flat.node("output"));
        final NirGraph nested = NirGraph.of(outer, List.of(new NirEdge("input", "fc1"), new NirEdge("fc1", "lif1"), new NirEdge("lif1", "fc2"),
            new NirEdge("fc2", "lif2"), new NirEdge("lif2", "output")));
        final NirRunOptions o = NirRunOptions.defaults(1e-4).withReset(Reset.SUBTRACT);
        final double[][][] input = spikes(21, 2, 60, 12, 0.3);
        final NirNetwork net = NirCompiler.compile(nested, o, "nested");
        assertEquals(List.of("lif1.lif -> lif1.lif"), net.cycleEdges());
        final List<long[]> expected = reference(flat, o, input, List.of("lif1.lif", "lif2"));
        final List<long[]> got = engine(net, input, List.of("lif1.lif", "lif2"), 0);
        for (int k = 0; k < 2; k++)
        {
            assertArrayEquals(expected.get(k), got.get(k));
        }
    }

    @Test
    void sinabsCnnMatchesTheReference() throws Exception
    {
        // N-MNIST-like sparsity: a few percent of the 2 x 34 x 34 pixels carry an event per step
        final double[][][] input = spikes(7, 2, 25, 2 * 34 * 34, 0.05);
        final List<String> nodes = List.of("1", "3", "6", "10", "12");
        final NirRunOptions sinabs = NirRunOptions.defaults(1e-3).withSpikes(NirRunOptions.Spikes.IMPULSE).withReset(Reset.SUBTRACT);
        check("cnn_sinabs.nir", nodes, sinabs, input);
        check("cnn_sinabs.nir", nodes, sinabs.withReset(Reset.TO_V_RESET).withEdgeDelay(1), input);
    }
}
