package io.spikering.training;

import io.spikering.neuron.Activation;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;

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
            list.add(Arguments.of(o, bits % 2 == 0 ? Activation.TANH : Activation.RELU, 0.0));
            list.add(Arguments.of(o, Activation.TANH, 2.0));
        }
        return list.stream();
    }

    @ParameterizedTest
    @MethodSource("cases")
    void gradientAndLossEqualTheDoubleReference(final RecurrentLmu.Options options, final Activation activation, final double dt)
    {
        final LmuSpec spec = new LmuSpec(6, 8.0, true, 12, 3, 7, activation, 3);
        final int inputs = 2;
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
        final float[] kg = new float[p.length];
        final double[] result = new double[2];
        kernel.run(pf, x, labels, order, 0, samples, dt, seed, 0, kg, 1.0f / samples, result);
        assertEquals(loss, result[0], 1e-4 * (1 + loss));
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
}
