package io.spikering.interop.nir;

import io.spikering.neuron.Activation;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Infers the shapes a NIR file leaves open and checks a graph before anything runs or is written: edges name existing
 * nodes (dangling edges), the shapes at both ends of every edge agree (size-1 dimensions aside; Flatten reshapes need
 * equal sizes only), every cycle passes through a stateful node (a neuron or Delay; a cycle of stateless nodes is an
 * algebraic loop), parameters are finite, time constants positive and delays not negative, and no node declares more
 * than {@link NirTensor#MAX_ELEMENTS} elements. Each problem is one {@link NirFormatException} naming the source, the
 * node and the parameter.
 */
public final class NirValidator
{
    private NirValidator()
    {
    }

    /**
     * Returns {@code graph} with inferred shapes (pooling, and Conv/Flatten/scalar neurons of old files), or throws.
     *
     * @param source the file name (or a description) to put in messages
     */
    public static NirGraph validate(final NirGraph graph, final String source) throws NirFormatException
    {
        final NirGraph checked = level(graph, source, "");
        if (checked.inputs().isEmpty() || checked.outputs().isEmpty())
        {
            throw new NirFormatException(source + ": the graph has no " + (checked.inputs().isEmpty() ? "Input" : "Output")
                + " node: NIR graphs feed data in through Input nodes and read results from Output nodes");
        }
        final NirGraph flat;
        try
        {
            flat = checked.flatten();
        }
        catch (final IllegalArgumentException e)
        {
            throw new NirFormatException(source + ": " + e.getMessage());
        }
        checkStatelessCycles(flat, source);
        return checked;
    }

    private static NirGraph level(final NirGraph raw, final String source, final String path) throws NirFormatException
    {
        final Map<String, NirNode> nodes = new LinkedHashMap<>(raw.nodes());
        for (final Map.Entry<String, NirNode> e : nodes.entrySet())
        {
            final String name = qualified(path, e.getKey());
            if (e.getValue() instanceof NirNode.Graph g)
            {
                e.setValue(new NirNode.Graph(level(g.graph(), source, name)));
            }
            checkParameters(e.getValue(), source, name);
        }
        NirGraph g = new NirGraph(nodes, raw.edges(), raw.metadata(), raw.version());
        for (final NirEdge edge : g.edges())
        {
            resolve(g, edge.source(), edge, source, path);
            resolve(g, edge.target(), edge, source, path);
        }
        g = infer(g, source, path);
        for (final Map.Entry<String, NirNode> e : g.nodes().entrySet())
        {
            checkShapes(e.getValue(), source, qualified(path, e.getKey()));
        }
        for (final NirEdge edge : g.edges())
        {
            final int[] out = endShape(g, edge.source(), false);
            final int[] in = endShape(g, edge.target(), true);
            final boolean reshape = endNode(g, edge.source()) instanceof NirNode.Flatten
                || endNode(g, edge.target()) instanceof NirNode.Flatten;
            final boolean ok = out != null && in != null
                && (reshape ? NirTensor.sizeOf(out) == NirTensor.sizeOf(in) : Shapes.compatible(out, in));
            if (!ok)
            {
                throw new NirFormatException(source + ": edge '" + edge + "'" + where(path) + ": '" + edge.source() + "' ("
                    + endNode(g, edge.source()).type() + ") emits shape " + Shapes.format(out) + " but '" + edge.target()
                    + "' (" + endNode(g, edge.target()).type() + ") takes shape " + Shapes.format(in));
            }
        }
        return g;
    }

    private static String qualified(final String path, final String name)
    {
        return path.isEmpty() ? name : path + "." + name;
    }

    private static String where(final String path)
    {
        return path.isEmpty() ? "" : " in subgraph '" + path + "'";
    }

    /** The node an edge end names: a node of this level, or "G.X" inside subgraph G; null when none. */
    private static NirNode endNode(final NirGraph g, final String name)
    {
        final NirNode direct = g.node(name);
        if (direct != null)
        {
            return direct;
        }
        for (int dot = name.indexOf('.'); dot > 0; dot = name.indexOf('.', dot + 1))
        {
            if (g.node(name.substring(0, dot)) instanceof NirNode.Graph sub)
            {
                final NirNode inner = endNode(sub.graph(), name.substring(dot + 1));
                if (inner != null)
                {
                    return inner;
                }
            }
        }
        return null;
    }

    private static void resolve(final NirGraph g, final String end, final NirEdge edge, final String source, final String path)
        throws NirFormatException
    {
        if (endNode(g, end) == null)
        {
            throw new NirFormatException(source + ": edge '" + edge + "'" + where(path) + " names no node '" + end
                + "' (a dangling edge); the nodes are " + g.nodes().keySet());
        }
    }

    private static int[] endShape(final NirGraph g, final String name, final boolean asTarget)
    {
        final NirNode node = endNode(g, name);
        return node == null ? null : asTarget ? node.inputShape() : node.outputShape();
    }

    private static NirGraph infer(final NirGraph g, final String source, final String path) throws NirFormatException
    {
        final Map<String, NirNode> nodes = new LinkedHashMap<>(g.nodes());
        boolean changed = true;
        while (changed)
        {
            changed = false;
            final NirGraph current = new NirGraph(nodes, g.edges(), g.metadata(), g.version());
            for (final NirEdge edge : g.edges())
            {
                final NirNode target = nodes.get(edge.target());
                final int[] in = endShape(current, edge.source(), false);
                if (target == null || in == null)
                {
                    continue;
                }
                final NirNode inferred;
                try
                {
                    inferred = withInput(target, in);
                }
                catch (final IllegalArgumentException e)
                {
                    throw new NirFormatException(source + ": node '" + qualified(path, edge.target()) + "' (" + target.type()
                        + "): cannot take shape " + Arrays.toString(in) + " from '" + edge.source() + "': " + e.getMessage());
                }
                if (inferred != target)
                {
                    nodes.put(edge.target(), inferred);
                    changed = true;
                }
            }
        }
        for (final Map.Entry<String, NirNode> e : nodes.entrySet())
        {
            if (e.getValue().inputShape() == null)
            {
                throw new NirFormatException(source + ": node '" + qualified(path, e.getKey()) + "' (" + e.getValue().type()
                    + "): its input shape cannot be inferred (the file gives none and no edge comes from a node of known shape)");
            }
        }
        return new NirGraph(nodes, g.edges(), g.metadata(), g.version());
    }

    /** The node with an open input shape set from {@code in}; the node itself when nothing is open. */
    private static NirNode withInput(final NirNode node, final int[] in)
    {
        if (node.inputShape() != null)
        {
            if (in.length == 0 || node.inputShape().length != 0 || NirTensor.sizeOf(in) == 1)
            {
                return node;
            }
            return broadcast(node, in); // all parameters scalar in the file: the node takes its input's shape
        }
        if (node instanceof NirNode.Conv1d c)
        {
            return c.withSpatialInputShape(spatial(in, 1));
        }
        if (node instanceof NirNode.Conv2d c)
        {
            return c.withSpatialInputShape(spatial(in, 2));
        }
        if (node instanceof NirNode.SumPool2d p)
        {
            return p.withInputShape(in);
        }
        if (node instanceof NirNode.AvgPool2d p)
        {
            return p.withInputShape(in);
        }
        if (node instanceof NirNode.Flatten f)
        {
            return f.withInputType(in);
        }
        return node;
    }

    private static int[] spatial(final int[] in, final int dims)
    {
        if (in.length != dims + 1)
        {
            throw new IllegalArgumentException("a " + dims + "-D convolution takes [channels, " + (dims == 1 ? "length" : "height, width")
                + "], got rank " + in.length);
        }
        return Arrays.copyOfRange(in, 1, in.length);
    }

    private static NirNode broadcast(final NirNode node, final int[] s)
    {
        if (node instanceof NirNode.Scale n)
        {
            return new NirNode.Scale(n.scale().broadcastTo(s));
        }
        if (node instanceof NirNode.Delay n)
        {
            return new NirNode.Delay(n.delay().broadcastTo(s));
        }
        if (node instanceof NirNode.Threshold n)
        {
            return new NirNode.Threshold(n.threshold().broadcastTo(s));
        }
        if (node instanceof NirNode.I n)
        {
            return new NirNode.I(n.r().broadcastTo(s));
        }
        if (node instanceof NirNode.IF n)
        {
            return new NirNode.IF(n.r().broadcastTo(s), n.vThreshold(), n.vReset());
        }
        if (node instanceof NirNode.LI n)
        {
            return new NirNode.LI(n.tau().broadcastTo(s), n.r(), n.vLeak());
        }
        if (node instanceof NirNode.LIF n)
        {
            return new NirNode.LIF(n.tau().broadcastTo(s), n.r(), n.vLeak(), n.vThreshold(), n.vReset());
        }
        if (node instanceof NirNode.CubaLI n)
        {
            return new NirNode.CubaLI(n.tauSyn().broadcastTo(s), n.tauMem(), n.r(), n.vLeak(), n.wIn());
        }
        if (node instanceof NirNode.CubaLIF n)
        {
            return new NirNode.CubaLIF(n.tauSyn().broadcastTo(s), n.tauMem(), n.r(), n.vLeak(), n.vThreshold(), n.vReset(), n.wIn());
        }
        if (node instanceof NirNode.SigmaDelta n)
        {
            return new NirNode.SigmaDelta(n.activation(), n.dt().broadcastTo(s), n.amplitude(), n.signed());
        }
        return node;
    }

    private static void checkParameters(final NirNode node, final String source, final String name) throws NirFormatException
    {
        for (final Map.Entry<String, NirTensor> p : node.parameters().entrySet())
        {
            final NirTensor t = p.getValue();
            final int bad = t.firstNonFinite();
            if (bad >= 0)
            {
                throw new NirFormatException(source + ": node '" + name + "' (" + node.type() + "), parameter '" + p.getKey()
                    + "': element " + bad + " is " + t.get(bad) + "; parameters must be finite");
            }
        }
        if (node instanceof NirNode.LI n)
        {
            positive(n.tau(), "tau", node, source, name);
        }
        else if (node instanceof NirNode.LIF n)
        {
            positive(n.tau(), "tau", node, source, name);
        }
        else if (node instanceof NirNode.CubaLI n)
        {
            positive(n.tauSyn(), "tau_syn", node, source, name);
            positive(n.tauMem(), "tau_mem", node, source, name);
        }
        else if (node instanceof NirNode.CubaLIF n)
        {
            positive(n.tauSyn(), "tau_syn", node, source, name);
            positive(n.tauMem(), "tau_mem", node, source, name);
        }
        else if (node instanceof NirNode.Delay n)
        {
            for (int i = 0; i < n.delay().size(); i++)
            {
                if (n.delay().get(i) < 0)
                {
                    throw new NirFormatException(source + ": node '" + name + "' (Delay), parameter 'delay': element " + i
                        + " is " + n.delay().get(i) + " s; a delay cannot be negative");
                }
            }
        }
        else if (node instanceof NirNode.SigmaDelta n)
        {
            positive(n.dt(), "dt", node, source, name);
            positive(n.amplitude(), "amplitude", node, source, name);
            try
            {
                Activation.parse(n.activation());
            }
            catch (final IllegalArgumentException e)
            {
                throw new NirFormatException(source + ": node '" + name + "' (" + node.type() + "), parameter 'activation': "
                    + e.getMessage());
            }
        }
    }

    private static void positive(final NirTensor t, final String parameter, final NirNode node, final String source,
                                 final String name) throws NirFormatException
    {
        for (int i = 0; i < t.size(); i++)
        {
            if (!(t.get(i) > 0))
            {
                throw new NirFormatException(source + ": node '" + name + "' (" + node.type() + "), parameter '" + parameter
                    + "': element " + i + " is " + t.get(i) + "; it must be positive (time constants are in seconds)");
            }
        }
    }

    private static void checkShapes(final NirNode node, final String source, final String name) throws NirFormatException
    {
        for (final int[] shape : new int[][] {node.inputShape(), node.outputShape()})
        {
            if (shape == null)
            {
                continue;
            }
            for (final int d : shape)
            {
                if (d <= 0)
                {
                    throw new NirFormatException(source + ": node '" + name + "' (" + node.type() + "): shape "
                        + Arrays.toString(shape) + " is empty (input " + Shapes.format(node.inputShape())
                        + "; check kernel size, stride and padding)");
                }
            }
            if (NirTensor.sizeOf(shape) > NirTensor.MAX_ELEMENTS)
            {
                throw new NirFormatException(source + ": node '" + name + "' (" + node.type() + "): shape " + Arrays.toString(shape)
                    + " has more than " + NirTensor.MAX_ELEMENTS + " elements");
            }
        }
    }

    /** A cycle whose nodes all lack state would need its own output to compute it within one step. */
    private static void checkStatelessCycles(final NirGraph flat, final String source) throws NirFormatException
    {
        final Map<String, List<String>> next = new HashMap<>();
        for (final NirEdge e : flat.edges())
        {
            final NirNode s = flat.node(e.source());
            final NirNode t = flat.node(e.target());
            if (s != null && t != null && !s.stateful() && !t.stateful())
            {
                next.computeIfAbsent(e.source(), k -> new ArrayList<>()).add(e.target());
            }
        }
        final Map<String, Integer> state = new HashMap<>(); // 1 on the DFS stack, 2 done
        for (final String start : next.keySet())
        {
            final List<String> stack = new ArrayList<>();
            final List<String> cycle = dfs(start, next, state, stack);
            if (cycle != null)
            {
                throw new NirFormatException(source + ": the cycle " + String.join(" -> ", cycle) + " has no neuron or Delay"
                    + " node, so each step would need its own result (an algebraic loop); put a stateful node in the cycle");
            }
        }
    }

    private static List<String> dfs(final String node, final Map<String, List<String>> next, final Map<String, Integer> state,
                                    final List<String> stack)
    {
        final Integer s = state.get(node);
        if (s != null)
        {
            if (s == 1)
            {
                final List<String> cycle = new ArrayList<>(stack.subList(stack.indexOf(node), stack.size()));
                cycle.add(node);
                return cycle;
            }
            return null;
        }
        state.put(node, 1);
        stack.add(node);
        for (final String t : next.getOrDefault(node, List.of()))
        {
            final List<String> cycle = dfs(t, next, state, stack);
            if (cycle != null)
            {
                return cycle;
            }
        }
        stack.remove(stack.size() - 1);
        state.put(node, 2);
        return null;
    }
}
