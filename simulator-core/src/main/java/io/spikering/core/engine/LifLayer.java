package io.spikering.core.engine;

import io.spikering.neuron.CubaLif;

import java.nio.ByteBuffer;

/** Current-based LIF neurons: excitatory and inhibitory input ports, unit spikes. */
final class LifLayer extends Layer
{
    CubaLif lif;
    private final int[] spikes;

    LifLayer(final Population spec, final int maxIncomingDelay)
    {
        super(spec, maxIncomingDelay);
        spikes = new int[spec.outputSize];
        lif = create();
    }

    private CubaLif create()
    {
        final LifSpec s = spec.lif;
        final CubaLif created = new CubaLif(spec.outputSize, s.parameters(), s.dtMs());
        if (s.initialMembraneMv() != null)
        {
            for (int i = 0; i < s.initialMembraneMv().length; i++)
            {
                created.setMembrane(i, s.initialMembraneMv()[i]);
            }
        }
        return created;
    }

    @Override
    void update(final long step)
    {
        final double[] ex = input(step);
        final double[] in = rings[1].slot(step);
        final int[] previous = eventNeurons;
        for (int k = 0; k < eventCount; k++)
        {
            counts[previous[k]] = 0;
            output[previous[k]] = 0.0;
        }
        final int n = lif.stepAndClear(ex, in, spikes); // spike indices ascending; the slots are zeroed for reuse
        for (int k = 0; k < n; k++)
        {
            final int i = spikes[k];
            counts[i] = 1;
            output[i] = 1.0;
            eventNeurons[k] = i;
            eventCounts[k] = 1;
            eventValues[k] = 1.0;
        }
        eventCount = n;
    }

    @Override
    int stateBytes()
    {
        return super.stateBytes() + (8 * 3 + 4) * spec.outputSize;
    }

    @Override
    void save(final ByteBuffer out)
    {
        super.save(out);
        putAll(out, lif.membrane());
        putAll(out, lif.excitatoryCurrent());
        putAll(out, lif.inhibitoryCurrent());
        putAll(out, lif.refractoryCounters());
    }

    @Override
    void restore(final ByteBuffer in)
    {
        super.restore(in);
        getAll(in, lif.membrane());
        getAll(in, lif.excitatoryCurrent());
        getAll(in, lif.inhibitoryCurrent());
        for (int i = 0; i < spec.outputSize; i++)
        {
            // through the setter: CubaLif keeps its own list of refractory neurons
            lif.setRefractory(i, in.getInt());
        }
    }

    @Override
    void reset(final boolean useSeed, final long seed)
    {
        super.reset(useSeed, seed);
        lif = create();
    }
}
