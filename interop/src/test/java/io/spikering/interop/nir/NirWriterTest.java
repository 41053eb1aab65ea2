package io.spikering.interop.nir;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;

class NirWriterTest
{
    @TempDir
    Path dir;

    @Test
    void everyFixtureSurvivesWriteThenReadNodeByNodeAndParameterByParameter() throws Exception
    {
        for (final String name : Fixtures.GRAPHS)
        {
            final NirGraph original = NirReader.read(Fixtures.nir(name));
            final Path copy = dir.resolve(name);
            NirWriter.write(original, copy);
            final NirGraph back = NirReader.read(copy);
            assertEquals(NirWriter.NIR_VERSION, back.version());
            assertEquals(original.nodes().keySet(), back.nodes().keySet(), name);
            for (final String node : original.nodes().keySet())
            {
                final NirNode a = original.node(node);
                final NirNode b = back.node(node);
                assertEquals(a.type(), b.type(), name + " " + node);
                for (final Map.Entry<String, NirTensor> p : a.parameters().entrySet())
                {
                    assertEquals(p.getValue(), b.parameters().get(p.getKey()), name + " " + node + " " + p.getKey());
                }
                assertEquals(a, b, name + " " + node);
            }
            assertEquals(original.edges(), back.edges(), name);
            assertEquals(original, back, name);
        }
    }

    @Test
    void everyPrimitiveTheExtensionSubgraphsAndMetadataRoundTrip() throws Exception
    {
        final NirGraph g = NirValidator.validate(allPrimitives(), "all primitives");
        final Path file = dir.resolve("all.nir");
        NirWriter.write(g, file);
        final NirGraph back = NirReader.read(file);
        assertNotSame(g, back);
        for (final String node : g.nodes().keySet())
        {
            assertEquals(g.node(node), back.node(node), node);
        }
        assertEquals(g, back);
    }

    /** One node of every type on shapes the nir package also accepts: Conv2d -> ... -> subgraph -> Output; Conv1d apart. */
    static NirGraph allPrimitives()
    {
        final Map<String, NirNode> n = new LinkedHashMap<>();
        n.put("in", new NirNode.Input(new int[] {2, 6, 6}));
        n.put("conv", new NirNode.Conv2d(new int[] {6, 6}, ramp(new int[] {4, 2, 3, 3}), new int[] {1}, new int[] {1, 1},
            new int[] {1, 1}, 1, NirTensor.vector(0.1, 0.2, 0.3, 0.4)));
        n.put("if", new NirNode.IF(NirTensor.filled(new int[] {4, 6, 6}, 1.0), NirTensor.scalar(0.5), null));
        n.put("avg", new NirNode.AvgPool2d(new int[] {2}, new int[] {2, 2}, new int[] {0, 0}, null));
        n.put("sum", new NirNode.SumPool2d(new int[] {3, 3}, new int[] {1, 1}, new int[] {0}, null));
        n.put("flat", new NirNode.Flatten(0, -1, null));
        n.put("aff", new NirNode.Affine(ramp(new int[] {3, 4}), NirTensor.scalar(0.0)));
        n.put("lif", new NirNode.LIF(NirTensor.vector(0.01, 0.02, 0.03), NirTensor.scalar(1.0), NirTensor.scalar(0.0),
            NirTensor.scalar(1.0), NirTensor.vector(0.0, -0.1, 0.1)));
        n.put("rec", new NirNode.Linear(ramp(new int[] {3, 3})));
        n.put("scale", new NirNode.Scale(NirTensor.vector(1, 2, 3)));
        n.put("delay", new NirNode.Delay(NirTensor.vector(0.001, 0.002, 0.0)));
        n.put("thr", new NirNode.Threshold(NirTensor.vector(0.1, 0.2, 0.3)));
        n.put("i", new NirNode.I(NirTensor.vector(1, 1, 1)));
        n.put("li", new NirNode.LI(NirTensor.vector(0.01, 0.01, 0.01), NirTensor.scalar(2.0), NirTensor.scalar(0.0)));
        n.put("cubali", new NirNode.CubaLI(NirTensor.scalar(0.005), NirTensor.vector(0.01, 0.02, 0.03), NirTensor.scalar(1),
            NirTensor.scalar(0), null));
        n.put("sd", new NirNode.SigmaDelta("tanh", NirTensor.vector(0.5, 0.5, 0.5), NirTensor.scalar(2.0), true));
        n.put("sub", new NirNode.Graph(subgraph()));
        n.put("out", new NirNode.Output(new int[] {3}));
        n.put("in1d", new NirNode.Input(new int[] {1, 5}));
        n.put("conv1", new NirNode.Conv1d(null, ramp(new int[] {2, 1, 2}), new int[] {1}, new int[] {1}, new int[] {1},
            1, NirTensor.scalar(0.0)));
        n.put("out1d", new NirNode.Output(new int[] {2, 6}));
        final List<NirEdge> e = List.of(edge("in", "conv"), edge("conv", "if"), edge("if", "avg"), edge("avg", "sum"),
            edge("sum", "flat"), edge("flat", "aff"), edge("aff", "lif"), edge("lif", "rec"), edge("rec", "lif"),
            edge("lif", "scale"), edge("scale", "delay"), edge("delay", "thr"), edge("thr", "i"), edge("i", "li"),
            edge("li", "cubali"), edge("cubali", "sd"), edge("sd", "sub"), edge("sub", "out"), edge("in1d", "conv1"), edge("conv1", "out1d"));
        final Map<String, Object> meta = new LinkedHashMap<>();
        meta.put("source", "NirWriterTest");
        meta.put("dt", NirTensor.scalar(1e-3));
        return new NirGraph(n, e, meta, "");
    }

    /** Input(3) -> CubaLIF(3) -> Output(3): a subgraph whose edges enter and leave through its boundary nodes. */
    private static NirGraph subgraph()
    {
        final Map<String, NirNode> n = new LinkedHashMap<>();
        n.put("input", new NirNode.Input(new int[] {3}));
        n.put("lif", new NirNode.CubaLIF(NirTensor.scalar(0.002), NirTensor.scalar(0.01), NirTensor.scalar(1.0),
            NirTensor.scalar(0.0), NirTensor.vector(1.0, 1.5, 2.0), null, null));
        n.put("output", new NirNode.Output(new int[] {3}));
        return NirGraph.of(n, List.of(edge("input", "lif"), edge("lif", "output")));
    }

    static NirTensor ramp(final int[] shape)
    {
        final double[] v = new double[(int)NirTensor.sizeOf(shape)];
        for (int i = 0; i < v.length; i++)
        {
            v[i] = (i % 7 - 3) * 0.125;
        }
        return new NirTensor(shape, v);
    }

    static NirEdge edge(final String s, final String t)
    {
        return new NirEdge(s, t);
    }
}
