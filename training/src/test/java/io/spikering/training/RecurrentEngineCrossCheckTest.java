package io.spikering.training;

import io.spikering.core.engine.Simulator;
import io.spikering.core.lmu.LmuFile;
import io.spikering.core.lmu.LmuModelNetwork;
import io.spikering.core.lmu.LmuModelNetwork.MemoryMode;
import io.spikering.neuron.Activation;
import io.spikering.neuron.SigmaDeltaQuantizer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A recurrent model file run by the event engine (hidden --[W_h, delay 1]--> hidden) against two references on the
 * same samples and initial voltages: (1) a double-precision forward pass that sums in the engine's documented order
 * (W_hᵀ h_{t−1} as delivered at the end of step t−1, then memory ascending, input, bias; docs/engine.md, "One
 * step"): every hidden count of every step and the predictions equal exactly; (2) the trainer's own double reference
 * {@link RecurrentLmu}, which sums bias first and W_h last: non-spiking losses agree to 1e-9, and spiking predictions
 * agree except where a different rounding moves a voltage across an integer and the recurrence carries it on.
 */
final class RecurrentEngineCrossCheckTest
{
    @TempDir
    Path dir;

    private static float[] randomParameters(final LmuSpec spec, final RecurrentLmu.Options options, final long seed)
    {
        final RecurrentLmu cell = new RecurrentLmu(spec, options, 1);
        final double[] init = cell.initialize(seed);
        final Random rnd = new Random(seed);
        final int[] o = cell.offsets();
        final float[] p = new float[init.length];
        for (int i = 0; i < p.length; i++)
        {
            p[i] = (float)(1.5 * init[i]);
        }
        p[o[0]] = (float)(1.0 + 0.3 * rnd.nextGaussian());
        for (int j = o[6]; j < o[7]; j++)
        {
            p[j] = (float)(0.5 * rnd.nextGaussian());
        }
        return p;
    }

    private static float[] pixels(final Random rnd, final int steps)
    {
        final float[] p = new float[steps];
        for (int t = 0; t < steps; t++)
        {
            p[t] = rnd.nextDouble() < 0.6 ? 0f : rnd.nextInt(256) / 255f;
        }
        return p;
    }

    /** Counts [t][j] of every step and the logits, summed in the engine's order. */
    private static int[][] engineOrderForward(final RecurrentModel model, final float[] x, final double dt, final double[] v0, final double[] logits)
    {
        final LmuSpec spec = model.spec();
        final int d = spec.order();
        final int n = spec.hidden();
        final int steps = spec.steps();
        final Map<String, float[]> t = model.tensors();
        final float[] a = t.get(LmuFile.MEMORY_A);
        final float[] b = t.get(LmuFile.MEMORY_B);
        final double e = t.get(RecurrentModel.INPUT_ENCODER)[0];
        final float[] wm = t.get(LmuFile.HIDDEN_MEMORY_KERNEL);
        final float[] wx = t.get(LmuFile.HIDDEN_INPUT_KERNEL);
        final float[] wh = t.get(RecurrentModel.RECURRENT_KERNEL);
        final float[] bias = t.get(LmuFile.HIDDEN_BIAS);
        final SigmaDeltaQuantizer q = new SigmaDeltaQuantizer(n, spec.activation(), dt, 1.0, 0L);
        q.setVoltages(v0);
        final double scale = q.outputScale();
        double[] m = new double[d];
        double[] next = new double[d];
        final double[] z = new double[n];
        final int[][] counts = new int[steps + 1][n];
        final double[] sum = new double[n];
        for (int step = 0; step < steps; step++)
        {
            final double u = x[step] * e;
            for (int i = 0; i < d; i++)
            {
                double acc = 0.0;
                for (int j = 0; j < d; j++)
                {
                    acc += (double)a[i * d + j] * m[j];
                }
                next[i] = acc + (double)b[i] * u;
            }
            final double[] swap = m;
            m = next;
            next = swap;
            final int[] previous = counts[step];
            for (int j = 0; j < n; j++)
            {
                double acc = 0.0;
                for (int k = 0; wh != null && k < n; k++)
                {
                    acc += previous[k] * scale * wh[k * n + j];
                }
                for (int i = 0; i < d; i++)
                {
                    acc += m[i] * wm[i * n + j];
                }
                acc += (double)x[step] * wx[j];
                z[j] = acc + bias[j];
            }
            q.step(z, counts[step + 1]);
            if (step >= steps - spec.window())
            {
                for (int j = 0; j < n; j++)
                {
                    sum[j] += counts[step + 1][j];
                }
            }
        }
        final float[] wo = t.get(LmuFile.READOUT_KERNEL);
        final float[] bo = t.get(LmuFile.READOUT_BIAS);
        for (int c = 0; c < logits.length; c++)
        {
            double acc = 0.0;
            for (int j = 0; j < n; j++)
            {
                acc += sum[j] * scale / spec.window() * wo[j * logits.length + c];
            }
            logits[c] = acc + bo[c];
        }
        return java.util.Arrays.copyOfRange(counts, 1, steps + 1);
    }

    @Test
    void spikingEngineEqualsTheEngineOrderReferenceExactlyAndTheTrainersPredictionsMostly() throws IOException
    {
        long spikes = 0;
        long multi = 0;
        int agree = 0;
        int samples = 0;
        for (final Activation f : new Activation[] {Activation.TANH, Activation.RELU})
        {
            for (final RecurrentLmu.Options options : new RecurrentLmu.Options[] {RecurrentLmu.Options.kerasPsMnist(),
                new RecurrentLmu.Options(false, false, true, false)})
            {
                for (final double dt : new double[] {0.5, 3.0})
                {
                    final LmuSpec spec = new LmuSpec(8, 30.0, true, 40, 3, 12, f, 4);
                    final float[] p = randomParameters(spec, options, 7);
                    final RecurrentModel model = new RecurrentModel(spec, options, 1, p, true, dt, Map.of());
                    final Path file = dir.resolve("r.safetensors");
                    model.write(file);
                    final LmuFile lmu = LmuFile.load(file);
                    assertTrue(lmu.recurrent());
                    assertEquals(options.hiddenRecurrent(), lmu.recurrentKernel() != null);
                    final LmuModelNetwork net = LmuModelNetwork.build(lmu, true, Double.NaN, MemoryMode.RECURRENCE);
                    final RecurrentLmu trainer = new RecurrentLmu(spec, options, 1);
                    final double[] pd = new double[p.length];
                    for (int i = 0; i < p.length; i++)
                    {
                        pd[i] = p[i];
                    }
                    final Random rnd = new Random(5);
                    try (Simulator sim = new Simulator(net.network()))
                    {
                        for (int s = 0; s < 12; s++)
                        {
                            final float[] x = pixels(rnd, spec.steps());
                            final long voltageSeed = rnd.nextLong();
                            final double[] v0 = new double[spec.hidden()];
                            ShardKernel.initialVoltages(voltageSeed, v0);
                            final double[] logits = new double[spec.classes()];
                            final int[][] ref = engineOrderForward(model, x, dt, v0, logits);
                            sim.reset(s);
                            sim.quantizer(net.hidden()).setVoltages(v0);
                            for (int t = 0; t < spec.steps(); t++)
                            {
                                final double[] in = {x[t]};
                                sim.setInput(net.pixel(), in);
                                sim.setInput(net.pixelDirect(), in);
                                sim.step();
                                assertArrayEquals(ref[t], sim.counts(net.hidden()), f + " " + options + " dt " + dt + " sample " + s + " step " + t);
                                for (final int c : ref[t])
                                {
                                    spikes += Math.abs(c);
                                    multi += Math.abs(c) > 1 ? 1 : 0;
                                }
                            }
                            assertArrayEquals(logits, sim.outputs(net.readout()), 1e-9);
                            trainer.forward(pd, x, 0, dt, voltageSeed, null, null);
                            agree += trainer.prediction() == LmuModelNetwork.argmax(sim.outputs(net.readout())) ? 1 : 0;
                            samples++;
                        }
                    }
                }
            }
        }
        assertTrue(spikes > 10_000 && multi > 300, spikes + " spikes, " + multi + " multi-spike counts");
        assertTrue(agree >= 0.9 * samples, agree + " of " + samples + " predictions agree with the trainer's reference");
    }

    @Test
    void nonSpikingEngineEqualsTheTrainersReference() throws IOException
    {
        final LmuSpec spec = new LmuSpec(8, 30.0, true, 40, 3, 12, Activation.TANH, 4);
        final RecurrentLmu.Options options = RecurrentLmu.Options.kerasPsMnist();
        final float[] p = randomParameters(spec, options, 11);
        final Path file = dir.resolve("r.safetensors");
        new RecurrentModel(spec, options, 1, p, false, 1.0, Map.of()).write(file);
        final LmuModelNetwork net = LmuModelNetwork.build(LmuFile.load(file), false, Double.NaN, MemoryMode.RECURRENCE);
        final RecurrentLmu trainer = new RecurrentLmu(spec, options, 1);
        final double[] pd = new double[p.length];
        for (int i = 0; i < p.length; i++)
        {
            pd[i] = p[i];
        }
        final Random rnd = new Random(3);
        try (Simulator sim = new Simulator(net.network()))
        {
            for (int s = 0; s < 10; s++)
            {
                final float[] x = pixels(rnd, spec.steps());
                sim.reset(s);
                for (int t = 0; t < spec.steps(); t++)
                {
                    final double[] in = {x[t]};
                    sim.setInput(net.pixel(), in);
                    sim.setInput(net.pixelDirect(), in);
                    sim.step();
                }
                final double[] logits = sim.outputs(net.readout());
                for (int c = 0; c < spec.classes(); c++)
                {
                    // cross-entropy for label c = logsumexp − logit_c, so equal losses for every c mean equal logits
                    final double loss = trainer.forward(pd, x, c, 0.0, 0L, null, null);
                    double max = Double.NEGATIVE_INFINITY;
                    for (final double l : logits)
                    {
                        max = Math.max(max, l);
                    }
                    double sum = 0.0;
                    for (final double l : logits)
                    {
                        sum += Math.exp(l - max);
                    }
                    assertEquals(loss, Math.log(sum) + max - logits[c], 1e-9, "sample " + s + " class " + c);
                }
            }
        }
        final IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
            () -> LmuModelNetwork.build(LmuFile.load(file), true, Double.NaN, MemoryMode.FILTER));
        assertTrue(e.getMessage().contains("--memory recurrence"), e.getMessage());
    }
}
