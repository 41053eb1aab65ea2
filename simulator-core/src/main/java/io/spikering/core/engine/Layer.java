package io.spikering.core.engine;

import io.spikering.neuron.SigmaDeltaQuantizer;

import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * Runtime state of one population: its input rings, its outputs of the last step (dense, and compacted to the
 * non-zero units that projections deliver), and the update rule in {@link #update(long)}.
 */
abstract class Layer
{
    final Population spec;
    final DelayRing[] rings;
    final double[] output;
    final int[] counts;
    final int[] eventNeurons;
    final int[] eventCounts;
    final double[] eventValues;
    int eventCount;
    boolean silent;
    /** The SIGMA port's ring and running total (null without SIGMA projections). */
    final DelayRing sigmaRing;
    final double[] sigma;

    Layer(final Population spec, final int maxIncomingDelay)
    {
        this.spec = spec;
        rings = new DelayRing[spec.portCount()];
        for (int p = 0; p < rings.length; p++)
        {
            rings[p] = new DelayRing(spec.inputSize, maxIncomingDelay);
        }
        sigmaRing = spec.sigmaInput ? new DelayRing(spec.inputSize, maxIncomingDelay) : null;
        sigma = spec.sigmaInput ? new double[spec.inputSize] : null;
        final int n = spec.outputSize;
        output = new double[n];
        counts = spec.isSpiking() ? new int[n] : null;
        eventNeurons = new int[n];
        eventCounts = spec.isSpiking() ? new int[n] : null;
        eventValues = new double[n];
    }

    /** Reads and clears this step's input slots, updates the state and fills output and the event arrays. */
    abstract void update(long step);

    /** Restores the initial state; quantizer voltages from the configured seed, or from {@code seed} if asked. */
    void reset(final boolean useSeed, final long seed)
    {
        for (final DelayRing ring : rings)
        {
            ring.clear();
        }
        if (sigmaRing != null)
        {
            sigmaRing.clear();
            Arrays.fill(sigma, 0.0);
        }
        Arrays.fill(output, 0.0);
        if (counts != null)
        {
            Arrays.fill(counts, 0);
        }
        eventCount = 0;
        silent = true;
    }

    /** Bytes {@link #save} writes: rings, outputs and events, then the model state of the subclass. */
    int stateBytes()
    {
        long bytes = 4;
        for (final DelayRing ring : rings)
        {
            bytes += 8L * ring.slots.length * spec.inputSize;
        }
        if (sigmaRing != null)
        {
            bytes += 8L * (sigmaRing.slots.length + 1) * spec.inputSize;
        }
        bytes += 8L * output.length + 4L * output.length + 8L * output.length;
        if (counts != null)
        {
            bytes += 4L * output.length * 2;
        }
        return Math.toIntExact(bytes);
    }

    void save(final ByteBuffer out)
    {
        for (final DelayRing ring : rings)
        {
            for (final double[] slot : ring.slots)
            {
                putAll(out, slot);
            }
        }
        if (sigmaRing != null)
        {
            for (final double[] slot : sigmaRing.slots)
            {
                putAll(out, slot);
            }
            putAll(out, sigma);
        }
        putAll(out, output);
        out.putInt(eventCount);
        putAll(out, eventNeurons);
        putAll(out, eventValues);
        if (counts != null)
        {
            putAll(out, counts);
            putAll(out, eventCounts);
        }
    }

    void restore(final ByteBuffer in)
    {
        for (final DelayRing ring : rings)
        {
            for (final double[] slot : ring.slots)
            {
                getAll(in, slot);
            }
        }
        if (sigmaRing != null)
        {
            for (final double[] slot : sigmaRing.slots)
            {
                getAll(in, slot);
            }
            getAll(in, sigma);
        }
        getAll(in, output);
        eventCount = in.getInt();
        if (eventCount < 0 || eventCount > output.length)
        {
            throw new IllegalArgumentException("state for " + spec + " is corrupt: event count " + eventCount);
        }
        getAll(in, eventNeurons);
        getAll(in, eventValues);
        if (counts != null)
        {
            getAll(in, counts);
            getAll(in, eventCounts);
        }
        silent = false; // the next silent step clears whatever was restored
    }

    // Long arrays: bulk copies through a view (same bytes as element-wise puts in the buffer's order): snapshots are
    // rare, so this code often runs interpreted, where an element loop over a 100 KB state takes ~1 ms and a bulk copy
    // ~20 µs. Short arrays: element loops, which allocate no view; a keyed job (flink/) saves and restores a key's
    // state around every step, so there the loops are compiled and a small model's state costs no garbage.
    private static final int VIEW_MIN = 512;

    static void putAll(final ByteBuffer out, final double[] values)
    {
        final int p = out.position();
        if (values.length >= VIEW_MIN)
        {
            out.asDoubleBuffer().put(values);
        }
        else
        {
            for (int i = 0; i < values.length; i++)
            {
                out.putDouble(p + Double.BYTES * i, values[i]);
            }
        }
        out.position(p + Double.BYTES * values.length);
    }

    static void putAll(final ByteBuffer out, final int[] values)
    {
        final int p = out.position();
        if (values.length >= VIEW_MIN)
        {
            out.asIntBuffer().put(values);
        }
        else
        {
            for (int i = 0; i < values.length; i++)
            {
                out.putInt(p + Integer.BYTES * i, values[i]);
            }
        }
        out.position(p + Integer.BYTES * values.length);
    }

    static void getAll(final ByteBuffer in, final double[] values)
    {
        final int p = in.position();
        if (values.length >= VIEW_MIN)
        {
            in.asDoubleBuffer().get(values);
        }
        else
        {
            for (int i = 0; i < values.length; i++)
            {
                values[i] = in.getDouble(p + Double.BYTES * i);
            }
        }
        in.position(p + Double.BYTES * values.length);
    }

    static void getAll(final ByteBuffer in, final int[] values)
    {
        final int p = in.position();
        if (values.length >= VIEW_MIN)
        {
            in.asIntBuffer().get(values);
        }
        else
        {
            for (int i = 0; i < values.length; i++)
            {
                values[i] = in.getInt(p + Integer.BYTES * i);
            }
        }
        in.position(p + Integer.BYTES * values.length);
    }

    /** Quantizer voltages, dt and amplitude (dt and amplitude may have been changed through the live quantizer). */
    static int quantizerBytes(final SigmaDeltaQuantizer q)
    {
        return 8 * q.size() + 16;
    }

    static void saveQuantizer(final ByteBuffer out, final SigmaDeltaQuantizer q)
    {
        putAll(out, q.voltages());
        out.putDouble(q.dt());
        out.putDouble(q.amplitude());
    }

    static void restoreQuantizer(final ByteBuffer in, final SigmaDeltaQuantizer q)
    {
        // into the live array, checked as setVoltages checks, allocating nothing: a keyed job (flink/) restores a key's
        // state before every step
        final double[] v = q.voltages();
        final int p = in.position();
        for (int i = 0; i < v.length; i++)
        {
            final double x = in.getDouble(p + Double.BYTES * i);
            if (!(x >= 0.0 && x < 1.0))
            {
                throw new IllegalArgumentException("quantizer voltage v[" + i + "] must be in [0, 1), got " + x);
            }
            v[i] = x;
        }
        in.position(p + Double.BYTES * v.length);
        q.setDt(in.getDouble());
        q.setAmplitude(in.getDouble());
    }

    /** Own multiply-accumulates per step (state-space matrices), effective and dense. */
    long ownMacs()
    {
        return 0;
    }

    long ownDenseMacs()
    {
        return 0;
    }

    /** Neuron (or state) updates done this step; every output unit by default. */
    long neuronUpdates()
    {
        return spec.outputSize;
    }

    /** Called instead of {@link #update(long)} at steps outside the population's active window: no output. */
    final void silence()
    {
        if (!silent)
        {
            Arrays.fill(output, 0.0);
            if (counts != null)
            {
                Arrays.fill(counts, 0);
            }
            eventCount = 0;
            silent = true;
        }
    }

    /**
     * The excitatory slot of this step with the bias, then the SIGMA port's running total (after adding this step's
     * SIGMA slot to it), added in place (the caller clears it after use).
     */
    final double[] input(final long step)
    {
        final double[] x = rings[0].slot(step);
        final float[] bias = spec.bias;
        if (bias != null)
        {
            for (int j = 0; j < x.length; j++)
            {
                x[j] += bias[j];
            }
        }
        if (sigmaRing != null)
        {
            final double[] arrived = sigmaRing.slot(step);
            final double[] total = sigma;
            for (int j = 0; j < x.length; j++)
            {
                total[j] += arrived[j];
                arrived[j] = 0.0;
                x[j] += total[j];
            }
        }
        return x;
    }

    /** Events are the non-zero entries of the dense output. */
    final void compactOutput()
    {
        final double[] out = output;
        final int[] neurons = eventNeurons;
        final double[] values = eventValues;
        int n = 0;
        for (int i = 0; i < out.length; i++)
        {
            final double v = out[i];
            if (v != 0.0)
            {
                neurons[n] = i;
                values[n] = v;
                n++;
            }
        }
        eventCount = n;
    }

    /** Events are the non-zero counts; output and event values are count * scale. */
    final void compactCounts(final double scale)
    {
        final int[] c = counts;
        final double[] out = output;
        final int[] neurons = eventNeurons;
        final int[] eventC = eventCounts;
        final double[] values = eventValues;
        int n = 0;
        for (int i = 0; i < c.length; i++)
        {
            final int count = c[i];
            if (count != 0)
            {
                final double v = count * scale;
                out[i] = v;
                neurons[n] = i;
                eventC[n] = count;
                values[n] = v;
                n++;
            }
            else
            {
                out[i] = 0.0;
            }
        }
        eventCount = n;
    }

    /** A seed per population derived from a per-sample seed (SplitMix64 finaliser of seed and population id). */
    static long mix(final long seed, final int population)
    {
        long z = seed + 0x9E3779B97F4A7C15L * (population + 1L);
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
