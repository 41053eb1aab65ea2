package io.spikering.core.engine;

import io.spikering.core.engine.OpCounter.Op;
import io.spikering.neuron.LegendreMemory;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link FilterBatch} against each sample stepped alone: the same filter outputs at every window step, bit for bit,
 * and the same op counts, for the Vector API kernel and the per-simulator fallback, on random filters (with and without
 * an output matrix, window lengths on and off the kernel's block size).
 */
final class FilterBatchTest
{
    @Test
    void batchedFlushEqualsEachSampleAloneBitForBit()
    {
        assertTrue(FilterBatch.vectorised(), "the tests run with the Vector API module: the kernel must be the one tested");
        for (int seed = 0; seed < 30; seed++)
        {
            final Random rnd = new Random(seed);
            final int order = 1 + rnd.nextInt(40);
            final int steps = 10 + rnd.nextInt(80);
            final int from = 1 + rnd.nextInt(steps - 1);
            final LegendreMemory lmu = LegendreMemory.zoh(order, 2.0 + 60.0 * rnd.nextDouble());
            double[][] c = null;
            if (rnd.nextBoolean())
            {
                c = new double[1 + rnd.nextInt(70)][order];
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
            final int filter = b.linearFilter("filter", 1, lmu.a(), lmu.b(), c, from, steps);
            b.connect(in, filter).dense(new float[][] {{(float)(0.5 + rnd.nextDouble())}});
            final Network network = b.build();
            final int batch = 1 + rnd.nextInt(9);
            final double[][] inputs = new double[batch][steps];
            for (final double[] u : inputs)
            {
                for (int t = 0; t < steps; t++)
                {
                    u[t] = rnd.nextInt(3) == 0 ? rnd.nextDouble() * 2 - 0.5 : 0.0;
                }
            }
            final double[][][] alone = new double[batch][steps - from][];
            final OpCounter aloneOps = new OpCounter(network);
            try (Simulator sim = new Simulator(network))
            {
                for (int s = 0; s < batch; s++)
                {
                    sim.reset(s);
                    for (int t = 0; t < steps; t++)
                    {
                        sim.setInput(in, new double[] {inputs[s][t]});
                        sim.step();
                        if (t >= from)
                        {
                            alone[s][t - from] = sim.outputs(filter).clone();
                        }
                    }
                }
                aloneOps.merge(sim.ops());
            }
            for (final boolean vector : new boolean[] {true, false})
            {
                final Simulator[] sims = new Simulator[batch];
                final OpCounter batchOps = new OpCounter(network);
                for (int s = 0; s < batch; s++)
                {
                    sims[s] = new Simulator(network);
                    sims[s].reset(s);
                    for (int t = 0; t < from; t++)
                    {
                        sims[s].setInput(in, new double[] {inputs[s][t]});
                        sims[s].step();
                    }
                }
                FilterBatch.flush(sims, batch, filter, vector);
                for (int s = 0; s < batch; s++)
                {
                    for (int t = from; t < steps; t++)
                    {
                        sims[s].setInput(in, new double[] {inputs[s][t]});
                        sims[s].step();
                        assertArrayEquals(alone[s][t - from], sims[s].outputs(filter), "seed " + seed + ", sample " + s + ", step " + t +
                            (vector ? ", vector" : ", fallback"));
                    }
                    batchOps.merge(sims[s].ops());
                    sims[s].close();
                }
                for (final Op op : Op.values())
                {
                    assertEquals(aloneOps.total(op), batchOps.total(op), op.name());
                }
            }
        }
    }

    @Test
    void withoutTheModuleEachSimulatorAddsItsOwnInputs() throws Exception
    {
        // a JVM without --add-modules=jdk.incubator.vector must never load FilterBatchVector
        final Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
            System.getProperty("java.class.path"), FilterBatchFallbackProbe.class.getName()).redirectErrorStream(true).start();
        final String output = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(child.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, child.exitValue(), output);
        assertTrue(output.contains("vectorised: false, output "), output);
    }

    @Test
    void refusesABatchNotAtTheWindow()
    {
        final Network.Builder b = Network.builder();
        final int in = b.input("u", 1);
        final LegendreMemory lmu = LegendreMemory.zoh(3, 10.0);
        final int filter = b.linearFilter("filter", 1, lmu.a(), lmu.b(), 5, 8);
        b.connect(in, filter).dense(new float[][] {{1}});
        final Network network = b.build();
        try (Simulator s = new Simulator(network))
        {
            final String m = assertThrows(IllegalArgumentException.class, () -> FilterBatch.flush(new Simulator[] {s}, 1, filter))
                .getMessage();
            assertTrue(m.contains("step 0") && m.contains("step 5"), m);
            assertThrows(IllegalArgumentException.class, () -> FilterBatch.flush(new Simulator[] {s}, 1, in));
        }
    }
}
