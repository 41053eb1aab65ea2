package io.spikering.training;

import io.spikering.neuron.Activation;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** The fast float shard kernel equals the FD-checked double reference {@link RecurrentLmu} within float rounding. */
class RecurrentBatchKernelTest
{
    static Stream<Arguments> cases()
    {
        final List<Arguments> list = new ArrayList<>();
        for (int bits = 0; bits < 16; bits++)
        {
            final RecurrentLmu.Options o = new RecurrentLmu.Options((bits & 1) != 0, (bits & 2) != 0, (bits & 4) != 0, (bits & 8) != 0);
            for (final int inputs : new int[] {1, 2})
            {
                list.add(Arguments.of(o, bits % 2 == 0 ? Activation.TANH : Activation.RELU, 0.0, inputs));
                list.add(Arguments.of(o, Activation.TANH, 2.0, inputs));
            }
        }
        return list.stream();
    }

    @ParameterizedTest
    @MethodSource("cases")
    void gradientAndLossEqualTheDoubleReference(final RecurrentLmu.Options options, final Activation activation, final double dt,
        final int inputs)
    {
        final LmuSpec spec = new LmuSpec(6, 8.0, true, 12, 3, 7, activation, 3);
        final RecurrentLmu ref = new RecurrentLmu(spec, options, inputs);
        final double[] p = ref.initialize(5);
        final SplittableRandom r = new SplittableRandom(2);
        for (int i = 0; i < p.length; i++)
        {
            p[i] = (float)(p[i] + 0.3 * (r.nextDouble() - 0.5));
        }
        final float[] pf = new float[p.length];
        for (int i = 0; i < p.length; i++)
        {
            pf[i] = (float)p[i];
        }
        final int samples = 3;
        final float[][] x = new float[samples][spec.steps() * inputs];
        for (final float[] s : x)
        {
            for (int i = 0; i < s.length; i++)
            {
                s[i] = (float)(2 * r.nextDouble() - 1);
            }
        }
        final int[] labels = {0, 2, 1};
        final int[] order = {0, 1, 2};
        final long seed = 77;
        final double[] g = new double[p.length];
        double loss = 0.0;
        for (int s = 0; s < samples; s++)
        {
            loss += ref.forward(p, x[s], labels[s], dt, ShardKernel.voltageSeed(seed, s), null, null);
            ref.backward(p, x[s], labels[s], 1.0 / samples, g);
        }
        final RecurrentBatchKernel kernel = new RecurrentBatchKernel(ref, 4);
        assertEquals(inputs == 1 && !options.hiddenToMemory() && !options.memoryToMemory(), kernel.usesFixedMemoryPath());
        final float[] kg = new float[p.length];
        final double[] result = new double[2];
        kernel.run(pf, x, labels, order, 0, samples, dt, seed, 0, kg, 1.0f / samples, result);
        assertEquals(loss, result[0], 1e-4 * (1 + loss), "loss (" + options + ")");
        double maxG = 0.0;
        for (final double v : g)
        {
            maxG = Math.max(maxG, Math.abs(v));
        }
        for (int i = 0; i < p.length; i++)
        {
            assertEquals(g[i], kg[i], 1e-4 * maxG, "parameter " + i + " (" + options + ")");
        }
    }
    /**
     * The fixed-memory fast path (impulse-response convolution) equals the generic float path (memory recurrence) on
     * shapes that exercise every block remainder, for sparse (30% non-zero, one all-zero sample), dense and negative
     * inputs, non-spiking and spiking.
     */
    @ParameterizedTest
    @MethodSource("fastCases")
    void fixedMemoryPathEqualsTheGenericPath(final boolean inputToHidden, final boolean hiddenRecurrent, final double dt, final double density)
    {
        final LmuSpec spec = new LmuSpec(18, 30.0, true, 40, 5, 13, Activation.TANH, 10);
        final RecurrentLmu ref = new RecurrentLmu(spec, new RecurrentLmu.Options(false, false, inputToHidden, hiddenRecurrent), 1);
        final SplittableRandom r = new SplittableRandom(4);
        final float[] p = perturbed(ref.initialize(3), r);
        final int samples = 7;
        final float[][] x = new float[9][spec.steps()];
        for (final float[] s : x)
        {
            for (int i = 0; i < s.length; i++)
            {
                s[i] = r.nextDouble() < density ? (float)(2 * r.nextDouble() - 0.5) : 0.0f;
            }
        }
        if (density < 1.0)
        {
            java.util.Arrays.fill(x[5], 0.0f);
        }
        final int[] labels = {0, 4, 1, 3, 2, 0, 1, 4, 2};
        final int[] order = {8, 3, 5, 0, 1, 7, 2, 6, 4};
        final RecurrentBatchKernel fast = new RecurrentBatchKernel(ref, 8);
        final RecurrentBatchKernel generic = new RecurrentBatchKernel(ref, 8, false);
        assertEquals(true, fast.usesFixedMemoryPath());
        final float[] gf = new float[p.length];
        final float[] gg = new float[p.length];
        final double[] rf = new double[2];
        final double[] rg = new double[2];
        fast.run(p, x, labels, order, 1, 1 + samples, dt, 9, 0, gf, 1.0f / samples, rf);
        generic.run(p, x, labels, order, 1, 1 + samples, dt, 9, 0, gg, 1.0f / samples, rg);
        assertEquals(rg[0], rf[0], 1e-5 * (1 + rg[0]));
        assertEquals(rg[1], rf[1]);
        double maxG = 0.0;
        for (final float v : gg)
        {
            maxG = Math.max(maxG, Math.abs(v));
        }
        for (int i = 0; i < p.length; i++)
        {
            assertEquals(gg[i], gf[i], 1e-5 * maxG, "parameter " + i);
        }
    }

    static Stream<Arguments> fastCases()
    {
        final List<Arguments> list = new ArrayList<>();
        for (int bits = 0; bits < 4; bits++)
        {
            for (final double density : new double[] {0.3, 1.0})
            {
                list.add(Arguments.of((bits & 1) != 0, (bits & 2) != 0, 0.0, density));
                list.add(Arguments.of((bits & 1) != 0, (bits & 2) != 0, 4.0, density));
            }
        }
        return list.stream();
    }

    /**
     * The fast path with the Vector API tiles gives the bits of the same path on plain loops, on a shard that uses the
     * 10-row product tiles and their remainder (23 samples) and 8-step gather tiles, non-spiking and spiking.
     */
    @ParameterizedTest
    @CsvSource({"true, 0.0", "true, 1.0", "false, 0.5"})
    void vectorTilesGiveThePlainLoopsBits(final boolean hiddenRecurrent, final double dt)
    {
        final LmuSpec spec = new LmuSpec(20, 60.0, true, 61, 4, 37, Activation.TANH, 6);
        final RecurrentLmu ref = new RecurrentLmu(spec, new RecurrentLmu.Options(false, false, true, hiddenRecurrent), 1);
        final SplittableRandom r = new SplittableRandom(6);
        final float[] p = perturbed(ref.initialize(5), r);
        final int samples = 23;
        final float[][] x = new float[samples][spec.steps()];
        final int[] labels = new int[samples];
        final int[] order = new int[samples];
        for (int s = 0; s < samples; s++)
        {
            for (int i = 0; i < spec.steps(); i++)
            {
                x[s][i] = r.nextDouble() < 0.3 ? (float)r.nextDouble() : 0.0f;
            }
            labels[s] = s % 4;
            order[s] = samples - 1 - s;
        }
        final float[] gv = new float[p.length];
        final float[] gs = new float[p.length];
        final double[] rv = new double[2];
        final double[] rs = new double[2];
        new RecurrentBatchKernel(ref, samples, true, null, new VectorMatrixOps()).run(p, x, labels, order, 0, samples, dt, 3, 0, gv, 0.1f, rv);
        new RecurrentBatchKernel(ref, samples, true, null, new ScalarMatrixOps()).run(p, x, labels, order, 0, samples, dt, 3, 0, gs, 0.1f, rs);
        assertArrayEquals(rs, rv);
        assertArrayEquals(gs, gv);
        final float[] gg = new float[p.length];
        new RecurrentBatchKernel(ref, samples, false).run(p, x, labels, order, 0, samples, dt, 3, 0, gg, 0.1f, new double[2]);
        double maxG = 0.0;
        for (final float v : gg)
        {
            maxG = Math.max(maxG, Math.abs(v));
        }
        for (int i = 0; i < p.length; i++)
        {
            assertEquals(gg[i], gv[i], 1e-5 * maxG, "parameter " + i);
        }
    }

    /**
     * The fixed-memory path's shortcuts (the one-pass tanh with the copy that replaces the per-sample activation, and
     * the others {@link RecurrentBatchKernel#useReferenceLoops} names) give the bits of its reference loops: loss,
     * correct count and every gradient entry, with a window of several steps, tanh and relu, spiking and not, on the
     * Vector API tiles and on the plain loops.
     */
    @ParameterizedTest
    @CsvSource({"true, true, 0.0, TANH, true", "true, true, 0.0, TANH, false", "true, false, 0.0, TANH, true", "false, true, 0.0, TANH, true",
        "true, true, 2.0, TANH, true", "true, true, 0.0, RELU, true"})
    void shortcutsGiveTheReferenceLoopsBits(final boolean hiddenRecurrent, final boolean inputToHidden, final double dt, final Activation f,
        final boolean vector)
    {
        final LmuSpec spec = new LmuSpec(20, 60.0, true, 61, 4, 37, f, 6);
        final RecurrentLmu ref = new RecurrentLmu(spec, new RecurrentLmu.Options(false, false, inputToHidden, hiddenRecurrent), 1);
        final SplittableRandom r = new SplittableRandom(9);
        final float[] p = perturbed(ref.initialize(8), r);
        final int samples = 23;
        final float[][] x = new float[samples][spec.steps()];
        final int[] labels = new int[samples];
        final int[] order = new int[samples];
        for (int s = 0; s < samples; s++)
        {
            for (int i = 0; i < spec.steps(); i++)
            {
                x[s][i] = s == 4 || r.nextDouble() >= 0.3 ? 0.0f : (float)(r.nextDouble() - 0.25);
            }
            labels[s] = s % 6;
            order[s] = (s * 7) % samples;
        }
        final float[] fast = new float[p.length];
        final float[] plain = new float[p.length];
        final double[] rf = new double[2];
        final double[] rp = new double[2];
        final RecurrentBatchKernel shortcuts = new RecurrentBatchKernel(ref, samples, true, null, vector ? new VectorMatrixOps() : new ScalarMatrixOps());
        final RecurrentBatchKernel reference = new RecurrentBatchKernel(ref, samples, true, null, vector ? new VectorMatrixOps() : new ScalarMatrixOps());
        reference.useReferenceLoops(true);
        // twice on the same kernels: the second run starts from the state the first one left behind
        for (int run = 0; run < 2; run++)
        {
            shortcuts.run(p, x, labels, order, 0, samples, dt, 3 + run, 0, fast, 0.1f, rf);
            reference.run(p, x, labels, order, 0, samples, dt, 3 + run, 0, plain, 0.1f, rp);
            assertArrayEquals(rp, rf);
            for (int i = 0; i < p.length; i++)
            {
                assertEquals(Float.floatToRawIntBits(plain[i]), Float.floatToRawIntBits(fast[i]), "parameter " + i + ", run " + run);
            }
        }
    }

    /** The initial parameters as floats, each moved by a uniform draw in [−0.1, 0.1) from {@code r}. */
    private static float[] perturbed(final double[] init, final SplittableRandom r)
    {
        final float[] p = new float[init.length];
        for (int i = 0; i < p.length; i++)
        {
            p[i] = (float)(init[i] + 0.2 * (r.nextDouble() - 0.5));
        }
        return p;
    }
}
