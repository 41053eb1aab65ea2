package io.spikering.interop.nir;

import io.jhdf.HdfFile;
import io.jhdf.WritableHdfFile;
import io.jhdf.api.WritableGroup;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import static io.spikering.interop.nir.NirWriterTest.edge;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Hostile and broken files, written by our NirWriter (which serialises without checking) or by jHDF directly. */
class NirValidationTest
{
    @TempDir
    Path dir;

    /** Input(2) -> Affine(3x2) -> LIF(3) -> Output(3), with one node replaced by {@code edit}. */
    private static Map<String, NirNode> lifChain()
    {
        final Map<String, NirNode> n = new LinkedHashMap<>();
        n.put("input", new NirNode.Input(new int[] {2}));
        n.put("fc", new NirNode.Affine(NirWriterTest.ramp(new int[] {3, 2}), NirTensor.scalar(0.0)));
        n.put("lif", lif(NirTensor.scalar(0.01)));
        n.put("output", new NirNode.Output(new int[] {3}));
        return n;
    }

    private static NirNode.LIF lif(final NirTensor tau)
    {
        return new NirNode.LIF(tau.size() == 1 ? tau.broadcastTo(new int[] {3}) : tau, NirTensor.scalar(1), NirTensor.scalar(0),
            NirTensor.scalar(1), null);
    }

    private static List<NirEdge> chainEdges()
    {
        return new ArrayList<>(List.of(edge("input", "fc"), edge("fc", "lif"), edge("lif", "output")));
    }

    private String refused(final Map<String, NirNode> nodes, final List<NirEdge> edges) throws Exception
    {
        final Path file = dir.resolve("hostile.nir");
        NirWriter.write(NirGraph.of(nodes, edges), file);
        final NirFormatException e = assertThrows(NirFormatException.class, () -> NirReader.read(file));
        assertTrue(e.getMessage().startsWith(file.toString() + ": "), e.getMessage());
        return e.getMessage();
    }

    private String refusedRaw(final Consumer<WritableGroup> nodes, final String... edges) throws Exception
    {
        final Path file = dir.resolve("raw.nir");
        try (WritableHdfFile hdf = HdfFile.write(file))
        {
            hdf.putDataset("version", "1.0.0");
            final WritableGroup root = hdf.putGroup("node");
            root.putDataset("type", "NIRGraph");
            nodes.accept(root.putGroup("nodes"));
            final String[][] pairs = new String[edges.length / 2][];
            for (int i = 0; i < pairs.length; i++)
            {
                pairs[i] = new String[] {edges[2 * i], edges[2 * i + 1]};
            }
            root.putDataset("edges", pairs);
        }
        final NirFormatException e = assertThrows(NirFormatException.class, () -> NirReader.read(file));
        assertTrue(e.getMessage().startsWith(file.toString() + ": "), e.getMessage());
        return e.getMessage();
    }

    private static void input(final WritableGroup nodes, final String name, final long... shape)
    {
        final WritableGroup g = nodes.putGroup(name);
        g.putDataset("type", "Input");
        g.putDataset("shape", shape);
    }

    private static void output(final WritableGroup nodes, final String name, final long... shape)
    {
        final WritableGroup g = nodes.putGroup(name);
        g.putDataset("type", "Output");
        g.putDataset("shape", shape);
    }

    @Test
    void theValidChainIsAccepted() throws Exception
    {
        final Path file = dir.resolve("ok.nir");
        NirWriter.write(NirGraph.of(lifChain(), chainEdges()), file);
        assertEquals(4, NirReader.read(file).nodes().size());
    }

    @Test
    void unknownNodeTypeNamesTheTypeAndTheFile() throws Exception
    {
        final String m = refusedRaw(nodes ->
        {
            input(nodes, "input", 2);
            final WritableGroup g = nodes.putGroup("mystery");
            g.putDataset("type", "Spiral");
            g.putDataset("weight", new double[] {1, 2});
            output(nodes, "output", 2);
        }, "input", "mystery", "mystery", "output");
        assertTrue(m.contains("node 'mystery' has unknown type 'Spiral'"), m);
    }

    @Test
    void mismatchedShapesNameBothNodesAndShapes() throws Exception
    {
        final Map<String, NirNode> n = lifChain();
        n.put("input", new NirNode.Input(new int[] {5}));
        final String m = refused(n, chainEdges());
        assertTrue(m.contains("edge 'input -> fc'") && m.contains("emits shape [5]") && m.contains("takes shape [2]"), m);
    }

    @Test
    void danglingEdgeNamesTheMissingNode() throws Exception
    {
        final List<NirEdge> edges = chainEdges();
        edges.add(edge("lif", "nowhere"));
        final String m = refused(lifChain(), edges);
        assertTrue(m.contains("edge 'lif -> nowhere'") && m.contains("names no node 'nowhere'"), m);
    }

    @Test
    void aCycleOfStatelessNodesIsAnAlgebraicLoop() throws Exception
    {
        final Map<String, NirNode> n = lifChain();
        n.put("loop", new NirNode.Linear(NirWriterTest.ramp(new int[] {3, 3})));
        n.put("back", new NirNode.Linear(NirWriterTest.ramp(new int[] {3, 3})));
        final List<NirEdge> edges = chainEdges();
        edges.addAll(List.of(edge("lif", "loop"), edge("loop", "back"), edge("back", "loop")));
        final String m = refused(n, edges);
        assertTrue(m.contains("cycle") && m.contains("loop -> back -> loop") || m.contains("back -> loop -> back"), m);
    }

    @Test
    void aCycleThroughANeuronIsLegal() throws Exception
    {
        final Map<String, NirNode> n = lifChain();
        n.put("rec", new NirNode.Linear(NirWriterTest.ramp(new int[] {3, 3})));
        final List<NirEdge> edges = chainEdges();
        edges.addAll(List.of(edge("lif", "rec"), edge("rec", "lif")));
        final Path file = dir.resolve("recurrent.nir");
        NirWriter.write(NirGraph.of(n, edges), file);
        assertEquals(5, NirReader.read(file).nodes().size());
    }

    @Test
    void nanAndInfiniteParametersNameNodeParameterAndElement() throws Exception
    {
        final Map<String, NirNode> n = lifChain();
        n.put("fc", new NirNode.Affine(NirWriterTest.ramp(new int[] {3, 2}), NirTensor.vector(0, Double.NaN, 0)));
        String m = refused(n, chainEdges());
        assertTrue(m.contains("node 'fc' (Affine), parameter 'bias': element 1 is NaN"), m);
        n.put("fc", new NirNode.Affine(new NirTensor(new int[] {3, 2}, new double[] {0, 0, 0, Double.POSITIVE_INFINITY, 0, 0}),
            NirTensor.scalar(0)));
        m = refused(n, chainEdges());
        assertTrue(m.contains("parameter 'weight': element 3 is Infinity"), m);
    }

    @Test
    void negativeOrZeroTimeConstantsAreRefused() throws Exception
    {
        final Map<String, NirNode> n = lifChain();
        n.put("lif", lif(NirTensor.vector(0.01, -0.002, 0.01)));
        String m = refused(n, chainEdges());
        assertTrue(m.contains("node 'lif' (LIF), parameter 'tau': element 1 is -0.002"), m);
        n.put("lif", new NirNode.CubaLIF(NirTensor.scalar(0.0), NirTensor.vector(0.01, 0.01, 0.01), NirTensor.scalar(1),
            NirTensor.scalar(0), NirTensor.scalar(1), null, null));
        m = refused(n, chainEdges());
        assertTrue(m.contains("node 'lif' (CubaLIF), parameter 'tau_syn': element 0 is 0.0"), m);
    }

    @Test
    void aDeclaredShapeTooLargeToAllocateIsRefusedBeforeAllocating() throws Exception
    {
        String m = refusedRaw(nodes ->
        {
            input(nodes, "input", 1_000_000, 1_000_000);
            output(nodes, "output", 1_000_000, 1_000_000);
        }, "input", "output");
        assertTrue(m.contains("node 'input' (Input)") && m.contains("more than " + NirTensor.MAX_ELEMENTS), m);
        m = refusedRaw(nodes ->
        {
            input(nodes, "input", 3, 100_000, 100_000);
            final WritableGroup c = nodes.putGroup("conv");
            c.putDataset("type", "Conv2d");
            c.putDataset("weight", new double[1][3][1][1]);
            c.putDataset("bias", 0.0);
            c.putDataset("stride", 1L);
            c.putDataset("padding", 0L);
            c.putDataset("dilation", 1L);
            c.putDataset("groups", 1L);
            output(nodes, "output", 1, 100_000, 100_000);
        }, "input", "conv", "conv", "output");
        assertTrue(m.contains("node 'input' (Input)") && m.contains("more than"), m);
    }

    @Test
    void wrongRankIsRefusedNamingTheParameter() throws Exception
    {
        final String m = refusedRaw(nodes ->
        {
            input(nodes, "input", 2);
            final WritableGroup g = nodes.putGroup("fc");
            g.putDataset("type", "Linear");
            g.putDataset("weight", new double[2][2][2]);
            output(nodes, "output", 2);
        }, "input", "fc", "fc", "output");
        assertTrue(m.contains("node 'fc' (Linear): weight must have rank 2 [out, in], got shape [2, 2, 2]"), m);
    }

    @Test
    void aMissingParameterIsNamed() throws Exception
    {
        final String m = refusedRaw(nodes ->
        {
            input(nodes, "input", 2);
            final WritableGroup g = nodes.putGroup("lif");
            g.putDataset("type", "LIF");
            g.putDataset("tau", new double[] {0.01, 0.01});
            g.putDataset("r", new double[] {1, 1});
            g.putDataset("v_threshold", new double[] {1, 1});
            output(nodes, "output", 2);
        }, "input", "lif", "lif", "output");
        assertTrue(m.contains("node 'lif' (LIF), parameter 'v_leak' is missing"), m);
    }

    @Test
    void scalarNeuronParametersOfOldWritersTakeTheIncomingShape() throws Exception
    {
        final Path file = dir.resolve("scalar.nir");
        try (WritableHdfFile hdf = HdfFile.write(file))
        {
            final WritableGroup root = hdf.putGroup("node"); // no version dataset, as NIR 0.1
            root.putDataset("type", "NIRGraph");
            final WritableGroup nodes = root.putGroup("nodes");
            input(nodes, "input", 4);
            final WritableGroup g = nodes.putGroup("lif");
            g.putDataset("type", "LIF");
            g.putDataset("tau", 0.02f);
            g.putDataset("r", 1.0f);
            g.putDataset("v_leak", 0L);
            g.putDataset("v_threshold", 1.5);
            output(nodes, "output", 4);
            root.putDataset("edges", new String[][] {{"input", "lif"}, {"lif", "output"}});
        }
        final NirGraph g = NirReader.read(file);
        assertEquals("", g.version());
        final NirNode.LIF lif = (NirNode.LIF)g.node("lif");
        assertEquals(NirTensor.filled(new int[] {4}, (double)0.02f), lif.tau());
        assertEquals(NirTensor.filled(new int[] {4}, 1.5), lif.vThreshold());
        assertEquals(NirTensor.filled(new int[] {4}, 0.0), lif.vReset());
    }

    @Test
    void samePaddingBecomesItsSymmetricIntegersAndOtherStringsAreRefused() throws Exception
    {
        final Path file = dir.resolve("same.nir");
        final String[] mode = {"same"};
        final Runnable write = () ->
        {
            try (WritableHdfFile hdf = HdfFile.write(file))
            {
                hdf.putDataset("version", "0.2.0");
                final WritableGroup root = hdf.putGroup("node");
                root.putDataset("type", "NIRGraph");
                final WritableGroup nodes = root.putGroup("nodes");
                input(nodes, "input", 1, 8, 8);
                final WritableGroup c = nodes.putGroup("conv");
                c.putDataset("type", "Conv2d");
                c.putDataset("weight", new float[2][1][5][3]);
                c.putDataset("bias", new float[] {0, 0});
                c.putDataset("stride", 1L);
                c.putDataset("padding", mode[0]);
                c.putDataset("dilation", new long[] {1, 2});
                c.putDataset("groups", 1L);
                output(nodes, "output", 2, 8, 8);
                root.putDataset("edges", new String[][] {{"input", "conv"}, {"conv", "output"}});
            }
        };
        write.run();
        final NirNode.Conv2d conv = (NirNode.Conv2d)NirReader.read(file).node("conv");
        assertEquals(List.of(2, 2), List.of(conv.padding()[0], conv.padding()[1]));     // (5-1)/2, 2*(3-1)/2
        assertEquals(List.of(8, 8), List.of(conv.spatialInputShape()[0], conv.spatialInputShape()[1])); // inferred
        mode[0] = "full";
        write.run();
        final NirFormatException e = assertThrows(NirFormatException.class, () -> NirReader.read(file));
        assertTrue(e.getMessage().contains("parameter 'padding' is 'full'"), e.getMessage());
    }

    @Test
    void notAnHdf5FileAndNotANirFileAreNamed() throws Exception
    {
        final Path text = dir.resolve("notes.nir");
        Files.writeString(text, "not HDF5 at all");
        NirFormatException e = assertThrows(NirFormatException.class, () -> NirReader.read(text));
        assertTrue(e.getMessage().startsWith(text + ": not a readable HDF5/NIR file"), e.getMessage());
        final Path other = dir.resolve("other.h5");
        try (WritableHdfFile hdf = HdfFile.write(other))
        {
            hdf.putDataset("x", new double[] {1});
        }
        e = assertThrows(NirFormatException.class, () -> NirReader.read(other));
        assertTrue(e.getMessage().contains("no group 'node'"), e.getMessage());
        e = assertThrows(NirFormatException.class, () -> NirReader.read(dir.resolve("absent.nir")));
        assertTrue(e.getMessage().endsWith("absent.nir: no such file"), e.getMessage());
    }

    @Test
    void truncatedOrCorruptedFilesGiveOneMessageNeverAStackTrace() throws Exception
    {
        final byte[] good = Files.readAllBytes(Fixtures.nir("lif_norse.nir"));
        final java.util.SplittableRandom random = new java.util.SplittableRandom(13);
        for (int trial = 0; trial < 40; trial++)
        {
            final byte[] bad = trial < 20 ? java.util.Arrays.copyOf(good, good.length * (trial + 1) / 21) : good.clone();
            if (trial >= 20)
            {
                for (int k = 0; k < 8; k++)
                {
                    bad[random.nextInt(bad.length)] ^= (byte)(1 + random.nextInt(255));
                }
            }
            final Path file = Files.write(dir.resolve("bad" + trial + ".nir"), bad);
            try
            {
                NirReader.read(file); // a flipped byte in unused padding may leave the graph readable
            }
            catch (final NirFormatException expected)
            {
                assertTrue(expected.getMessage().startsWith(file + ": "), expected.getMessage());
            }
        }
    }

    @Test
    void subgraphEdgesResolveAndFlattenInlinesThem() throws Exception
    {
        final Map<String, NirNode> inner = new LinkedHashMap<>();
        inner.put("in", new NirNode.Input(new int[] {3}));
        inner.put("lif", lif(NirTensor.scalar(0.01)));
        inner.put("w", new NirNode.Linear(NirWriterTest.ramp(new int[] {3, 3})));
        inner.put("out", new NirNode.Output(new int[] {3}));
        final NirGraph sub = NirGraph.of(inner, List.of(edge("in", "lif"), edge("lif", "w"), edge("w", "lif"), edge("lif", "out")));
        final Map<String, NirNode> n = lifChain();
        n.remove("lif");
        n.put("rnn", new NirNode.Graph(sub));
        n.put("readout", new NirNode.Linear(NirWriterTest.ramp(new int[] {3, 3})));
        final List<NirEdge> edges = List.of(edge("input", "fc"), edge("fc", "rnn.in"), edge("rnn", "readout"),
            edge("rnn.lif", "output"), edge("readout", "output"));
        final Path file = dir.resolve("sub.nir");
        NirWriter.write(NirGraph.of(n, edges), file);
        final NirGraph g = NirReader.read(file);
        final NirGraph flat = g.flatten();
        assertEquals(List.of("fc", "input", "output", "readout", "rnn.lif", "rnn.w"), List.copyOf(flat.nodes().keySet()));
        assertTrue(flat.edges().containsAll(List.of(edge("fc", "rnn.lif"), edge("rnn.lif", "rnn.w"), edge("rnn.w", "rnn.lif"),
            edge("rnn.lif", "readout"), edge("rnn.lif", "output"))), flat.edges().toString());
        assertEquals(7, flat.edges().size());
    }
}
