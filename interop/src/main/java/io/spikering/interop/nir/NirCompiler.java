package io.spikering.interop.nir;

import io.spikering.core.engine.ConvKernel;
import io.spikering.core.engine.Network;
import io.spikering.core.engine.NeuronDynamics;
import io.spikering.core.engine.NeuronDynamics.Model;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Turns a {@link NirGraph} into an engine {@link Network} (docs/nir.md, "Run semantics"). Input, neuron, Delay and
 * Output nodes are the graph's state nodes; the linear nodes between them (Affine, Linear, Scale, Conv1d, Conv2d,
 * SumPool2d, AvgPool2d) become projections, Flatten is an index no-op (channels-first C order). A linear node feeding
 * another linear node gets a pass-through population (its output), so a chain is two projections. An Affine's (or a
 * convolution's) bias is the target population's bias. A Delay node is a pass-through fed by one delayed projection
 * per distinct delay. A connection (state node to state node through linear nodes) takes {@code edgeDelay} steps when
 * it leaves an Input or a neuron, and one step when it closes a cycle: found depth-first from the Input nodes, nodes
 * and successors in file order, as the connection into a node already on the path (the previous step's output, as
 * snnTorch's recurrent neurons and nirtorch's executor read it). Anything else is refused with a
 * {@link NirFormatException} naming the source, the node and the parameter.
 */
public final class NirCompiler
{
    /** Relative tolerance on delay / dt being an integer number of steps. */
    static final double DELAY_TOLERANCE = 1e-6;

    /** Longest Delay node delay in steps. */
    static final int MAX_DELAY_STEPS = (1 << 20) - 1;

    /** Most values a Delay node's delay ring may hold (steps x elements), checked before the engine allocates it. */
    static final long MAX_DELAY_RING = 1L << 24;

    private final NirGraph g;
    private final NirRunOptions o;
    private final String source;
    private final Network.Builder b = Network.builder();
    private final Map<String, Integer> pop = new LinkedHashMap<>();
    private final Map<Integer, float[]> bias = new HashMap<>();
    private final List<String> stateNodes = new ArrayList<>();
    private final Map<String, Map<String, Integer>> delay = new HashMap<>();
    private final List<String> cycleEdges = new ArrayList<>();

    private NirCompiler(final NirGraph graph, final NirRunOptions options, final String source)
    {
        this.g = graph;
        this.o = options;
        this.source = source;
        b.maxDelay(MAX_DELAY_STEPS + 1);
    }

    /** Compiles {@code graph} (read from {@code source}, named in messages) with {@code options}. */
    public static NirNetwork compile(final NirGraph graph, final NirRunOptions options, final String source) throws NirFormatException
    {
        final NirGraph flat;
        try
        {
            flat = graph.flatten();
        }
        catch (final IllegalArgumentException e)
        {
            throw new NirFormatException(source + ": " + e.getMessage(), e);
        }
        return new NirCompiler(flat, options, source).build();
    }

    private NirNetwork build() throws NirFormatException
    {
        final List<String> inputs = new ArrayList<>(g.inputs().keySet());
        final List<String> outputs = new ArrayList<>(g.outputs().keySet());
        if (inputs.size() != 1 || outputs.isEmpty())
        {
            throw fail("the graph has " + inputs.size() + " Input and " + outputs.size() + " Output nodes; runs need exactly one Input " +
                "and at least one Output");
        }
        for (final NirEdge e : g.edges())
        {
            if (g.node(e.source()) == null || g.node(e.target()) == null)
            {
                throw fail("edge " + e + " names a node the graph does not have");
            }
        }
        for (final Map.Entry<String, NirNode> e : g.nodes().entrySet())
        {
            check(e.getKey(), e.getValue());
            if (isState(e.getValue()))
            {
                stateNodes.add(e.getKey());
            }
        }
        connectionDelays(inputs.get(0));
        // populations, file order
        for (final Map.Entry<String, NirNode> e : g.nodes().entrySet())
        {
            final String name = e.getKey();
            final NirNode n = e.getValue();
            if (n instanceof NirNode.Input in)
            {
                pop.put(name, b.input(name, size(in.shape())));
            }
            else if (isNeuron(n))
            {
                pop.put(name, neurons(name, n));
            }
            else if (n instanceof NirNode.Delay)
            {
                pop.put(name, b.passThrough(name, size(n.outputShape())));
            }
            else if (isLinear(n) && isHub(name))
            {
                pop.put(name, b.passThrough(name, size(n.outputShape())));
            }
        }
        for (final String name : outputs)
        {
            final List<String> src = effectiveSources(name);
            if (src.size() == 1 && pop.containsKey(src.get(0)) && !isLinear(g.node(src.get(0))))
            {
                pop.put(name, pop.get(src.get(0)));
            }
            else
            {
                pop.put(name, b.passThrough(name, size(g.node(name).inputShape())));
            }
        }
        // projections into every population that receives
        for (final Map.Entry<String, NirNode> e : g.nodes().entrySet())
        {
            final String name = e.getKey();
            final NirNode n = e.getValue();
            if (n instanceof NirNode.Input || !pop.containsKey(name) || (n instanceof NirNode.Output && aliased(name)))
            {
                continue;
            }
            if (n instanceof NirNode.Delay d)
            {
                delayNode(name, d);
            }
            else if (isLinear(n))
            {
                // a pass-through holding this linear node's output
                addBias(name, n, pop.get(name), null);
                for (final String y : effectiveSources(name))
                {
                    final int d = isState(g.node(y)) ? delayInto(y, name) : 0;
                    project(y + "->" + name, pop.get(y), pop.get(name), d, null, name, null, n);
                }
            }
            else
            {
                connectInto(name, pop.get(name), 0, null);
            }
        }
        bias.forEach(b::bias);
        final Network network;
        try
        {
            network = b.build();
        }
        catch (final IllegalArgumentException e)
        {
            throw fail(e.getMessage());
        }
        final String in = inputs.get(0);
        final String out = outputs.get(0);
        return new NirNetwork(network, o, source, pop, pop.get(in), g.inputs().get(in).shape(), pop.get(out), out, cycleEdges);
    }

    // ------------------------------------------------------------------ classification and checks

    static boolean isNeuron(final NirNode n)
    {
        return n instanceof NirNode.I || n instanceof NirNode.IF || n instanceof NirNode.LI || n instanceof NirNode.LIF
            || n instanceof NirNode.CubaLI || n instanceof NirNode.CubaLIF || n instanceof NirNode.Threshold;
    }

    static boolean isLinear(final NirNode n)
    {
        return n instanceof NirNode.Affine || n instanceof NirNode.Linear || n instanceof NirNode.Scale
            || n instanceof NirNode.Conv1d || n instanceof NirNode.Conv2d || n instanceof NirNode.SumPool2d
            || n instanceof NirNode.AvgPool2d;
    }

    static boolean isState(final NirNode n)
    {
        return n instanceof NirNode.Input || n instanceof NirNode.Output || n instanceof NirNode.Delay || isNeuron(n);
    }

    private void check(final String name, final NirNode n) throws NirFormatException
    {
        if (!isState(n) && !isLinear(n) && !(n instanceof NirNode.Flatten))
        {
            throw fail("node '" + name + "' has type " + n.type() + ", which a NIR run cannot execute (runnable: Input, Output, Affine, " +
                "Linear, Scale, Flatten, Delay, Threshold, I, IF, LI, LIF, CubaLI, CubaLIF, Conv1d, Conv2d, SumPool2d, AvgPool2d)");
        }
        if (n.inputShape() == null || n.outputShape() == null)
        {
            throw fail("node '" + name + "' (" + n.type() + "): its input shape is not known (no input_shape in the file and none " +
                "inferred from the graph)");
        }
        for (final Map.Entry<String, NirTensor> p : n.parameters().entrySet())
        {
            final int bad = p.getValue().firstNonFinite();
            if (bad >= 0)
            {
                throw fail("node '" + name + "' (" + n.type() + "): parameter " + p.getKey() + "[" + bad + "] is " + p.getValue().get(bad) +
                    "; parameters must be finite");
            }
        }
        if (!(n instanceof NirNode.Input) && !(n instanceof NirNode.Output) && g.sources(name).isEmpty() && !isNeuron(n))
        {
            throw fail("node '" + name + "' (" + n.type() + ") has no incoming edge");
        }
        for (final String s : g.sources(name))
        {
            final int[] out = g.node(s).outputShape();
            if (out != null && size(out) != size(n.inputShape()))
            {
                throw fail("edge " + s + " -> " + name + ": '" + s + "' emits shape " + Shapes.format(out) + " (" + size(out) + " values) but '" +
                    name + "' (" + n.type() + ") takes " + Shapes.format(n.inputShape()) + " (" + size(n.inputShape()) + ")");
            }
        }
    }

    /** Whether linear node {@code name} feeds another linear node (then its output is a pass-through population). */
    private boolean isHub(final String name)
    {
        for (final String t : g.targets(name))
        {
            final NirNode n = g.node(t);
            if (isLinear(n) || (n instanceof NirNode.Flatten && isHub(t)))
            {
                return true;
            }
        }
        return false;
    }

    /** The nodes feeding {@code name}, Flatten nodes replaced by what feeds them, edge order. */
    private List<String> effectiveSources(final String name)
    {
        final List<String> out = new ArrayList<>();
        for (final String s : g.sources(name))
        {
            if (g.node(s) instanceof NirNode.Flatten)
            {
                out.addAll(effectiveSources(s));
            }
            else
            {
                out.add(s);
            }
        }
        return out;
    }

    private boolean aliased(final String output)
    {
        final List<String> src = effectiveSources(output);
        return src.size() == 1 && pop.get(output).equals(pop.get(src.get(0)));
    }

    // ------------------------------------------------------------------ connection delays

    /** State nodes reached forward from {@code name} through linear and Flatten nodes. */
    private void downstream(final String name, final Set<String> out)
    {
        for (final String t : g.targets(name))
        {
            if (isState(g.node(t)))
            {
                out.add(t);
            }
            else
            {
                downstream(t, out);
            }
        }
    }

    private void connectionDelays(final String input)
    {
        final Map<String, List<String>> next = new HashMap<>();
        for (final String s : stateNodes)
        {
            final Set<String> reached = new HashSet<>();
            downstream(s, reached);
            final List<String> list = new ArrayList<>();
            for (final String t : stateNodes)
            {
                if (reached.contains(t))
                {
                    list.add(t);
                }
            }
            next.put(s, list);
        }
        final Set<String> closing = new HashSet<>();
        final Set<String> visited = new HashSet<>();
        final List<String> roots = new ArrayList<>();
        roots.add(input);
        roots.addAll(stateNodes);
        for (final String r : roots)
        {
            if (visited.add(r))
            {
                walk(r, next, visited, new HashSet<>(Set.of(r)), closing);
            }
        }
        for (final String s : stateNodes)
        {
            final NirNode n = g.node(s);
            final int leave = n instanceof NirNode.Input || isNeuron(n) ? o.edgeDelay() : 0;
            final Map<String, Integer> m = new HashMap<>();
            for (final String t : next.get(s))
            {
                final boolean closes = closing.contains(s + " -> " + t);
                if (closes)
                {
                    cycleEdges.add(s + " -> " + t);
                }
                // an Output only observes its source: no edge delay into it
                m.put(t, g.node(t) instanceof NirNode.Output ? 0 : Math.max(leave, closes ? 1 : 0));
            }
            delay.put(s, m);
        }
    }

    private static void walk(final String node, final Map<String, List<String>> next, final Set<String> visited,
        final Set<String> path, final Set<String> closing)
    {
        for (final String t : next.get(node))
        {
            if (path.contains(t))
            {
                closing.add(node + " -> " + t);
            }
            else if (visited.add(t))
            {
                path.add(t);
                walk(t, next, visited, path, closing);
                path.remove(t);
            }
        }
    }

    private int delayTo(final String stateSource, final String stateTarget)
    {
        final Integer d = delay.get(stateSource).get(stateTarget);
        return d == null ? 0 : d;
    }

    /**
     * The steps a projection from state node {@code from} into the population of {@code into} takes: the connection
     * delay to every state node behind {@code into} (itself, or those a pass-through feeds), which must agree.
     */
    private int delayInto(final String from, final String into) throws NirFormatException
    {
        if (isState(g.node(into)))
        {
            return delayTo(from, into);
        }
        final Set<String> behind = new HashSet<>();
        downstream(into, behind);
        int d = -1;
        for (final String t : behind)
        {
            final int dt = delayTo(from, t);
            if (d >= 0 && dt != d)
            {
                throw fail("node '" + into + "' passes '" + from + "' on to connections with different delays (one closes a cycle); " +
                    "give each target its own linear node");
            }
            d = dt;
        }
        return Math.max(d, 0);
    }

    // ------------------------------------------------------------------ projections

    /**
     * Projections into population {@code target} (of node {@code name}) from every node feeding {@code name}, each
     * {@code extraDelay} steps later; with {@code columns} non-null only the target columns it marks receive.
     */
    private void connectInto(final String name, final int target, final int extraDelay, final boolean[] columns) throws NirFormatException
    {
        for (final String x : effectiveSources(name))
        {
            final NirNode n = g.node(x);
            if (pop.containsKey(x))
            {
                final int d = isState(n) ? delayInto(x, name) : 0;
                final float[] ones = new float[size(n.outputShape())];
                Arrays.fill(ones, 1.0f);
                project(x + "->" + name, pop.get(x), target, d + extraDelay, columns, null, ones, n);
                continue;
            }
            addBias(x, n, target, columns);
            for (final String y : effectiveSources(x))
            {
                final NirNode ny = g.node(y);
                final int d = isState(ny) ? delayInto(y, name) : 0;
                project(y + "->" + x + "->" + name, pop.get(y), target, d + extraDelay, columns, x, null, n);
            }
        }
    }

    private void addBias(final String name, final NirNode n, final int target, final boolean[] columns) throws NirFormatException
    {
        float[] add = null;
        if (n instanceof NirNode.Affine a)
        {
            add = a.bias().toFloatArray();
        }
        else if (n instanceof NirNode.Conv1d c)
        {
            add = kernel(name, c).expandBias(c.bias().toFloatArray());
        }
        else if (n instanceof NirNode.Conv2d c)
        {
            add = kernel(name, c).expandBias(c.bias().toFloatArray());
        }
        if (add == null)
        {
            return;
        }
        final int length = add.length;
        final float[] acc = bias.computeIfAbsent(target, k -> new float[length]);
        for (int i = 0; i < add.length; i++)
        {
            if (columns == null || columns[i])
            {
                acc[i] += add[i];
            }
        }
    }

    /** One projection: through linear node {@code via} (null: one-to-one, {@code gains} all ones, restricted to {@code columns}). */
    private void project(final String label, final int from, final int target, final int steps, final boolean[] columns,
        final String via, final float[] gains, final NirNode map) throws NirFormatException
    {
        final Network.ProjectionBuilder p = b.connect(from, target).name(label).delay(steps);
        try
        {
            if (via == null)
            {
                if (columns == null)
                {
                    p.identity();
                }
                else
                {
                    p.sparse(diagonalRows(gains, columns), diagonalWeights(gains, columns));
                }
                return;
            }
            final NirNode n = g.node(via);
            if (columns != null && !(n instanceof NirNode.Affine || n instanceof NirNode.Linear || n instanceof NirNode.Scale))
            {
                throw fail("node '" + via + "' (" + n.type() + ") feeds Delay node with per-element delays; put the Delay before it");
            }
            if (n instanceof NirNode.Affine a)
            {
                p.dense(transpose(a.weight(), columns));
            }
            else if (n instanceof NirNode.Linear l)
            {
                p.dense(transpose(l.weight(), columns));
            }
            else if (n instanceof NirNode.Scale s)
            {
                final float[] gs = s.scale().toFloatArray();
                if (columns == null)
                {
                    p.diagonal(gs);
                }
                else
                {
                    p.sparse(diagonalRows(gs, columns), diagonalWeights(gs, columns));
                }
            }
            else if (n instanceof NirNode.Conv1d c)
            {
                p.conv(kernel(via, c));
            }
            else if (n instanceof NirNode.Conv2d c)
            {
                p.conv(kernel(via, c));
            }
            else if (n instanceof NirNode.SumPool2d s)
            {
                final int[] in = s.inputShape();
                p.conv(ConvKernel.sumPool2d(in[0], in[1], in[2], s.kernelSize(), s.stride(), s.padding()));
            }
            else if (n instanceof NirNode.AvgPool2d s)
            {
                final int[] in = s.inputShape();
                p.conv(ConvKernel.avgPool2d(in[0], in[1], in[2], s.kernelSize(), s.stride(), s.padding()));
            }
        }
        catch (final IllegalArgumentException e)
        {
            throw fail("node '" + (via == null ? label : via) + "' (" + map.type() + "): " + e.getMessage());
        }
    }

    private static int[][] diagonalRows(final float[] gains, final boolean[] columns)
    {
        final int[][] rows = new int[gains.length][];
        for (int i = 0; i < gains.length; i++)
        {
            rows[i] = columns[i] ? new int[] {i} : new int[0];
        }
        return rows;
    }

    private static float[][] diagonalWeights(final float[] gains, final boolean[] columns)
    {
        final float[][] rows = new float[gains.length][];
        for (int i = 0; i < gains.length; i++)
        {
            rows[i] = columns[i] ? new float[] {gains[i]} : new float[0];
        }
        return rows;
    }

    /** NIR weight [out, in] as engine rows [in][out]; columns not marked are zero. */
    private static float[][] transpose(final NirTensor w, final boolean[] columns)
    {
        final int out = w.dim(0);
        final int in = w.dim(1);
        final float[][] rows = new float[in][out];
        for (int o = 0; o < out; o++)
        {
            if (columns != null && !columns[o])
            {
                continue;
            }
            for (int i = 0; i < in; i++)
            {
                rows[i][o] = (float)w.get(o * in + i);
            }
        }
        return rows;
    }

    private ConvKernel kernel(final String name, final NirNode.Conv2d c) throws NirFormatException
    {
        final NirTensor w = c.weight();
        try
        {
            return ConvKernel.conv(c.inputShape()[0], c.spatialInputShape(), w.dim(0), new int[] {w.dim(2), w.dim(3)}, w.toFloatArray())
                .stride(c.stride()).padding(c.padding()).dilation(c.dilation()).groups(c.groups()).build();
        }
        catch (final IllegalArgumentException e)
        {
            throw fail("node '" + name + "' (Conv2d): " + e.getMessage());
        }
    }

    private ConvKernel kernel(final String name, final NirNode.Conv1d c) throws NirFormatException
    {
        final NirTensor w = c.weight();
        try
        {
            return ConvKernel.conv(c.inputShape()[0], c.spatialInputShape(), w.dim(0), new int[] {w.dim(2)}, w.toFloatArray())
                .stride(c.stride()).padding(c.padding()).dilation(c.dilation()).groups(c.groups()).build();
        }
        catch (final IllegalArgumentException e)
        {
            throw fail("node '" + name + "' (Conv1d): " + e.getMessage());
        }
    }

    /** A Delay node: its inputs grouped by delay (steps = round(delay / dt)), one delayed projection set per group. */
    private void delayNode(final String name, final NirNode.Delay d) throws NirFormatException
    {
        final NirTensor seconds = d.delay();
        final TreeMap<Integer, boolean[]> groups = new TreeMap<>();
        for (int i = 0; i < seconds.size(); i++)
        {
            final double ratio = seconds.get(i) / o.dt();
            final long steps = Math.round(ratio);
            if (seconds.get(i) < 0 || Math.abs(ratio - steps) > DELAY_TOLERANCE * Math.max(1.0, ratio) || steps > MAX_DELAY_STEPS)
            {
                throw fail("node '" + name + "' (Delay): parameter delay[" + i + "] = " + seconds.get(i) + " s is " + ratio + " steps of dt " +
                    o.dt() + " s; a delay must be a whole number of steps (>= 0, at most " + MAX_DELAY_STEPS + "): choose a dt that divides it");
            }
            if ((steps + 2) * seconds.size() > MAX_DELAY_RING)
            {
                throw fail("node '" + name + "' (Delay): parameter delay[" + i + "] = " + seconds.get(i) + " s is " + steps + " steps of dt " +
                    o.dt() + " s; holding " + seconds.size() + " elements that long needs more than " + MAX_DELAY_RING + " values: use a larger dt");
            }
            groups.computeIfAbsent((int)steps, k -> new boolean[seconds.size()])[i] = true;
        }
        for (final Map.Entry<Integer, boolean[]> e : groups.entrySet())
        {
            connectInto(name, pop.get(name), e.getKey(), e.getValue());
        }
    }

    // ------------------------------------------------------------------ neurons

    private int neurons(final String name, final NirNode n) throws NirFormatException
    {
        try
        {
            final NeuronDynamics.Builder nb;
            if (n instanceof NirNode.I x)
            {
                nb = NeuronDynamics.builder(Model.I, x.r().size()).r(x.r().toArray());
            }
            else if (n instanceof NirNode.IF x)
            {
                nb = NeuronDynamics.builder(Model.IF, x.r().size()).r(x.r().toArray()).vThreshold(x.vThreshold().toArray())
                    .vReset(x.vReset().toArray());
            }
            else if (n instanceof NirNode.LI x)
            {
                nb = NeuronDynamics.builder(Model.LI, x.tau().size()).tau(x.tau().toArray()).r(x.r().toArray()).vLeak(x.vLeak().toArray());
            }
            else if (n instanceof NirNode.LIF x)
            {
                nb = NeuronDynamics.builder(Model.LIF, x.tau().size()).tau(x.tau().toArray()).r(x.r().toArray()).vLeak(x.vLeak().toArray())
                    .vThreshold(x.vThreshold().toArray()).vReset(x.vReset().toArray());
            }
            else if (n instanceof NirNode.CubaLI x)
            {
                nb = NeuronDynamics.builder(Model.CUBA_LI, x.tauMem().size()).tau(x.tauMem().toArray()).tauSyn(x.tauSyn().toArray())
                    .r(x.r().toArray()).vLeak(x.vLeak().toArray()).wIn(x.wIn().toArray());
            }
            else if (n instanceof NirNode.CubaLIF x)
            {
                nb = NeuronDynamics.builder(Model.CUBA_LIF, x.tauMem().size()).tau(x.tauMem().toArray()).tauSyn(x.tauSyn().toArray())
                    .r(x.r().toArray()).vLeak(x.vLeak().toArray()).vThreshold(x.vThreshold().toArray()).vReset(x.vReset().toArray())
                    .wIn(x.wIn().toArray());
            }
            else
            {
                final NirNode.Threshold x = (NirNode.Threshold)n;
                nb = NeuronDynamics.builder(Model.THRESHOLD, x.threshold().size()).vThreshold(x.threshold().toArray());
            }
            nb.dt(o.dt()).discretization(o.discretization()).reset(o.reset()).thresholdTest(o.thresholdTest())
                .currentOrder(o.currentOrder()).spikeValue(o.spikeValue());
            return b.neurons(name, nb.build());
        }
        catch (final IllegalArgumentException e)
        {
            throw fail("node '" + name + "' (" + n.type() + "): " + e.getMessage());
        }
    }

    static int size(final int[] shape)
    {
        return (int)NirTensor.sizeOf(shape);
    }

    private NirFormatException fail(final String message)
    {
        return new NirFormatException(source + ": " + message);
    }
}
