package io.spikering.interop.nir;

import io.spikering.core.engine.Network;
import io.spikering.core.engine.NeuronDynamics;
import io.spikering.core.engine.PopulationKind;
import io.spikering.core.engine.Simulator;
import io.spikering.interop.numpy.NumpyWriter;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Per-step state traces of every neuron node, as the NIR paper compares simulators: voltage (after the step's reset),
 * synaptic current (CubaLI, CubaLIF) and spikes (0/1), each [samples, steps, neurons] float32, written as
 * {@code <node>.voltage.npy}, {@code <node>.current.npy} and {@code <node>.spikes.npy}. Workers record disjoint
 * samples, so {@link #record} may be called from several threads.
 */
public final class NirStateRecorder
{
    /** Most float values all traces together may hold (2^28, 1 GiB); checked before allocating. */
    public static final long MAX_VALUES = 1L << 28;

    private final List<String> names = new ArrayList<>();
    private final List<Integer> ids = new ArrayList<>();
    private final List<float[]> voltage = new ArrayList<>();
    private final List<float[]> current = new ArrayList<>();
    private final List<float[]> spikes = new ArrayList<>();
    private final int samples;
    private final int steps;

    /** Traces of {@code samples} samples of {@code steps} steps; IllegalArgumentException if they would exceed {@link #MAX_VALUES} or half the heap. */
    public NirStateRecorder(final NirNetwork net, final int samples, final int steps)
    {
        this.samples = samples;
        this.steps = steps;
        final Network network = net.network();
        long total = 0;
        for (final var e : net.populations().entrySet())
        {
            final int id = e.getValue();
            if (network.population(id).kind() != PopulationKind.NEURON || ids.contains(id))
            {
                continue;
            }
            final NeuronDynamics d = network.population(id).dynamics();
            final long n = (long)samples * steps * d.size();
            total += n * ((d.model() != NeuronDynamics.Model.THRESHOLD ? 1 : 0) + (d.model().hasCurrent() ? 1 : 0) +
                (d.model().isSpiking() ? 1 : 0));
            final long limit = Math.min(MAX_VALUES, Runtime.getRuntime().maxMemory() / 2 / Float.BYTES);
            if (total > limit)
            {
                throw new IllegalArgumentException("--record-states: " + samples + " samples x " + steps + " steps of every neuron node need more " +
                    "than " + limit + " float values (half the heap at most); record fewer samples (--samples)");
            }
            names.add(e.getKey());
            ids.add(id);
        }
        for (final int id : ids)
        {
            final NeuronDynamics d = network.population(id).dynamics();
            final int n = samples * steps * d.size();
            voltage.add(d.model() != NeuronDynamics.Model.THRESHOLD ? new float[n] : null);
            current.add(d.model().hasCurrent() ? new float[n] : null);
            spikes.add(d.model().isSpiking() ? new float[n] : null);
        }
    }

    /** Records step {@code step} of sample {@code sample} (after {@link Simulator#step()}). */
    public void record(final Simulator sim, final int sample, final int step)
    {
        for (int k = 0; k < ids.size(); k++)
        {
            final int id = ids.get(k);
            final float[] v = voltage.get(k);
            final float[] c = current.get(k);
            final float[] s = spikes.get(k);
            final int n = sim.network().population(id).outputSize();
            final int at = (sample * steps + step) * n;
            if (v != null)
            {
                final double[] x = sim.voltage(id);
                for (int i = 0; i < n; i++)
                {
                    v[at + i] = (float)x[i];
                }
            }
            if (c != null)
            {
                final double[] x = sim.current(id);
                for (int i = 0; i < n; i++)
                {
                    c[at + i] = (float)x[i];
                }
            }
            if (s != null)
            {
                final int[] idx = sim.eventNeurons(id);
                for (int e = sim.eventCount(id) - 1; e >= 0; e--)
                {
                    s[at + idx[e]] = 1.0f;
                }
            }
        }
    }

    /** Writes the .npy files into {@code dir} (created); returns the paths written. */
    public List<Path> write(final Path dir) throws IOException
    {
        Files.createDirectories(dir);
        final List<Path> written = new ArrayList<>();
        for (int k = 0; k < ids.size(); k++)
        {
            final String base = names.get(k).replaceAll("[^A-Za-z0-9._-]", "_");
            final int n = voltage.get(k) != null ? voltage.get(k).length / (samples * steps) :
                spikes.get(k).length / (samples * steps);
            final int[] shape = {samples, steps, n};
            write(dir.resolve(base + ".voltage.npy"), voltage.get(k), shape, written);
            write(dir.resolve(base + ".current.npy"), current.get(k), shape, written);
            write(dir.resolve(base + ".spikes.npy"), spikes.get(k), shape, written);
        }
        return written;
    }

    private static void write(final Path file, final float[] data, final int[] shape, final List<Path> written) throws IOException
    {
        if (data != null)
        {
            NumpyWriter.write(file, data, shape);
            written.add(file);
        }
    }

    /** Voltage trace of node {@code name} ([samples][steps][neurons] flattened), or null. */
    public float[] voltage(final String name)
    {
        final int k = names.indexOf(name);
        return k < 0 ? null : voltage.get(k);
    }

    /** Spike trace of node {@code name}, or null. */
    public float[] spikes(final String name)
    {
        final int k = names.indexOf(name);
        return k < 0 ? null : spikes.get(k);
    }
}
