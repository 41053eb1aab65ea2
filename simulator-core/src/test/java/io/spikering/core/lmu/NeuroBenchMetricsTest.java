package io.spikering.core.lmu;

import com.google.gson.JsonObject;
import io.spikering.core.engine.Network;
import io.spikering.core.engine.Quantization;
import io.spikering.core.engine.Simulator;
import io.spikering.neuron.Activation;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** NeuroBench's metrics on a three-step run of a tiny network, against values computed by hand. */
final class NeuroBenchMetricsTest
{
    @Test
    void metricsMatchHandComputedValues()
    {
        final Network.Builder b = Network.builder();
        final int in = b.input("in", 2);
        final int s = b.sigmaDelta("s", 2, new Quantization(Activation.LINEAR, 1.0, 1.0, 0));
        final int r = b.rate("r", 2, Activation.TANH);
        b.connect(in, s).dense(new float[][] {{1, 0}, {0, 1}});      // 2 zeros of 4
        b.connect(s, r).dense(new float[][] {{1, 0}, {2, 3}});      // 1 zero of 4
        final int gain = b.connect(in, r).diagonal(new float[] {0.5f, 0.5f}); // element-wise: not a connection layer
        final Network net = b.build();
        assertTrue(net.projection(gain).isOneToOne());
        assertFalse(net.projection(0).isOneToOne());
        final OpTotals totals = new OpTotals(net);
        try (Simulator sim = new Simulator(net))
        {
            sim.quantizer(s).setVoltages(new double[] {0, 0});
            for (final double[] x : new double[][] {{1, 2.5}, {1, 0}, {0, 0}})
            {
                sim.setInput(in, x);
                sim.step();
            }
            assertEquals(0, sim.eventCount(s)); // step 3: no events
            totals.add(sim.ops());
        }
        // step 1: in -> s gets 1 and 2.5 (not all +-1: 2 MACs); s counts 1 and 2 (v = 0.5 left), 1 + 2 row adds, MACs
        // step 2: in -> s gets 1 (binary: 1 AC); s counts 1, 0: 1 row add, binary (AC); r = [tanh 1.5, tanh 0 = 0]
        // step 3: nothing: s silent, r = [0, 0]
        final NeuroBenchMetrics m = NeuroBenchMetrics.of(totals, 1, 123);
        assertEquals(123, m.footprintBytes());
        assertEquals(3.0 / 8, m.connectionSparsity());
        assertEquals(8 * 3, m.dense());
        assertEquals(2 + 3, m.effectiveMacs());
        assertEquals(1 + 1, m.effectiveAcs());
        assertEquals((12 - (2 + 1 + 0) - (2 + 1 + 0)) / 12.0, m.activationSparsity());
        assertEquals(2 * 3, m.membraneUpdates());
        assertEquals(2 * 3 * NeuroBenchMetrics.SIGMA_DELTA_OPS, m.neuronOpsEffective());
        assertEquals(2 * 3 * NeuroBenchMetrics.SIGMA_DELTA_OPS, m.neuronOpsDense());
        final NeuroBenchMetrics perThree = NeuroBenchMetrics.of(totals, 3, 123);
        assertEquals(8.0, perThree.dense());
        assertEquals(m.connectionSparsity(), perThree.connectionSparsity());
        final JsonObject json = m.toJson();
        assertEquals(5.0, json.getAsJsonObject("SynapticOperations").get("Effective_MACs").getAsDouble());
        assertEquals(24.0, json.getAsJsonObject("SynapticOperations").get("Dense").getAsDouble());
        assertEquals(24.0, json.getAsJsonObject("NeuronOperations").get("Effective Neuron Ops").getAsDouble());
        final String table = NeuroBenchMetrics.table(List.of("a", "b"), m, perThree);
        assertTrue(table.contains("SynapticOperations Dense                           24                8"), table);
        assertTrue(table.contains("ConnectionSparsity                             0.3750           0.3750"), table);
        assertThrows(IllegalArgumentException.class, () -> NeuroBenchMetrics.of(totals, 0, 1));
    }

    @Test
    void footprintIsFourBytesPerFloat()
    {
        final Map<String, float[]> t = new LinkedHashMap<>();
        t.put("a", new float[6]);
        t.put("b", new float[3]);
        assertEquals(36, NeuroBenchMetrics.footprint(t));
    }
}
