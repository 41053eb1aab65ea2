package io.spikering.interop.nir;

import io.spikering.core.engine.Network;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A NIR graph compiled for the engine ({@link NirCompiler}): the network, the options it was built with, which
 * population each NIR node became, and the Input and Output populations.
 *
 * @param network     the engine network
 * @param options     the run semantics it was built with
 * @param source      where the graph came from (file name, for messages)
 * @param populations NIR node name to population id, file order: Input, neuron, Delay and Output nodes, and linear
 *                    nodes that got a pass-through population; an Output fed straight by one node shares its population
 * @param input       the Input population
 * @param inputShape  the Input node's shape (the data one step feeds in)
 * @param output      the population feeding the (first) Output node
 * @param outputNode  the name of that Output node
 * @param cycleEdges  connections given one step because they close a cycle, as "source -> target" node names
 */
public record NirNetwork(Network network, NirRunOptions options, String source, Map<String, Integer> populations, int input,
                         int[] inputShape, int output, String outputNode, List<String> cycleEdges)
{
    public NirNetwork
    {
        populations = Collections.unmodifiableMap(new LinkedHashMap<>(populations));
        inputShape = inputShape.clone();
        cycleEdges = List.copyOf(cycleEdges);
    }

    /** Values one step feeds in (the product of {@link #inputShape()}). */
    public int inputSize()
    {
        return network.population(input).outputSize();
    }

    /** The population of NIR node {@code name}; IllegalArgumentException naming the nodes that have one. */
    public int population(final String name)
    {
        final Integer id = populations.get(name);
        if (id == null)
        {
            throw new IllegalArgumentException(source + ": node '" + name + "' has no population of its own; nodes with one are " +
                populations.keySet());
        }
        return id;
    }

    @Override
    public int[] inputShape()
    {
        return inputShape.clone();
    }
}
