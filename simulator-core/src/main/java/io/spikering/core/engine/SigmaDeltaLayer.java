package io.spikering.core.engine;

import io.spikering.neuron.DeltaQuantizer;
import io.spikering.neuron.SigmaDeltaQuantizer;

import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * Count-quantized neurons: counts = Q(f(input + bias)), events valued count * amplitude / dt, with the paper's
 * sigma-delta rule or, for {@link Quantization.Encoder#DELTA}, Loihi 2's delta encoder (whose receivers integrate).
 */
final class SigmaDeltaLayer extends Layer
{
    /** The paper's rule (null when delta-encoded). */
    final SigmaDeltaQuantizer quantizer;
    /** Loihi 2's delta encoder (null for the paper's rule). */
    final DeltaQuantizer delta;

    SigmaDeltaLayer(final Population spec, final int maxIncomingDelay)
    {
        super(spec, maxIncomingDelay);
        final Quantization q = spec.quantization;
        if (q.isDelta())
        {
            quantizer = null;
            delta = new DeltaQuantizer(spec.outputSize, q.activation(), q.dt(), q.amplitude(), q.threshold());
        }
        else
        {
            quantizer = new SigmaDeltaQuantizer(spec.outputSize, q.activation(), q.dt(), q.amplitude(), q.seed());
            delta = null;
        }
    }

    @Override
    void update(final long step)
    {
        final double[] x = input(step);
        if (delta != null)
        {
            delta.step(x, counts);
            Arrays.fill(x, 0.0);
            compactCounts(delta.outputScale());
        }
        else
        {
            quantizer.step(x, counts);
            Arrays.fill(x, 0.0);
            compactCounts(quantizer.outputScale());
        }
    }

    @Override
    int stateBytes()
    {
        return super.stateBytes() + (delta != null ? 8 * delta.size() + 24 : quantizerBytes(quantizer));
    }

    @Override
    void save(final ByteBuffer out)
    {
        super.save(out);
        if (delta != null)
        {
            putAll(out, delta.held());
            out.putDouble(delta.dt());
            out.putDouble(delta.amplitude());
            out.putDouble(delta.threshold());
        }
        else
        {
            saveQuantizer(out, quantizer);
        }
    }

    @Override
    void restore(final ByteBuffer in)
    {
        super.restore(in);
        if (delta != null)
        {
            final double[] held = new double[delta.size()];
            getAll(in, held);
            delta.setHeld(held);
            delta.setDt(in.getDouble());
            delta.setAmplitude(in.getDouble());
            delta.setThreshold(in.getDouble());
        }
        else
        {
            restoreQuantizer(in, quantizer);
        }
    }

    @Override
    void reset(final boolean useSeed, final long seed)
    {
        super.reset(useSeed, seed);
        if (delta != null)
        {
            delta.reset();
        }
        else
        {
            quantizer.initVoltages(useSeed ? mix(seed, spec.id) : spec.quantization.seed());
        }
    }
}
