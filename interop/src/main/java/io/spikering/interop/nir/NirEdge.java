package io.spikering.interop.nir;

import java.util.Objects;

/**
 * A directed edge between two node names. A name "G.B" addresses node B inside the subgraph node G (NIR's convention
 * for edges into and out of subgraphs); a plain subgraph name addresses its single Input (as target) or Output (as
 * source).
 */
public record NirEdge(String source, String target)
{
    public NirEdge
    {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(target, "target");
    }

    @Override
    public String toString()
    {
        return source + " -> " + target;
    }
}
