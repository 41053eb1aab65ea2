package io.spikering.core.engine;

import java.nio.ByteBuffer;
import java.util.Arrays;

/** Integrating linear readout: sum += input each active step; output = scale * sum + output bias. */
final class IntegratorLayer extends Layer
{
    private final double scale;
    private final float[] outputBias;
    private final double[] sum;

    IntegratorLayer(final Population spec, final int maxIncomingDelay)
    {
        super(spec, maxIncomingDelay);
        scale = spec.integratorScale;
        outputBias = spec.outputBias;
        sum = new double[spec.outputSize];
    }

    @Override
    void update(final long step)
    {
        final double[] x = input(step);
        final double[] s = sum;
        final double[] out = output;
        for (int i = 0; i < s.length; i++)
        {
            s[i] += x[i];
            out[i] = outputBias == null ? scale * s[i] : scale * s[i] + outputBias[i];
        }
        Arrays.fill(x, 0.0);
        compactOutput();
    }

    @Override
    int stateBytes()
    {
        return super.stateBytes() + 8 * sum.length;
    }

    @Override
    void save(final ByteBuffer out)
    {
        super.save(out);
        putAll(out, sum);
    }

    @Override
    void restore(final ByteBuffer in)
    {
        super.restore(in);
        getAll(in, sum);
    }

    @Override
    void reset(final boolean useSeed, final long seed)
    {
        super.reset(useSeed, seed);
        Arrays.fill(sum, 0.0);
    }
}
