package io.spikering.interop.nir;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How each node of a (flattened) NIR graph runs in an event-driven simulator: spiking nodes emit one-bit events (IF,
 * LIF, CubaLIF, Threshold; the SigmaDelta extension emits integer counts); a linear node (Affine, Linear, Scale, Conv,
 * pooling, Flatten) whose every input is such an event stream, or another linear node delivered per event, is delivered
 * per event (each event adds its weight row or kernel stencil, passed on through the chain of linear maps); everything
 * else is computed every step.
 */
public enum NirDelivery
{
    /** Input and Output nodes: the graph's boundary. */
    BOUNDARY("-"),
    /** Emits events: one-bit spikes, or signed counts. */
    EMITS_EVENTS("emits events"),
    /** A linear node all of whose inputs are events (or linear maps of events): each adds its row or stencil. */
    PER_EVENT("per event"),
    /** Computed densely every step (non-spiking neurons, Delay, linear nodes fed by dense values). */
    PER_STEP("per step");

    private final String label;

    NirDelivery(final String label)
    {
        this.label = label;
    }

    public String label()
    {
        return label;
    }

    /** The delivery of every node of {@code graph} (subgraphs inlined first, names as {@link NirGraph#flatten()}). */
    public static Map<String, NirDelivery> of(final NirGraph graph)
    {
        final NirGraph flat = graph.flatten();
        final Map<String, NirDelivery> out = new LinkedHashMap<>();
        for (final Map.Entry<String, NirNode> e : flat.nodes().entrySet())
        {
            out.put(e.getKey(), classify(flat, e.getKey(), e.getValue(), new ArrayList<>()));
        }
        return out;
    }

    private static NirDelivery classify(final NirGraph g, final String name, final NirNode node, final List<String> visiting)
    {
        if (node instanceof NirNode.Input || node instanceof NirNode.Output)
        {
            return BOUNDARY;
        }
        if (node.emitsEvents())
        {
            return EMITS_EVENTS;
        }
        if (!isLinear(node) || visiting.contains(name))
        {
            return PER_STEP;
        }
        visiting.add(name);
        final List<String> sources = g.sources(name);
        boolean events = !sources.isEmpty();
        for (final String s : sources)
        {
            final NirNode src = g.node(s);
            // a linear map of events is a sum of weighted rows: it passes them on
            events &= src != null && (src.emitsEvents() || classify(g, s, src, visiting) == PER_EVENT);
        }
        visiting.remove(name);
        return events ? PER_EVENT : PER_STEP;
    }

    private static boolean isLinear(final NirNode n)
    {
        return n instanceof NirNode.Affine || n instanceof NirNode.Linear || n instanceof NirNode.Scale
            || n instanceof NirNode.Conv1d || n instanceof NirNode.Conv2d || n instanceof NirNode.SumPool2d
            || n instanceof NirNode.AvgPool2d || n instanceof NirNode.Flatten;
    }
}
