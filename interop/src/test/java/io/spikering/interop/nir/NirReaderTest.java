package io.spikering.interop.nir;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class NirReaderTest
{
    @Test
    void readsNorsesLifGraphWrittenByNir011() throws Exception
    {
        final NirGraph g = NirReader.read(Fixtures.nir("lif_norse.nir"));
        assertEquals("0.1.1", g.version());
        assertEquals(List.of("0", "1", "input", "output"), List.copyOf(g.nodes().keySet()));
        assertEquals(List.of(new NirEdge("input", "0"), new NirEdge("0", "1"), new NirEdge("1", "output")), g.edges());
        final NirNode.LIF lif = assertInstanceOf(NirNode.LIF.class, g.node("1"));
        assertEquals((double)0.0025f, lif.tau().scalar());        // float32 in the file, exact as a double
        assertEquals((double)0.1f, lif.vThreshold().scalar());
        assertEquals(0.0, lif.vReset().scalar());                  // absent in 0.1 files: NIR's default 0
        assertArrayEquals(new int[] {1}, lif.outputShape());
        final NirNode.Affine affine = assertInstanceOf(NirNode.Affine.class, g.node("0"));
        assertEquals(1.0, affine.weight().scalar());
        assertEquals(List.of("0"), g.sources("1"));
        assertEquals(List.of("output"), g.targets("1"));
        assertTrue(lif.emitsEvents());
        assertFalse(affine.emitsEvents());
    }

    @Test
    void readsRockpoolsReexportWhoseOutputHasSingletonDimensions() throws Exception
    {
        final NirGraph g = NirReader.read(Fixtures.nir("lif_rockpool.nir"));
        final NirNode.Linear w = assertInstanceOf(NirNode.Linear.class, g.node("0_LinearTorch"));
        final NirNode.LIF lif = assertInstanceOf(NirNode.LIF.class, g.node("1_LIFNeuronTorch"));
        assertEquals(0.96, w.weight().scalar() * lif.r().scalar(), 1e-3);
        assertArrayEquals(new int[] {1, 1, 1}, g.node("output").inputShape()); // [1] -> [1, 1, 1] is the same data
    }

    @Test
    void readsSnnTorchsRecurrentBrailleNetwork() throws Exception
    {
        final NirGraph g = NirReader.read(Fixtures.nir("braille_noDelay_bias_zero.nir"));
        assertEquals("0.2.0", g.version());
        final NirNode.CubaLIF lif1 = assertInstanceOf(NirNode.CubaLIF.class, g.node("lif1.lif"));
        assertArrayEquals(new int[] {38}, lif1.inputShape());
        assertEquals(0.001, lif1.tauMem().get(0), 1e-8);      // 9.9999976e-4 in the file
        assertEquals(38, lif1.wIn().size());
        assertTrue(g.edges().contains(new NirEdge("lif1.w_rec", "lif1.lif")));
        assertTrue(g.edges().contains(new NirEdge("lif1.lif", "lif1.w_rec")));
        // weights 12x38 + 38x38 + 38x7, biases 38 + 38 + 7, CubaLIF 7 parameters x (38 + 7)
        long params = 0;
        for (final NirNode n : g.nodes().values())
        {
            params += n.parameterCount();
        }
        assertEquals(456 + 1444 + 266 + 38 + 38 + 7 + 7 * (38 + 7), params);
    }

    @Test
    void readsSinabsCnnAndInfersPoolingShapes() throws Exception
    {
        final NirGraph g = NirReader.read(Fixtures.nir("cnn_sinabs.nir"));
        final NirNode.Conv2d c0 = assertInstanceOf(NirNode.Conv2d.class, g.node("0"));
        assertArrayEquals(new int[] {2, 34, 34}, c0.inputShape());
        assertArrayEquals(new int[] {16, 16, 16}, c0.outputShape());
        assertArrayEquals(new int[] {2, 2}, c0.stride());
        assertArrayEquals(new int[] {1, 1}, c0.padding());
        final NirNode.SumPool2d p4 = assertInstanceOf(NirNode.SumPool2d.class, g.node("4"));
        assertArrayEquals(new int[] {16, 16, 16}, p4.inputShape());  // not in the file: inferred from node 3
        assertArrayEquals(new int[] {16, 8, 8}, p4.outputShape());
        assertArrayEquals(new int[] {8, 4, 4}, g.node("7").outputShape());
        assertArrayEquals(new int[] {128}, g.node("8").outputShape());
        assertArrayEquals(new int[] {10}, g.node("12").outputShape());
        assertTrue(g.node("1").emitsEvents());
        assertEquals(0.0, ((NirNode.IF)g.node("1")).vReset().get(4095));
    }

    @Test
    void refusesTheSubgraphFileWhoseInnerEdgesNameAMissingNode()
    {
        final NirFormatException e = assertThrows(NirFormatException.class,
            () -> NirReader.read(Fixtures.nir("braille_noDelay_bias_zero_subgraph.nir")));
        assertTrue(e.getMessage().contains("braille_noDelay_bias_zero_subgraph.nir"), e.getMessage());
        assertTrue(e.getMessage().contains("names no node 'lif'"), e.getMessage());
        assertTrue(e.getMessage().contains("subgraph 'lif1'"), e.getMessage());
    }

    @Test
    void readsTheSubgraphFileAsStoredWithoutValidation() throws Exception
    {
        final NirGraph raw = NirReader.readRaw(Fixtures.nir("braille_noDelay_bias_zero_subgraph.nir"));
        final NirNode.Graph sub = assertInstanceOf(NirNode.Graph.class, raw.node("lif1"));
        assertEquals(List.of("input", "lif1", "lin", "output"), List.copyOf(sub.graph().nodes().keySet()));
        assertArrayEquals(new int[] {38}, sub.inputShape());
    }
}
