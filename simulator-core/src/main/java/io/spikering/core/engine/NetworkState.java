package io.spikering.core.engine;

import io.spikering.neuron.CubaLif;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;

/**
 * Saves and restores the complete dynamic state of a {@link Simulator} between steps: step index, every
 * population's input rings (pending delayed inputs), outputs and events of the last step, input values, state-space
 * memories, sigma-delta quantizer voltages and LIF membranes, synaptic currents and refractory counters.
 * Restoring into a simulator of the same network and stepping on gives bit-identical results to never having
 * stopped. Op counts are not part of the state.
 */
public final class NetworkState
{
    private static final int MAGIC = 0x4e535431; // "NST1"

    private NetworkState()
    {
    }

    public static void write(final Simulator sim, final DataOutput out) throws IOException
    {
        final Layer[] layers = sim.layers();
        out.writeInt(MAGIC);
        out.writeLong(sim.currentStep());
        out.writeInt(layers.length);
        for (final Layer layer : layers)
        {
            out.writeInt(layer.spec.kind.ordinal());
            out.writeInt(layer.rings.length);
            for (final DelayRing ring : layer.rings)
            {
                out.writeInt(ring.slots.length);
                for (final double[] slot : ring.slots)
                {
                    doubles(out, slot);
                }
            }
            doubles(out, layer.output);
            if (layer.counts != null)
            {
                ints(out, layer.counts);
            }
            out.writeInt(layer.eventCount);
            for (int k = 0; k < layer.eventCount; k++)
            {
                out.writeInt(layer.eventNeurons[k]);
                out.writeDouble(layer.eventValues[k]);
                if (layer.eventCounts != null)
                {
                    out.writeInt(layer.eventCounts[k]);
                }
            }
            if (layer instanceof InputLayer input)
            {
                doubles(out, input.values);
            }
            else if (layer instanceof SigmaDeltaLayer s)
            {
                doubles(out, s.quantizer.voltages());
            }
            else if (layer instanceof StateSpaceLayer s)
            {
                doubles(out, s.memory);
                if (s.quantizer != null)
                {
                    doubles(out, s.quantizer.voltages());
                }
            }
            else if (layer instanceof LifLayer l)
            {
                doubles(out, l.lif.membrane());
                doubles(out, l.lif.excitatoryCurrent());
                doubles(out, l.lif.inhibitoryCurrent());
                ints(out, l.lif.refractoryCounters());
            }
        }
    }

    /** Restores a state written by {@link #write} for the same network; a mismatch is an IOException naming it. */
    public static void read(final Simulator sim, final DataInput in) throws IOException
    {
        final Layer[] layers = sim.layers();
        if (in.readInt() != MAGIC)
        {
            throw new IOException("network state: bad magic (not a spikering network state)");
        }
        final long step = in.readLong();
        final int count = in.readInt();
        if (count != layers.length)
        {
            throw new IOException("network state has " + count + " populations, the network has " + layers.length);
        }
        for (final Layer layer : layers)
        {
            final int kind = in.readInt();
            if (kind != layer.spec.kind.ordinal())
            {
                throw new IOException("network state: population " + layer.spec + " has kind " + layer.spec.kind +
                    ", the state was saved from a different network");
            }
            expect(in.readInt(), layer.rings.length, layer, "ports");
            for (final DelayRing ring : layer.rings)
            {
                expect(in.readInt(), ring.slots.length, layer, "ring slots");
                for (final double[] slot : ring.slots)
                {
                    readDoubles(in, slot, layer, "ring slot");
                }
            }
            readDoubles(in, layer.output, layer, "outputs");
            if (layer.counts != null)
            {
                readInts(in, layer.counts, layer, "counts");
            }
            final int events = in.readInt();
            if (events < 0 || events > layer.eventNeurons.length)
            {
                throw new IOException("network state: population " + layer.spec + " has " + events + " events, at most " +
                    layer.eventNeurons.length);
            }
            layer.eventCount = events;
            for (int k = 0; k < events; k++)
            {
                layer.eventNeurons[k] = in.readInt();
                layer.eventValues[k] = in.readDouble();
                if (layer.eventCounts != null)
                {
                    layer.eventCounts[k] = in.readInt();
                }
            }
            if (layer instanceof InputLayer input)
            {
                readDoubles(in, input.values, layer, "input values");
            }
            else if (layer instanceof SigmaDeltaLayer s)
            {
                readVoltages(in, s.quantizer, layer);
            }
            else if (layer instanceof StateSpaceLayer s)
            {
                readDoubles(in, s.memory, layer, "memory");
                if (s.quantizer != null)
                {
                    readVoltages(in, s.quantizer, layer);
                }
            }
            else if (layer instanceof LifLayer l)
            {
                final CubaLif lif = l.lif;
                readDoubles(in, lif.membrane(), layer, "membrane");
                readDoubles(in, lif.excitatoryCurrent(), layer, "excitatory current");
                readDoubles(in, lif.inhibitoryCurrent(), layer, "inhibitory current");
                readInts(in, lif.refractoryCounters(), layer, "refractory counters");
            }
        }
        sim.restoreStep(step);
    }

    private static void readVoltages(final DataInput in, final io.spikering.neuron.SigmaDeltaQuantizer q, final Layer layer)
        throws IOException
    {
        final double[] v = new double[q.size()];
        readDoubles(in, v, layer, "quantizer voltages");
        q.setVoltages(v);
    }

    private static void expect(final int got, final int expected, final Layer layer, final String what) throws IOException
    {
        if (got != expected)
        {
            throw new IOException("network state: population " + layer.spec + " has " + got + " " + what + ", the network has " + expected);
        }
    }

    private static void doubles(final DataOutput out, final double[] a) throws IOException
    {
        out.writeInt(a.length);
        for (final double v : a)
        {
            out.writeDouble(v);
        }
    }

    private static void ints(final DataOutput out, final int[] a) throws IOException
    {
        out.writeInt(a.length);
        for (final int v : a)
        {
            out.writeInt(v);
        }
    }

    private static void readDoubles(final DataInput in, final double[] into, final Layer layer, final String what) throws IOException
    {
        expect(in.readInt(), into.length, layer, what + " values");
        for (int i = 0; i < into.length; i++)
        {
            into[i] = in.readDouble();
        }
    }

    private static void readInts(final DataInput in, final int[] into, final Layer layer, final String what) throws IOException
    {
        expect(in.readInt(), into.length, layer, what + " values");
        for (int i = 0; i < into.length; i++)
        {
            into[i] = in.readInt();
        }
    }
}
