package io.spikering.core.record;

import io.spikering.core.engine.Network;

import java.util.ArrayList;
import java.util.List;

/**
 * What a spike recording holds: the time step, a free-text model name and run description, and the
 * recorded populations in the order of their indices (the {@code population} field of each excerpt).
 *
 * @param dtMs        simulation time step in milliseconds (step k is at time k·dtMs).
 * @param model       short model name, e.g. {@code "cuba"}.
 * @param description free text: seed, parameters, command line, anything a reader needs to know.
 * @param populations population names and sizes; index i in this list is population id i.
 */
public record RecordingInfo(double dtMs, String model, String description, List<Population> populations)
{
    /** One recorded population: its name and its number of neurons. */
    public record Population(String name, int size)
    {
        public Population
        {
            if (name == null || name.isBlank())
            {
                throw new IllegalArgumentException("population name must be non-empty");
            }
            if (size <= 0)
            {
                throw new IllegalArgumentException("population '" + name + "': size must be >= 1, got " + size);
            }
        }
    }

    public RecordingInfo
    {
        if (!(dtMs > 0.0) || !Double.isFinite(dtMs))
        {
            throw new IllegalArgumentException("recording dtMs must be a finite number > 0, got " + dtMs);
        }
        if (populations == null || populations.isEmpty())
        {
            throw new IllegalArgumentException("recording needs at least one population");
        }
        model = model == null ? "" : model;
        description = description == null ? "" : description;
        populations = List.copyOf(populations);
        for (int i = 0; i < populations.size(); i++)
        {
            for (int j = 0; j < i; j++)
            {
                if (populations.get(i).name().equals(populations.get(j).name()))
                {
                    throw new IllegalArgumentException("population name '" + populations.get(i).name() +
                        "' is used twice (indices " + j + " and " + i + "); names must be unique");
                }
            }
        }
    }

    /**
     * Every population of {@code network} (name, output size), so that recording indices are the network's
     * population ids; non-spiking populations are listed but never receive events.
     */
    public static RecordingInfo of(final Network network, final double dtMs, final String model, final String description)
    {
        final List<Population> populations = new ArrayList<>();
        for (int p = 0; p < network.populationCount(); p++)
        {
            populations.add(new Population(network.population(p).name(), network.population(p).outputSize()));
        }
        return new RecordingInfo(dtMs, model, description, populations);
    }

    /** Index of the population called {@code name}; an exception listing the known names otherwise. */
    public int populationIndex(final String name)
    {
        for (int i = 0; i < populations.size(); i++)
        {
            if (populations.get(i).name().equals(name))
            {
                return i;
            }
        }
        throw new IllegalArgumentException("no population named '" + name + "' in the recording; known: " +
            populations.stream().map(Population::name).toList());
    }

    /** Total number of neurons over all populations. */
    public long totalNeurons()
    {
        long total = 0;
        for (final Population p : populations)
        {
            total += p.size();
        }
        return total;
    }
}
