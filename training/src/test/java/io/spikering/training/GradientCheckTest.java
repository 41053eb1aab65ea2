package io.spikering.training;

import io.spikering.neuron.Activation;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Finite differences on tiny models, with and without the hidden layer's activity penalty λ · mean |h| and dropout on the readout's
 * input (the kernel's own masks). (1) The double reference's analytic gradient equals central differences of
 * its loss (non-spiking, and quantized with the residual q − f(z) frozen, i.e. what straight-through computes)
 * to 1e-6 relative. (2) The fast float kernel's loss and gradient equal the double reference within float
 * rounding (2e-4 of the largest gradient entry). Also with the memory output quantized (dt_m &gt; 0): the quantized
 * features come from an independent quantizer in the reference, and the kernel must produce the same loss and gradient.
 */
class GradientCheckTest
{
    @ParameterizedTest
    @CsvSource({"TANH, 0, 0, 0, 0", "RELU, 0, 0, 0, 0", "TANH, 2.0, 0, 0, 0", "RELU, 1.0, 0, 0, 0", "TANH, 0.5, 0, 0, 0",
        "TANH, 0, 1.0, 0, 0", "TANH, 1.0, 0.5, 0, 0", "RELU, 2.0, 2.0, 0, 0", "TANH, 0, 0, 0.7, 0", "RELU, 0, 0, 0.7, 0",
        "TANH, 2.0, 0, 0.7, 0", "TANH, 1.0, 0.5, 2.0, 0", "RELU, 2.0, 0, 1.5, 0", "TANH, 0, 0, 0, 0.4", "TANH, 2.0, 0.5, 0.7, 0.3"})
    void analyticGradientMatchesFiniteDifferencesAndKernel(final Activation activation, final double dt, final double memoryDt,
        final double activityPenalty, final double dropout)
    {
        final LmuSpec spec = Synthetic.spec(6, activation);
        final MemoryFeatures data = Synthetic.make(spec, 5, 11).features(spec, 1);
        data.standardize(data.statistics());
        final LmuParameters params = LmuParameters.initialize(spec, 17);
        final float[] pf = params.values();
        // larger readout weights so every part of the gradient is well above rounding
        for (int i = params.readoutKernel(); i < pf.length; i++)
        {
            pf[i] *= 3.0f;
        }
        final double[] p = new double[pf.length];
        for (int i = 0; i < p.length; i++)
        {
            p[i] = pf[i];
        }
        final int[] samples = {0, 1, 2, 3, 4};
        final long voltageSeed = 1234;
        final ReferenceLmu ref = new ReferenceLmu(spec, data, samples, memoryDt, voltageSeed);
        final double[][][] residual = ref.residuals(p, dt, voltageSeed);
        final double[] g = new double[p.length];
        // the kernel's dropout masks, from its seed rule for each sample position
        double[][] keep = null;
        if (dropout > 0.0)
        {
            keep = new double[samples.length][spec.hidden()];
            final float[] mask = new float[spec.hidden()];
            int dropped = 0;
            for (int s = 0; s < samples.length; s++)
            {
                ShardKernel.dropoutMask(ShardKernel.dropoutSeed(voltageSeed, s), dropout, mask);
                for (int j = 0; j < mask.length; j++)
                {
                    keep[s][j] = mask[j];
                    dropped += mask[j] == 0.0f ? 1 : 0;
                }
            }
            assertTrue(dropped > 0 && dropped < samples.length * spec.hidden(), "dropout mask all kept or all dropped: " + dropped);
        }
        final double loss = ref.loss(p, residual, activityPenalty, keep, g);

        double maxG = 0.0;
        for (final double v : g)
        {
            maxG = Math.max(maxG, Math.abs(v));
        }
        final double h = 1e-6;
        for (int i = 0; i < p.length; i++)
        {
            final double saved = p[i];
            p[i] = saved + h;
            final double up = ref.loss(p, residual, activityPenalty, keep, null);
            p[i] = saved - h;
            final double down = ref.loss(p, residual, activityPenalty, keep, null);
            p[i] = saved;
            final double fd = (up - down) / (2 * h);
            assertEquals(fd, g[i], 1e-6 * maxG + 1e-9, "parameter " + i);
        }

        final ShardKernel kernel = new ShardKernel(spec, samples.length);
        kernel.activityPenalty(activityPenalty);
        kernel.dropout(dropout);
        final float[] kg = new float[pf.length];
        final double[] result = new double[2];
        kernel.run(pf, data, samples, 0, samples.length, dt, memoryDt, voltageSeed, 0, kg, 1.0f / samples.length, null, result);
        assertEquals(loss, result[0] / samples.length, 1e-5 * (1 + loss));
        int nonZero = 0;
        for (int i = 0; i < kg.length; i++)
        {
            assertEquals(g[i], kg[i], 2e-4 * maxG, "kernel gradient " + i);
            nonZero += g[i] != 0.0 ? 1 : 0;
        }
        assertTrue(nonZero > kg.length / 2, "gradient mostly zero: the check would be vacuous");
        if (activityPenalty > 0.0)
        {
            // the penalty really moves the hidden kernel's gradient (else the test would not see a wrong sign or scale)
            final double[] without = new double[p.length];
            ref.loss(p, residual, 0.0, keep, without);
            double diff = 0.0;
            for (int i = 0; i < params.readoutKernel(); i++)
            {
                diff = Math.max(diff, Math.abs(without[i] - g[i]));
            }
            assertTrue(diff > 1e-3 * maxG, "the activity penalty does not change the gradient: " + diff);
        }
        if (memoryDt > 0.0)
        {
            // the quantized features really differ from the plain ones (else the memory placement is untested)
            final ReferenceLmu plain = new ReferenceLmu(spec, data, samples);
            double diff = 0.0;
            for (int r = 0; r < samples.length * spec.window(); r++)
            {
                for (int i = 0; i < spec.order(); i++)
                {
                    diff = Math.max(diff, Math.abs(plain.memory(r, i) - ref.memory(r, i)));
                    assertEquals(0.0, Math.IEEEremainder(ref.memory(r, i) * memoryDt, 1.0), 1e-12, "x̂ must be a count / dt_m");
                }
            }
            assertTrue(diff > 0.1, "quantized memory equals the plain memory: " + diff);
        }
    }
}
