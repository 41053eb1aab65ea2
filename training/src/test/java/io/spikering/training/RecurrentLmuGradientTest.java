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
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * BPTT of the recurrent LMU cell against central finite differences, for every combination of KerasLMU's options,
 * tanh and relu, non-spiking and quantized (the residual q − f(z) frozen: exactly what straight-through computes).
 */
class RecurrentLmuGradientTest
{
    static Stream<Arguments> cases()
    {
        final List<Arguments> list = new ArrayList<>();
        for (int bits = 0; bits < 16; bits++)
        {
            final RecurrentLmu.Options o = new RecurrentLmu.Options((bits & 1) != 0, (bits & 2) != 0, (bits & 4) != 0, (bits & 8) != 0);
            list.add(Arguments.of(o, Activation.TANH, 0.0));
            list.add(Arguments.of(o, bits % 2 == 0 ? Activation.TANH : Activation.RELU, 2.0));
        }
        list.add(Arguments.of(RecurrentLmu.Options.kerasPsMnist(), Activation.RELU, 0.0));
        return list.stream();
    }

    @ParameterizedTest
    @MethodSource("cases")
    void bpttMatchesFiniteDifferences(final RecurrentLmu.Options options, final Activation activation, final double dt)
    {
        final LmuSpec spec = new LmuSpec(4, 6.0, true, 9, 3, 5, activation, 3);
        final int inputs = 2;
        final RecurrentLmu cell = new RecurrentLmu(spec, options, inputs);
        final double[] p = cell.initialize(3);
        final SplittableRandom r = new SplittableRandom(8);
        for (int i = 0; i < p.length; i++)
        {
            p[i] += 0.3 * (r.nextDouble() - 0.5); // non-zero encoders and biases too
        }
        final int samples = 2;
        final float[][] x = new float[samples][spec.steps() * inputs];
        for (final float[] s : x)
        {
            for (int i = 0; i < s.length; i++)
            {
                s[i] = (float)(2 * r.nextDouble() - 1);
            }
        }
        final int[] labels = {0, 2};
        final double[][][] residual = new double[samples][spec.steps()][spec.hidden()];
        final double[] grad = new double[p.length];
        double base = 0.0;
        for (int s = 0; s < samples; s++)
        {
            base += cell.forward(p, x[s], labels[s], dt, 100 + s, null, residual[s]) / samples;
            cell.backward(p, x[s], labels[s], 1.0 / samples, grad);
        }
        if (dt > 0.0)
        {
            // the frozen-residual function equals the quantized forward at p
            double frozen = 0.0;
            for (int s = 0; s < samples; s++)
            {
                frozen += cell.forward(p, x[s], labels[s], 0.0, 0, residual[s], null) / samples;
            }
            assertEquals(base, frozen, 1e-12);
        }
        double maxG = 0.0;
        for (final double g : grad)
        {
            maxG = Math.max(maxG, Math.abs(g));
        }
        assertTrue(maxG > 1e-3, "gradient vanishingly small: the check would be vacuous");
        final double h = 1e-6;
        for (int i = 0; i < p.length; i++)
        {
            final double saved = p[i];
            double up = 0.0;
            double down = 0.0;
            p[i] = saved + h;
            for (int s = 0; s < samples; s++)
            {
                up += cell.forward(p, x[s], labels[s], 0.0, 0, dt > 0.0 ? residual[s] : null, null) / samples;
            }
            p[i] = saved - h;
            for (int s = 0; s < samples; s++)
            {
                down += cell.forward(p, x[s], labels[s], 0.0, 0, dt > 0.0 ? residual[s] : null, null) / samples;
            }
            p[i] = saved;
            assertEquals((up - down) / (2 * h), grad[i], 1e-6 * maxG + 1e-9, "parameter " + i + " of " + p.length + " (" + options + ")");
        }
    }
}
