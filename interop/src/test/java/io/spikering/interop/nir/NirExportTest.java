package io.spikering.interop.nir;

import io.spikering.core.bench.CubaNetwork;
import io.spikering.core.engine.Network;
import io.spikering.core.engine.Port;
import io.spikering.core.engine.Projection;
import io.spikering.neuron.CubaLif;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class NirExportTest
{
    @TempDir
    Path dir;

    @Test
    void cubaBecomesLifWithTwoCurrentSynapsesInSiUnits() throws Exception
    {
        final Network net = CubaNetwork.build(7, 20, 6, 4, 2);
        final NirGraph g = NirValidator.validate(NirExport.lifParts(net, true, "test"), "export");
        final CubaLif.Parameters p = CubaLif.Parameters.cuba();
        final NirNode.LIF exc = assertInstanceOf(NirNode.LIF.class, g.node("exc"));
        assertEquals(NirTensor.filled(new int[] {20}, 0.020), exc.tau());
        assertEquals(0.020 / 200e-12, exc.r().get(0), 1e-3);                  // tau_m / C_m = 1e8 ohm
        assertEquals(-0.049, exc.vLeak().get(3), 1e-15);
        assertEquals(-0.050, exc.vThreshold().get(3), 1e-15);
        assertEquals(-0.060, exc.vReset().get(3), 1e-15);
        final NirNode.LI synIn = assertInstanceOf(NirNode.LI.class, g.node("exc_syn_in"));
        assertEquals(p.tauInMs() * 1e-3, synIn.tau().get(0), 1e-15);
        assertEquals(synIn.tau(), synIn.r());                                 // a spike of weight w adds w amperes
        // weights: NIR's [target, source] is the engine's [source][target] transposed, pA -> A, in-degree kept
        final NirNode.Linear w = assertInstanceOf(NirNode.Linear.class, g.node("inh_to_exc_in"));
        assertEquals(20, w.weight().dim(0));
        assertEquals(6, w.weight().dim(1));
        Projection inhToExc = null;
        for (int i = 0; i < net.projectionCount(); i++)
        {
            final Projection pr = net.projection(i);
            if (pr.source() == 1 && pr.target() == 0 && pr.port() == Port.INHIBITORY)
            {
                inhToExc = pr;
            }
        }
        for (int t = 0; t < 20; t++)
        {
            int inDegree = 0;
            for (int s = 0; s < 6; s++)
            {
                final double v = w.weight().get(t * 6 + s);
                assertEquals(inhToExc.weight(s, t) * 1e-12, v, 0.0);
                inDegree += v != 0 ? 1 : 0;
            }
            assertEquals(2, inDegree);
        }
        assertTrue(g.edges().contains(new NirEdge("inh_to_exc_in", "inh_to_exc_in_delay")));
        assertTrue(g.edges().contains(new NirEdge("inh_to_exc_in_delay", "exc_syn_in")));
        assertEquals(1e-4, ((NirNode.Delay)g.node("inh_to_exc_in_delay")).delay().get(0), 1e-18);
        assertTrue(((String)g.metadata().get("dropped")).contains("exc: refractory period 5.0 ms"));
        assertEquals(20, ((NirTensor)g.metadata().get("initial_v_exc")).size());
        final Path file = dir.resolve("cuba.nir");
        NirWriter.write(g, file);
        assertEquals(g, NirReader.read(file));
    }

    @Test
    void aRefractoryPeriodIsRefusedUnlessDroppedKnowingly()
    {
        final IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
            () -> NirExport.lifParts(CubaNetwork.build(1, 4, 2, 1, 1), false, "test"));
        assertTrue(e.getMessage().contains("population 'exc' has a 5.0 ms refractory period"), e.getMessage());
    }

    @Test
    void equalSynapticTimeConstantsBecomeOneCubaLif() throws Exception
    {
        final CubaLif.Parameters p = new CubaLif.Parameters(10.0, 100.0, -65.0, -50.0, -65.0, 0.0, 5.0, 5.0);
        final Network.Builder b = Network.builder();
        final int in = b.input("stim", 3);
        final int lif = b.lif("pop", 2, p, 0.5);
        b.connect(in, lif).dense(new float[][] {{1f, 2f}, {3f, 4f}, {5f, 6f}});
        final NirGraph g = NirValidator.validate(NirExport.lifParts(b.build(), false, "test"), "export");
        final NirNode.CubaLIF pop = assertInstanceOf(NirNode.CubaLIF.class, g.node("pop"));
        assertEquals(0.005, pop.tauSyn().get(0), 1e-15);
        assertEquals(pop.tauSyn(), pop.wIn());
        assertInstanceOf(NirNode.Input.class, g.node("stim"));
        final NirNode.Linear w = assertInstanceOf(NirNode.Linear.class, g.node("stim_to_pop_ex"));
        assertEquals(new NirTensor(new int[] {2, 3}, new double[] {1e-12, 3e-12, 5e-12, 2e-12, 4e-12, 6e-12}).toString(),
            w.weight().toString());
        assertTrue(g.edges().contains(new NirEdge("stim", "stim_to_pop_ex")));
        assertTrue(g.edges().contains(new NirEdge("stim_to_pop_ex", "pop")));
    }
}
