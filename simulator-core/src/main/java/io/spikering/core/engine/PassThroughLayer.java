package io.spikering.core.engine;

import java.util.Arrays;

/** Output = this step's summed input (plus bias), dense; no state, no neuron updates counted. */
final class PassThroughLayer extends Layer
{
    PassThroughLayer(final Population spec, final int maxIncomingDelay)
    {
        super(spec, maxIncomingDelay);
    }

    @Override
    void update(final long step)
    {
        final double[] x = input(step);
        System.arraycopy(x, 0, output, 0, x.length);
        Arrays.fill(x, 0.0);
        compactOutput();
    }

    @Override
    long neuronUpdates()
    {
        return 0;
    }
}
