package io.spikering.core.engine;

import io.spikering.neuron.SigmaDeltaQuantizer;

import java.nio.ByteBuffer;
import java.util.Arrays;

/** Sigma-delta quantized neurons: counts = Q(f(input + bias)), events valued count * amplitude / dt. */
final class SigmaDeltaLayer extends Layer
{
    final SigmaDeltaQuantizer quantizer;

    SigmaDeltaLayer(final Population spec, final int maxIncomingDelay)
    {
        super(spec, maxIncomingDelay);
        final Quantization q = spec.quantization;
        quantizer = new SigmaDeltaQuantizer(spec.outputSize, q.activation(), q.dt(), q.amplitude(), q.seed());
    }

    @Override
    void update(final long step)
    {
        final double[] x = input(step);
        quantizer.step(x, counts);
        Arrays.fill(x, 0.0);
        compactCounts(quantizer.outputScale());
    }

    @Override
    int stateBytes()
    {
        return super.stateBytes() + quantizerBytes(quantizer);
    }

    @Override
    void save(final ByteBuffer out)
    {
        super.save(out);
        saveQuantizer(out, quantizer);
    }

    @Override
    void restore(final ByteBuffer in)
    {
        super.restore(in);
        restoreQuantizer(in, quantizer);
    }

    @Override
    void reset(final boolean useSeed, final long seed)
    {
        super.reset(useSeed, seed);
        quantizer.initVoltages(useSeed ? mix(seed, spec.id) : spec.quantization.seed());
    }
}
