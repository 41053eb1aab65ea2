package io.spikering.core.engine;

import io.spikering.neuron.Activation;

import java.util.Arrays;

/** Non-spiking neurons: output = f(input + bias). */
final class RateLayer extends Layer
{
    private final Activation activation;

    RateLayer(final Population spec, final int maxIncomingDelay)
    {
        super(spec, maxIncomingDelay);
        activation = spec.activation;
    }

    @Override
    void update(final long step)
    {
        final double[] x = input(step);
        final double[] out = output;
        final Activation f = activation;
        for (int i = 0; i < out.length; i++)
        {
            out[i] = f.apply(x[i]);
        }
        Arrays.fill(x, 0.0);
        compactOutput();
    }
}
