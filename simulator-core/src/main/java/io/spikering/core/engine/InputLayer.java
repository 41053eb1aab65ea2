package io.spikering.core.engine;

import java.nio.ByteBuffer;
import java.util.Arrays;

/** Emits the values last given to {@link #set(double[])} (they persist until set again or reset). */
final class InputLayer extends Layer
{
    private final double[] values;

    InputLayer(final Population spec)
    {
        super(spec, 0);
        values = new double[spec.outputSize];
    }

    void set(final double[] newValues)
    {
        if (newValues == null || newValues.length != values.length)
        {
            throw new IllegalArgumentException("setInput for " + spec + ": expected " + values.length +
                " values, got " + (newValues == null ? "null" : newValues.length));
        }
        for (int i = 0; i < newValues.length; i++)
        {
            if (!Double.isFinite(newValues[i]))
            {
                throw new IllegalArgumentException("setInput for " + spec + ": value[" + i + "] is " + newValues[i] +
                    "; inputs must be finite");
            }
        }
        System.arraycopy(newValues, 0, values, 0, values.length);
    }

    @Override
    void update(final long step)
    {
        System.arraycopy(values, 0, output, 0, values.length);
        compactOutput();
    }

    @Override
    int stateBytes()
    {
        return super.stateBytes() + 8 * values.length;
    }

    @Override
    void save(final ByteBuffer out)
    {
        super.save(out);
        putAll(out, values);
    }

    @Override
    void restore(final ByteBuffer in)
    {
        super.restore(in);
        getAll(in, values);
    }

    @Override
    void reset(final boolean useSeed, final long seed)
    {
        super.reset(useSeed, seed);
        Arrays.fill(values, 0.0);
    }
}
