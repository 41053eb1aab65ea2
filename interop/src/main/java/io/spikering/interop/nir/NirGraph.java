package io.spikering.interop.nir;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * An immutable NIR graph: named nodes in file order, directed edges, metadata (String, NirTensor or nested Map values)
 * and the NIR version the file declared ("" when it has none, as NIR 0.1 files). Two graphs are equal when their
 * nodes, edges and metadata are; the version is provenance and does not take part.
 */
public final class NirGraph
{
    private final Map<String, NirNode> nodes;
    private final List<NirEdge> edges;
    private final Map<String, Object> metadata;
    private final String version;

    public NirGraph(final Map<String, NirNode> nodes, final List<NirEdge> edges, final Map<String, Object> metadata,
                    final String version)
    {
        this.nodes = Collections.unmodifiableMap(new LinkedHashMap<>(nodes));
        this.edges = List.copyOf(edges);
        this.metadata = Collections.unmodifiableMap(new LinkedHashMap<>(metadata));
        this.version = Objects.requireNonNull(version, "version");
        for (final Map.Entry<String, NirNode> e : this.nodes.entrySet())
        {
            Objects.requireNonNull(e.getValue(), e.getKey());
        }
    }

    /** A graph without metadata or version (for graphs built in code). */
    public static NirGraph of(final Map<String, NirNode> nodes, final List<NirEdge> edges)
    {
        return new NirGraph(nodes, edges, Map.of(), "");
    }

    /** A chain: "input" -> the nodes named by their index ("0", "1", ...) -> "output", shapes from the first and last. */
    public static NirGraph sequential(final NirNode... chain)
    {
        final Map<String, NirNode> nodes = new LinkedHashMap<>();
        final List<NirEdge> edges = new ArrayList<>();
        nodes.put("input", new NirNode.Input(chain[0].inputShape()));
        String previous = "input";
        for (int i = 0; i < chain.length; i++)
        {
            nodes.put(Integer.toString(i), chain[i]);
            edges.add(new NirEdge(previous, Integer.toString(i)));
            previous = Integer.toString(i);
        }
        nodes.put("output", new NirNode.Output(chain[chain.length - 1].outputShape()));
        edges.add(new NirEdge(previous, "output"));
        return of(nodes, edges);
    }

    public Map<String, NirNode> nodes()
    {
        return nodes;
    }

    public List<NirEdge> edges()
    {
        return edges;
    }

    public Map<String, Object> metadata()
    {
        return metadata;
    }

    public String version()
    {
        return version;
    }

    /** The node named {@code name} at this level, or null. */
    public NirNode node(final String name)
    {
        return nodes.get(name);
    }

    /** Names of the nodes with an edge into {@code name}, in edge order. */
    public List<String> sources(final String name)
    {
        final List<String> out = new ArrayList<>();
        for (final NirEdge e : edges)
        {
            if (e.target().equals(name))
            {
                out.add(e.source());
            }
        }
        return out;
    }

    /** Names of the nodes {@code name} has an edge to, in edge order. */
    public List<String> targets(final String name)
    {
        final List<String> out = new ArrayList<>();
        for (final NirEdge e : edges)
        {
            if (e.source().equals(name))
            {
                out.add(e.target());
            }
        }
        return out;
    }

    /** The Input nodes, in file order. */
    public Map<String, NirNode.Input> inputs()
    {
        final Map<String, NirNode.Input> out = new LinkedHashMap<>();
        nodes.forEach((name, node) ->
        {
            if (node instanceof NirNode.Input in)
            {
                out.put(name, in);
            }
        });
        return out;
    }

    /** The Output nodes, in file order. */
    public Map<String, NirNode.Output> outputs()
    {
        final Map<String, NirNode.Output> out = new LinkedHashMap<>();
        nodes.forEach((name, node) ->
        {
            if (node instanceof NirNode.Output o)
            {
                out.put(name, o);
            }
        });
        return out;
    }

    /** The same graph declaring another version. */
    public NirGraph withVersion(final String newVersion)
    {
        return new NirGraph(nodes, edges, metadata, newVersion);
    }

    /** Whether any node is a subgraph. */
    public boolean hasSubgraphs()
    {
        for (final NirNode n : nodes.values())
        {
            if (n instanceof NirNode.Graph)
            {
                return true;
            }
        }
        return false;
    }

    /**
     * This graph with every subgraph inlined: node B of subgraph G becomes "G.B" (recursively "G.H.B"); the subgraph's
     * own Input and Output nodes disappear, each edge through them joined into direct edges; edges naming G itself
     * connect to its single Input (as target) or Output (as source). Top-level Input and Output nodes stay.
     *
     * @throws IllegalArgumentException when an inlined name collides with an existing one, or an edge names G while
     *                                  G has several Inputs or Outputs
     */
    public NirGraph flatten()
    {
        if (!hasSubgraphs())
        {
            return this;
        }
        final Map<String, NirNode> flat = new LinkedHashMap<>();
        final List<NirEdge> flatEdges = new ArrayList<>();
        final List<String> passThrough = new ArrayList<>();
        for (final Map.Entry<String, NirNode> e : nodes.entrySet())
        {
            if (!(e.getValue() instanceof NirNode.Graph g))
            {
                putUnique(flat, e.getKey(), e.getValue());
                continue;
            }
            final NirGraph inner = g.graph().flatten();
            final String prefix = e.getKey() + ".";
            inner.nodes.forEach((name, node) ->
            {
                putUnique(flat, prefix + name, node);
                if (node instanceof NirNode.Input || node instanceof NirNode.Output)
                {
                    passThrough.add(prefix + name);
                }
            });
            for (final NirEdge ie : inner.edges)
            {
                flatEdges.add(new NirEdge(prefix + ie.source(), prefix + ie.target()));
            }
        }
        for (final NirEdge e : edges)
        {
            flatEdges.add(new NirEdge(boundary(e.source(), false), boundary(e.target(), true)));
        }
        // join the edges through each subgraph boundary node, then drop it
        for (final String p : passThrough)
        {
            final List<String> in = new ArrayList<>();
            final List<String> out = new ArrayList<>();
            final List<NirEdge> kept = new ArrayList<>();
            for (final NirEdge e : flatEdges)
            {
                if (e.target().equals(p))
                {
                    in.add(e.source());
                }
                else if (e.source().equals(p))
                {
                    out.add(e.target());
                }
                else
                {
                    kept.add(e);
                }
            }
            for (final String s : in)
            {
                for (final String t : out)
                {
                    kept.add(new NirEdge(s, t));
                }
            }
            flatEdges.clear();
            flatEdges.addAll(kept);
            flat.remove(p);
        }
        return new NirGraph(flat, flatEdges, metadata, version);
    }

    /** "G" (a subgraph) as an edge end: its single Input when entering, its single Output when leaving. */
    private String boundary(final String name, final boolean entering)
    {
        if (!(nodes.get(name) instanceof NirNode.Graph g))
        {
            return name;
        }
        final Map<String, ? extends NirNode> ends = entering ? g.graph().inputs() : g.graph().outputs();
        if (ends.size() != 1)
        {
            throw new IllegalArgumentException("edge names subgraph '" + name + "', which has " + ends.size() + (entering
                ? " Input" : " Output") + " nodes: name one as '" + name + ".<node>'");
        }
        return name + "." + ends.keySet().iterator().next();
    }

    private static void putUnique(final Map<String, NirNode> flat, final String name, final NirNode node)
    {
        if (flat.putIfAbsent(name, node) != null)
        {
            throw new IllegalArgumentException("two nodes are named '" + name + "' once subgraphs are inlined");
        }
    }

    @Override
    public boolean equals(final Object o)
    {
        return o instanceof NirGraph g && nodes.equals(g.nodes) && edges.equals(g.edges) && metadata.equals(g.metadata);
    }

    @Override
    public int hashCode()
    {
        return Objects.hash(nodes, edges);
    }

    @Override
    public String toString()
    {
        return "NirGraph[" + nodes.size() + " nodes, " + edges.size() + " edges, version '" + version + "']";
    }
}
