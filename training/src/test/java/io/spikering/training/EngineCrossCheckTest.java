package io.spikering.training;

import io.spikering.core.engine.Simulator;
import io.spikering.core.lmu.LmuFile;
import io.spikering.core.lmu.LmuModelNetwork;
import io.spikering.core.lmu.LmuModelNetwork.MemoryMode;
import io.spikering.neuron.Activation;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Two independent implementations, one answer: the event engine running a model file (simulator-core's
 * LmuFile + LmuModelNetwork, recurrence memory) against the trainer's double-precision {@link ReferenceForward} on
 * the same file, samples and initial voltages. Spike counts and predictions must be equal exactly (both sum the
 * hidden input in the documented order: memory features ascending, input, bias); logits differ only by the order of
 * the readout sum (engine: per step as events arrive; reference: over the summed counts), so they agree to 1e-9.
 */
final class EngineCrossCheckTest
{
    @TempDir
    Path dir;

    private static LmuFile randomModel(final LmuSpec spec, final double dt, final long seed)
    {
        final Random rnd = new Random(seed);
        final int d = spec.order();
        final int n = spec.hidden();
        final int c = spec.classes();
        return LmuFile.create(LmuExport.architecture(spec, true, dt, 1.0), LmuExport.tensors(MemoryMatrices.of(spec), random(rnd, d * n, 1.5),
            random(rnd, n, 1.0), random(rnd, n, 0.5), random(rnd, n * c, 1.0), random(rnd, c, 0.1)), Map.of());
    }

    static float[] random(final Random rnd, final int n, final double scale)
    {
        final float[] v = new float[n];
        for (int i = 0; i < n; i++)
        {
            v[i] = (float)(scale * rnd.nextGaussian());
        }
        return v;
    }

    static float[] pixels(final Random rnd, final int steps)
    {
        final float[] p = new float[steps];
        for (int t = 0; t < steps; t++)
        {
            p[t] = rnd.nextDouble() < 0.7 ? 0f : rnd.nextInt(256) / 255f;
        }
        return p;
    }

    @Test
    void spikingEngineEqualsReferenceForwardExactly() throws IOException
    {
        long totalSpikes = 0;
        long multi = 0;
        long negative = 0;
        for (final Activation f : new Activation[] {Activation.TANH, Activation.RELU})
        {
            for (final double dt : new double[] {0.5, 1.0, 4.0})
            {
                final LmuSpec spec = new LmuSpec(16, 30.0, true, 60, 8, 24, f, 5);
                final LmuFile model = randomModel(spec, dt, 17);
                final Path file = dir.resolve("m.safetensors");
                model.write(file);
                final LmuModelNetwork net = LmuModelNetwork.build(LmuFile.load(file), true, Double.NaN, MemoryMode.RECURRENCE);
                final Random rnd = new Random(5);
                try (Simulator sim = new Simulator(net.network()))
                {
                    for (int s = 0; s < 25; s++)
                    {
                        final float[] p = pixels(rnd, spec.steps());
                        final double[] v0 = new double[spec.hidden()];
                        for (int j = 0; j < v0.length; j++)
                        {
                            v0[j] = rnd.nextDouble();
                        }
                        final ReferenceForward.Result ref = ReferenceForward.run(model, p, dt, true, v0);
                        sim.reset(s);
                        sim.quantizer(net.hidden()).setVoltages(v0);
                        for (int t = 0; t < spec.steps(); t++)
                        {
                            final double[] in = {p[t]};
                            sim.setInput(net.pixel(), in);
                            sim.setInput(net.pixelDirect(), in);
                            sim.step();
                            final int k = t - spec.firstHiddenStep();
                            if (k >= 0)
                            {
                                assertArrayEquals(ref.counts()[k], sim.counts(net.hidden()), f + " dt " + dt + " sample " + s + " step " + t);
                                for (final int c : ref.counts()[k])
                                {
                                    totalSpikes += Math.abs(c);
                                    multi += Math.abs(c) > 1 ? 1 : 0;
                                    negative += c < 0 ? 1 : 0;
                                }
                            }
                        }
                        assertArrayEquals(ref.logits(), sim.outputs(net.readout()), 1e-9);
                        assertEquals(ref.prediction(), LmuModelNetwork.argmax(sim.outputs(net.readout())));
                    }
                }
            }
        }
        assertTrue(totalSpikes > 5000 && multi > 100 && negative > 100, totalSpikes + " spikes, " + multi + " multi, " + negative + " negative");
    }

    @Test
    void nonSpikingEngineEqualsReferenceForward() throws IOException
    {
        final LmuSpec spec = new LmuSpec(16, 30.0, true, 60, 8, 24, Activation.TANH, 5);
        final LmuFile model = randomModel(spec, 1.0, 23);
        final Path file = dir.resolve("m.safetensors");
        model.write(file);
        final LmuFile lmu = LmuFile.load(file);
        final Random rnd = new Random(9);
        for (final MemoryMode mode : MemoryMode.values())
        {
            final LmuModelNetwork net = LmuModelNetwork.build(lmu, false, Double.NaN, mode);
            try (Simulator sim = new Simulator(net.network()))
            {
                for (int s = 0; s < 20; s++)
                {
                    final float[] p = pixels(rnd, spec.steps());
                    final ReferenceForward.Result ref = ReferenceForward.run(model, p, 1.0, false, null);
                    final int prediction = net.run(sim, p, s, new double[1]);
                    // float64 throughout; only summation order differs (readout; the filter's impulse rows)
                    assertArrayEquals(ref.logits(), sim.outputs(net.readout()), 1e-9, mode.name());
                    assertEquals(ref.prediction(), prediction);
                }
            }
        }
    }

    private static LmuFile randomQuantizedMemoryModel(final LmuSpec spec, final double dt, final double memoryDt, final long seed)
    {
        final Random rnd = new Random(seed);
        final int d = spec.order();
        final int n = spec.hidden();
        final int c = spec.classes();
        final Map<String, float[]> t = new java.util.LinkedHashMap<>(LmuExport.tensors(MemoryMatrices.of(spec), random(rnd, d * n, 0.6),
            random(rnd, n, 1.0), random(rnd, n, 0.5), random(rnd, n * c, 1.0), random(rnd, c, 0.1)));
        final float[] gain = new float[d];
        for (int i = 0; i < d; i++)
        {
            gain[i] = (float)(1.0 + 4.0 * rnd.nextDouble());
        }
        t.put(LmuFile.MEMORY_QUANTIZER_GAIN, gain);
        t.put(LmuFile.MEMORY_QUANTIZER_OFFSET, random(rnd, d, 0.5));
        final LmuFile.Architecture a = LmuExport.architecture(spec, true, dt, 1.0);
        return LmuFile.create(new LmuFile.Architecture(a.order(), a.theta(), a.zoh(), a.steps(), a.window(), a.hidden(), a.activation(),
            a.classes(), true, dt, 1.0, true, memoryDt), t, Map.of());
    }

    @Test
    void quantizedMemoryEngineEqualsReferenceForwardExactly() throws IOException
    {
        long memorySpikes = 0;
        long memoryMulti = 0;
        long memoryNegative = 0;
        long hiddenSpikes = 0;
        for (final double memoryDt : new double[] {0.5, 1.0, 3.0})
        {
            for (final double dt : new double[] {1.0, 4.0})
            {
                final LmuSpec spec = new LmuSpec(16, 30.0, true, 60, 8, 24, Activation.TANH, 5);
                final Path file = dir.resolve("q.safetensors");
                randomQuantizedMemoryModel(spec, dt, memoryDt, 31).write(file);
                final LmuFile model = LmuFile.load(file);
                for (final MemoryMode mode : new MemoryMode[] {MemoryMode.RECURRENCE, MemoryMode.FILTER})
                {
                    final LmuModelNetwork net = LmuModelNetwork.build(model, true, Double.NaN, mode);
                    assertTrue(net.memoryQuantizer() >= 0);
                    final Random rnd = new Random(7);
                    try (Simulator sim = new Simulator(net.network()))
                    {
                        for (int s = 0; s < 15; s++)
                        {
                            final float[] p = pixels(rnd, spec.steps());
                            final double[] v0 = uniform(rnd, spec.hidden());
                            final double[] vm0 = uniform(rnd, spec.order());
                            final ReferenceForward.Result ref = ReferenceForward.run(model, p, dt, true, v0, memoryDt, vm0);
                            sim.reset(s);
                            sim.quantizer(net.hidden()).setVoltages(v0);
                            sim.quantizer(net.memoryQuantizer()).setVoltages(vm0);
                            for (int t = 0; t < spec.steps(); t++)
                            {
                                final double[] in = {p[t]};
                                sim.setInput(net.pixel(), in);
                                sim.setInput(net.pixelDirect(), in);
                                sim.step();
                                final int k = t - spec.firstHiddenStep();
                                if (k >= 0)
                                {
                                    final String where = mode + " dt " + dt + " dt_m " + memoryDt + " sample " + s + " step " + t;
                                    assertArrayEquals(ref.memoryCounts()[k], sim.counts(net.memoryQuantizer()), "memory, " + where);
                                    assertArrayEquals(ref.counts()[k], sim.counts(net.hidden()), "hidden, " + where);
                                    for (final int c : ref.memoryCounts()[k])
                                    {
                                        memorySpikes += Math.abs(c);
                                        memoryMulti += Math.abs(c) > 1 ? 1 : 0;
                                        memoryNegative += c < 0 ? 1 : 0;
                                    }
                                    for (final int c : ref.counts()[k])
                                    {
                                        hiddenSpikes += Math.abs(c);
                                    }
                                }
                            }
                            assertArrayEquals(ref.logits(), sim.outputs(net.readout()), 1e-9);
                            assertEquals(ref.prediction(), LmuModelNetwork.argmax(sim.outputs(net.readout())));
                        }
                    }
                }
            }
        }
        assertTrue(memorySpikes > 3000 && memoryMulti > 100 && memoryNegative > 100 && hiddenSpikes > 3000,
            memorySpikes + " memory spikes (" + memoryMulti + " multi, " + memoryNegative + " negative), " + hiddenSpikes + " hidden");
    }

    @Test
    void quantizedMemoryModelRunsNonSpikingInEveryMemoryMode() throws IOException
    {
        final LmuSpec spec = new LmuSpec(16, 30.0, true, 60, 8, 24, Activation.TANH, 5);
        final LmuFile model = randomQuantizedMemoryModel(spec, 1.0, 1.0, 37);
        final Random rnd = new Random(3);
        for (final MemoryMode mode : MemoryMode.values())
        {
            final LmuModelNetwork net = LmuModelNetwork.build(model, false, Double.NaN, mode);
            try (Simulator sim = new Simulator(net.network()))
            {
                for (int s = 0; s < 10; s++)
                {
                    final float[] p = pixels(rnd, spec.steps());
                    final ReferenceForward.Result ref = ReferenceForward.run(model, p, 1.0, false, null);
                    final int prediction = net.run(sim, p, s, new double[1]);
                    // fused folds gain and offset into W_m and a float32 bias: rounding of the folded bias only
                    assertArrayEquals(ref.logits(), sim.outputs(net.readout()), mode == MemoryMode.FUSED ? 1e-5 : 1e-9, mode.name());
                    assertEquals(ref.prediction(), prediction);
                }
            }
        }
        final IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
            () -> LmuModelNetwork.build(model, true, Double.NaN, MemoryMode.FUSED));
        assertTrue(e.getMessage().contains("fused") && e.getMessage().contains("filter"), e.getMessage());
    }

    private static double[] uniform(final Random rnd, final int n)
    {
        final double[] v = new double[n];
        for (int j = 0; j < n; j++)
        {
            v[j] = rnd.nextDouble();
        }
        return v;
    }
}
