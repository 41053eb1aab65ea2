package io.spikering.training;

import io.spikering.core.engine.Simulator;
import io.spikering.core.lmu.LmuFile;
import io.spikering.core.lmu.LmuModelNetwork;
import io.spikering.core.lmu.LmuModelNetwork.MemoryMode;
import io.spikering.neuron.Activation;
import io.spikering.neuron.DeltaQuantizer;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Models whose hidden and/or memory quantizer is Loihi 2's delta encoder: the event engine (events, SIGMA ports)
 * against a double reference written here step by step, in the engine's accumulation order: counts exact, logits to
 * 1e-9; and the trainer's kernel (float products) against the same reference on predictions.
 */
final class DeltaEncoderCrossCheckTest
{
    /**
     * The reference: memory recurrence as {@link ReferenceForward}; per window step, the memory quantizer input
     * x = m·gain + offset; delta counts c; the hidden's summed memory input total += Σ_i ascending (c_i/dt_m)·W_m[i]
     * (or, without a delta memory, the sigma-delta / dense memory input as {@link ReferenceForward}); z = ((p·W_x) + b) +
     * total; delta (or sigma-delta) counts n; the readout's total += Σ_j ascending (n_j·amplitude/dt)·W_out[j]; sum +=
     * total; logits = sum/K + b_out.
     */
    static ReferenceForward.Result reference(final LmuFile model, final float[] pixels, final double dt, final double memoryDt)
    {
        final LmuSpec spec = LmuExport.spec(model);
        final int d = spec.order();
        final int n = spec.hidden();
        final int classes = spec.classes();
        final int window = spec.window();
        final Map<String, float[]> t = model.tensors();
        final float[] a = t.get(LmuFile.MEMORY_A);
        final float[] b = t.get(LmuFile.MEMORY_B);
        final double e = t.get(LmuFile.INPUT_ENCODER)[0];
        final float[] wm = t.get(LmuFile.HIDDEN_MEMORY_KERNEL);
        final float[] wx = t.get(LmuFile.HIDDEN_INPUT_KERNEL);
        final float[] bias = t.get(LmuFile.HIDDEN_BIAS);
        final float[] wo = t.get(LmuFile.READOUT_KERNEL);
        final float[] bo = t.get(LmuFile.READOUT_BIAS);
        final LmuFile.Encoding enc = model.encoding();
        final float[] gain = t.get(LmuFile.MEMORY_QUANTIZER_GAIN);
        final float[] offset = t.get(LmuFile.MEMORY_QUANTIZER_OFFSET);
        final DeltaQuantizer memoryQ = enc.memoryDelta() ? new DeltaQuantizer(d, Activation.LINEAR, memoryDt, 1.0, enc.memoryThreshold()) : null;
        final DeltaQuantizer hiddenQ = new DeltaQuantizer(n, spec.activation(), dt, model.amplitude(), enc.hiddenThreshold());
        final int[][] memoryCounts = memoryQ != null ? new int[window][d] : null;
        final int[][] counts = new int[window][n];
        double[] m = new double[d];
        double[] next = new double[d];
        final double[] x = new double[d];
        final double[] memoryTotal = new double[n];
        final double[] readoutTotal = new double[classes];
        final double[] readoutSum = new double[classes];
        final double[] z = new double[n];
        for (int step = 0; step < spec.steps(); step++)
        {
            final double u = e * pixels[step];
            for (int i = 0; i < d; i++)
            {
                double acc = 0.0;
                for (int j = 0; j < d; j++)
                {
                    acc += (double)a[i * d + j] * m[j];
                }
                acc += (double)b[i] * u;
                next[i] = acc;
            }
            final double[] swap = m;
            m = next;
            next = swap;
            final int k = step - spec.firstHiddenStep();
            if (k < 0)
            {
                continue;
            }
            for (int i = 0; i < d; i++)
            {
                double acc = 0.0;
                acc += m[i] * gain[i];
                acc += offset[i];
                x[i] = acc;
            }
            memoryQ.step(x, memoryCounts[k]);
            for (int j = 0; j < n; j++)
            {
                double slot = 0.0;
                for (int i = 0; i < d; i++)
                {
                    if (memoryCounts[k][i] != 0)
                    {
                        slot += memoryCounts[k][i] * (1.0 / memoryDt) * wm[i * n + j];
                    }
                }
                memoryTotal[j] += slot;
                double acc = 0.0;
                acc += (double)pixels[step] * wx[j];
                acc += bias[j];
                acc += memoryTotal[j];
                z[j] = acc;
            }
            hiddenQ.step(z, counts[k]);
            final double scale = model.amplitude() / dt;
            for (int c = 0; c < classes; c++)
            {
                double slot = 0.0;
                for (int j = 0; j < n; j++)
                {
                    if (counts[k][j] != 0)
                    {
                        slot += counts[k][j] * scale * wo[j * classes + c];
                    }
                }
                readoutTotal[c] += slot;
                readoutSum[c] += readoutTotal[c];
            }
        }
        final double[] logits = new double[classes];
        int best = 0;
        for (int c = 0; c < classes; c++)
        {
            logits[c] = 1.0 / window * readoutSum[c] + bo[c];
            if (logits[c] > logits[best])
            {
                best = c;
            }
        }
        return new ReferenceForward.Result(counts, memoryCounts, logits, best);
    }

    private static LmuFile model(final LmuSpec spec, final double dt, final double memoryDt, final LmuFile.Encoding encoding, final long seed)
    {
        final Random rnd = new Random(seed);
        final int d = spec.order();
        final int n = spec.hidden();
        final int c = spec.classes();
        final Map<String, float[]> t = LmuExport.tensors(MemoryMatrices.of(spec), EngineCrossCheckTest.random(rnd, d * n, 0.3),
            EngineCrossCheckTest.random(rnd, n, 1.0), EngineCrossCheckTest.random(rnd, n, 0.3), EngineCrossCheckTest.random(rnd, n * c, 1.0),
            EngineCrossCheckTest.random(rnd, c, 0.1));
        t.put(LmuFile.MEMORY_QUANTIZER_GAIN, EngineCrossCheckTest.random(rnd, d, 1.0));
        t.put(LmuFile.MEMORY_QUANTIZER_OFFSET, EngineCrossCheckTest.random(rnd, d, 0.2));
        final LmuFile.Architecture a = LmuExport.architecture(spec, true, dt, 1.0);
        return LmuFile.create(new LmuFile.Architecture(a.order(), a.theta(), a.zoh(), a.steps(), a.window(), a.hidden(), a.activation(),
            a.classes(), true, dt, 1.0, true, memoryDt, null, encoding), t, Map.of());
    }

    @Test
    void engineEqualsTheReferenceExactly()
    {
        long hiddenEvents = 0;
        long graded = 0;
        for (final double threshold : new double[] {0.0, 1.0, 2.5})
        {
            for (final double dt : new double[] {1.0, 4.0})
            {
                final LmuSpec spec = new LmuSpec(12, 25.0, true, 50, 10, 20, Activation.TANH, 4);
                final LmuFile model = model(spec, dt, 2.0, new LmuFile.Encoding(true, threshold, true, 0.5 * threshold), 11);
                for (final MemoryMode mode : new MemoryMode[] {MemoryMode.RECURRENCE, MemoryMode.FILTER})
                {
                    final LmuModelNetwork net = LmuModelNetwork.build(model, true, Double.NaN, mode);
                    final Random rnd = new Random(9);
                    try (Simulator sim = new Simulator(net.network()))
                    {
                        for (int s = 0; s < 12; s++)
                        {
                            final float[] p = EngineCrossCheckTest.pixels(rnd, spec.steps());
                            final ReferenceForward.Result expected = reference(model, p, dt, 2.0);
                            sim.reset(s);
                            for (int step = 0; step < spec.steps(); step++)
                            {
                                final double[] in = {p[step]};
                                sim.setInput(net.pixel(), in);
                                sim.setInput(net.pixelDirect(), in);
                                sim.step();
                                final int k = step - spec.firstHiddenStep();
                                if (k >= 0)
                                {
                                    assertArrayEquals(expected.counts()[k], sim.counts(net.hidden()), "hidden, step " + step);
                                    assertArrayEquals(expected.memoryCounts()[k], sim.counts(net.memoryQuantizer()), "memory, step " + step);
                                    for (final int c : expected.counts()[k])
                                    {
                                        hiddenEvents += c != 0 ? 1 : 0;
                                        graded += Math.abs(c) > 1 ? 1 : 0;
                                    }
                                }
                            }
                            assertArrayEquals(expected.logits(), sim.outputs(net.readout()), 1e-9, "logits, threshold " + threshold + " dt " + dt);
                            assertEquals(expected.prediction(), LmuModelNetwork.argmax(sim.outputs(net.readout())));
                        }
                    }
                }
            }
        }
        assertTrue(hiddenEvents > 1000 && graded > 100, hiddenEvents + " events, " + graded + " graded");
    }
}
