package io.spikering.interop.nir;

import io.spikering.core.engine.NeuronDynamics.CurrentOrder;
import io.spikering.core.engine.NeuronDynamics.Discretization;
import io.spikering.core.engine.NeuronDynamics.Reset;
import io.spikering.core.engine.NeuronDynamics.ThresholdTest;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * An independent, dense, slow simulation of a NIR graph, written from docs/nir.md ("Run semantics") without the
 * engine or the compiler: it walks the NirGraph itself every step, evaluating each linear node on demand (dense
 * products, nested-loop convolution and pooling) and each neuron with one obvious update, in double precision.
 *
 * <p>State nodes are Input, the neurons, Delay and Output. A connection (S, T) is a path from state node S to state
 * node T through linear nodes only; it delivers S's output of step t - d, where d = 1 if the connection closes a cycle
 * (depth-first from the Inputs, nodes and successors in file order) or if S is an Input or neuron and the edge delay is 1;
 * a connection into an Output takes no step.
 */
final class NirReference
{
    private final NirGraph g;
    private final NirRunOptions o;
    private final List<String> stateNodes = new ArrayList<>();
    private final Map<String, Map<String, Integer>> connectionDelay = new HashMap<>();
    private final List<String> order = new ArrayList<>();
    private final Map<String, List<double[]>> history = new HashMap<>();
    private final Map<String, List<double[]>> delayInputs = new HashMap<>();
    private final Map<String, double[]> v = new HashMap<>();
    private final Map<String, double[]> current = new HashMap<>();
    private final Map<String, long[]> spikeCounts = new HashMap<>();
    private int t;

    NirReference(final NirGraph graph, final NirRunOptions options)
    {
        g = graph.flatten();
        o = options;
        for (final Map.Entry<String, NirNode> e : g.nodes().entrySet())
        {
            if (isState(e.getValue()))
            {
                stateNodes.add(e.getKey());
                final int n = size(e.getValue().outputShape() != null ? e.getValue().outputShape() : e.getValue().inputShape());
                history.put(e.getKey(), new ArrayList<>());
                spikeCounts.put(e.getKey(), new long[n]);
                if (e.getValue() instanceof NirNode.Delay)
                {
                    delayInputs.put(e.getKey(), new ArrayList<>());
                }
            }
        }
        findConnections();
        reset();
    }

    static boolean isState(final NirNode n)
    {
        return n instanceof NirNode.Input || n instanceof NirNode.Output || n instanceof NirNode.Delay || isNeuron(n);
    }

    static boolean isNeuron(final NirNode n)
    {
        return n instanceof NirNode.I || n instanceof NirNode.IF || n instanceof NirNode.LI || n instanceof NirNode.LIF
            || n instanceof NirNode.CubaLI || n instanceof NirNode.CubaLIF || n instanceof NirNode.Threshold;
    }

    static int size(final int[] shape)
    {
        int n = 1;
        for (final int d : shape)
        {
            n *= d;
        }
        return n;
    }

    /** The state nodes reached backwards from {@code name} through linear nodes. */
    private void upstream(final String name, final Set<String> out)
    {
        for (final String s : g.sources(name))
        {
            if (isState(g.node(s)))
            {
                out.add(s);
            }
            else
            {
                upstream(s, out);
            }
        }
    }

    private void findConnections()
    {
        final Map<String, List<String>> successors = new LinkedHashMap<>();
        for (final String s : stateNodes)
        {
            successors.put(s, new ArrayList<>());
        }
        for (final String target : stateNodes)
        {
            final Set<String> sources = new HashSet<>();
            upstream(target, sources);
            for (final String s : stateNodes)
            {
                if (sources.contains(s))
                {
                    successors.get(s).add(target);
                }
            }
        }
        // successors in file order: stateNodes is in file order and targets were added in that order
        final Set<String> visited = new HashSet<>();
        final Set<String> onPath = new HashSet<>();
        final Set<String> closing = new HashSet<>();
        final List<String> roots = new ArrayList<>();
        for (final String s : stateNodes)
        {
            if (g.node(s) instanceof NirNode.Input)
            {
                roots.add(s);
            }
        }
        roots.addAll(stateNodes);
        for (final String r : roots)
        {
            if (!visited.contains(r))
            {
                dfs(r, successors, visited, onPath, closing);
            }
        }
        for (final String s : stateNodes)
        {
            final Map<String, Integer> m = new HashMap<>();
            final NirNode n = g.node(s);
            final int edge = n instanceof NirNode.Input || isNeuron(n) ? o.edgeDelay() : 0;
            for (final String target : successors.get(s))
            {
                m.put(target, g.node(target) instanceof NirNode.Output ? 0 : Math.max(edge, closing.contains(s + "\u0000" + target) ? 1 : 0));
            }
            connectionDelay.put(s, m);
        }
        // update order: zero-delay connections point forward, ties in file order
        final Set<String> done = new HashSet<>();
        while (order.size() < stateNodes.size())
        {
            String next = null;
            for (final String candidate : stateNodes)
            {
                if (done.contains(candidate))
                {
                    continue;
                }
                boolean ready = true;
                for (final String s : stateNodes)
                {
                    final Integer d = connectionDelay.get(s).get(candidate);
                    if (d != null && d == 0 && !done.contains(s))
                    {
                        ready = false;
                    }
                }
                if (ready)
                {
                    next = candidate;
                    break;
                }
            }
            if (next == null)
            {
                throw new IllegalStateException("zero-delay cycle");
            }
            done.add(next);
            order.add(next);
        }
    }

    private void dfs(final String node, final Map<String, List<String>> successors, final Set<String> visited,
        final Set<String> onPath, final Set<String> closing)
    {
        visited.add(node);
        onPath.add(node);
        for (final String next : successors.get(node))
        {
            if (onPath.contains(next))
            {
                closing.add(node + "\u0000" + next);
            }
            else if (!visited.contains(next))
            {
                dfs(next, successors, visited, onPath, closing);
            }
        }
        onPath.remove(node);
    }

    void reset()
    {
        t = 0;
        for (final String s : stateNodes)
        {
            history.get(s).clear();
            java.util.Arrays.fill(spikeCounts.get(s), 0);
            final NirNode n = g.node(s);
            final int size = spikeCounts.get(s).length;
            if (delayInputs.containsKey(s))
            {
                delayInputs.get(s).clear();
            }
            final double[] v0 = new double[size];
            if (n instanceof NirNode.LI li)
            {
                copy(li.vLeak(), v0);
            }
            else if (n instanceof NirNode.LIF lif)
            {
                copy(lif.vLeak(), v0);
            }
            else if (n instanceof NirNode.CubaLI c)
            {
                copy(c.vLeak(), v0);
            }
            else if (n instanceof NirNode.CubaLIF c)
            {
                copy(c.vLeak(), v0);
            }
            v.put(s, v0);
            current.put(s, new double[size]);
        }
    }

    private static void copy(final NirTensor from, final double[] to)
    {
        for (int i = 0; i < to.length; i++)
        {
            to[i] = from.get(i);
        }
    }

    /** One step: {@code input} (raw data values, C order) to the single Input node. */
    void step(final double[] input)
    {
        final double spike = o.spikeValue();
        for (final String s : order)
        {
            final NirNode n = g.node(s);
            final double[] out;
            if (n instanceof NirNode.Input)
            {
                out = new double[input.length];
                for (int i = 0; i < input.length; i++)
                {
                    out[i] = input[i] * spike;
                }
            }
            else
            {
                final double[] x = new double[spikeCounts.get(s).length];
                for (final String src : g.sources(s))
                {
                    add(x, value(src, s));
                }
                out = update(s, n, x);
            }
            history.get(s).add(out);
        }
        t++;
    }

    private static void add(final double[] acc, final double[] x)
    {
        for (int i = 0; i < acc.length; i++)
        {
            acc[i] += x[i];
        }
    }

    /** What node {@code name} delivers to state node {@code target} at the current step. */
    private double[] value(final String name, final String target)
    {
        final NirNode n = g.node(name);
        if (isState(n))
        {
            final int d = connectionDelay.get(name).get(target);
            final List<double[]> h = history.get(name);
            final int at = t - d;
            return at >= 0 ? h.get(at) : new double[spikeCounts.get(name).length];
        }
        double[] x = null;
        for (final String src : g.sources(name))
        {
            final double[] y = value(src, target);
            if (x == null)
            {
                x = y.clone();
            }
            else
            {
                add(x, y);
            }
        }
        return linear(name, n, x);
    }

    private static double[] linear(final String name, final NirNode n, final double[] x)
    {
        if (n instanceof NirNode.Affine a)
        {
            final double[] y = ReferenceKernels.matVec(a.weight().toArray(), a.weight().dim(0), a.weight().dim(1), x);
            for (int i = 0; i < y.length; i++)
            {
                y[i] += a.bias().get(i);
            }
            return y;
        }
        if (n instanceof NirNode.Linear l)
        {
            return ReferenceKernels.matVec(l.weight().toArray(), l.weight().dim(0), l.weight().dim(1), x);
        }
        if (n instanceof NirNode.Scale s)
        {
            final double[] y = new double[x.length];
            for (int i = 0; i < y.length; i++)
            {
                y[i] = s.scale().get(i) * x[i];
            }
            return y;
        }
        if (n instanceof NirNode.Flatten)
        {
            return x;
        }
        if (n instanceof NirNode.Conv2d c)
        {
            final int[] in = c.inputShape();
            final NirTensor w = c.weight();
            return ReferenceKernels.conv2d(x, in[0], in[1], in[2], w.toArray(), w.dim(0), w.dim(2), w.dim(3), c.stride()[0],
                c.stride()[1], c.padding()[0], c.padding()[1], c.dilation()[0], c.dilation()[1], c.groups(), c.bias().toArray());
        }
        if (n instanceof NirNode.Conv1d c)
        {
            final int[] in = c.inputShape();
            final NirTensor w = c.weight();
            return ReferenceKernels.conv1d(x, in[0], in[1], w.toArray(), w.dim(0), w.dim(2), c.stride()[0], c.padding()[0],
                c.dilation()[0], c.groups(), c.bias().toArray());
        }
        if (n instanceof NirNode.SumPool2d p)
        {
            final int[] in = p.inputShape();
            return ReferenceKernels.pool2d(x, in[0], in[1], in[2], p.kernelSize()[0], p.kernelSize()[1], p.stride()[0],
                p.stride()[1], p.padding()[0], p.padding()[1], false);
        }
        if (n instanceof NirNode.AvgPool2d p)
        {
            final int[] in = p.inputShape();
            return ReferenceKernels.pool2d(x, in[0], in[1], in[2], p.kernelSize()[0], p.kernelSize()[1], p.stride()[0],
                p.stride()[1], p.padding()[0], p.padding()[1], true);
        }
        throw new IllegalArgumentException("reference: node '" + name + "' (" + n.type() + ") is not supported");
    }

    private double[] update(final String name, final NirNode n, final double[] x)
    {
        final double dt = o.dt();
        final boolean exact = o.discretization() == Discretization.EXACT;
        final double[] vs = v.get(name);
        final double[] is = current.get(name);
        final long[] counts = spikeCounts.get(name);
        final double[] out = new double[x.length];
        if (n instanceof NirNode.Output)
        {
            return x;
        }
        if (n instanceof NirNode.Delay d)
        {
            final List<double[]> inputs = delayInputs.get(name);
            inputs.add(x);
            for (int i = 0; i < out.length; i++)
            {
                final int k = (int)Math.round(d.delay().get(i) / dt);
                out[i] = t - k >= 0 ? inputs.get(t - k)[i] : 0.0;
            }
            return out;
        }
        if (n instanceof NirNode.Threshold th)
        {
            for (int i = 0; i < out.length; i++)
            {
                if (crosses(x[i], th.threshold().get(i)))
                {
                    out[i] = o.spikeValue();
                    counts[i]++;
                }
            }
            return out;
        }
        for (int i = 0; i < out.length; i++)
        {
            double threshold = Double.NaN;
            double vReset = 0.0;
            if (n instanceof NirNode.I in)
            {
                vs[i] += dt * in.r().get(i) * x[i];
            }
            else if (n instanceof NirNode.IF f)
            {
                vs[i] += dt * f.r().get(i) * x[i];
                threshold = f.vThreshold().get(i);
                vReset = f.vReset().get(i);
            }
            else if (n instanceof NirNode.LI li)
            {
                vs[i] = leaky(vs[i], li.tau().get(i), li.vLeak().get(i), li.r().get(i) * x[i], exact, dt);
            }
            else if (n instanceof NirNode.LIF lif)
            {
                vs[i] = leaky(vs[i], lif.tau().get(i), lif.vLeak().get(i), lif.r().get(i) * x[i], exact, dt);
                threshold = lif.vThreshold().get(i);
                vReset = lif.vReset().get(i);
            }
            else if (n instanceof NirNode.CubaLI c)
            {
                cuba(vs, is, i, x[i], c.tauSyn().get(i), c.tauMem().get(i), c.r().get(i), c.vLeak().get(i), c.wIn().get(i), exact, dt);
            }
            else if (n instanceof NirNode.CubaLIF c)
            {
                cuba(vs, is, i, x[i], c.tauSyn().get(i), c.tauMem().get(i), c.r().get(i), c.vLeak().get(i), c.wIn().get(i), exact, dt);
                threshold = c.vThreshold().get(i);
                vReset = c.vReset().get(i);
            }
            else
            {
                throw new IllegalArgumentException("reference: node '" + name + "' (" + n.type() + ") is not supported");
            }
            if (Double.isNaN(threshold))
            {
                out[i] = vs[i];
            }
            else if (crosses(vs[i], threshold))
            {
                vs[i] = o.reset() == Reset.TO_V_RESET ? vReset : vs[i] - (threshold - vReset);
                out[i] = o.spikeValue();
                counts[i]++;
            }
        }
        return out;
    }

    private boolean crosses(final double value, final double threshold)
    {
        return o.thresholdTest() == ThresholdTest.STRICT ? value > threshold : value >= threshold;
    }

    /** tau dv/dt = vLeak - v + drive, drive held over the step. */
    private static double leaky(final double v, final double tau, final double vLeak, final double drive, final boolean exact,
        final double dt)
    {
        if (exact)
        {
            final double a = Math.exp(-dt / tau);
            return vLeak + drive + (v - vLeak - drive) * a;
        }
        return v + dt / tau * (vLeak - v + drive);
    }

    /** tauSyn dI/dt = -I + wIn x; tauMem dv/dt = vLeak - v + r I. */
    private void cuba(final double[] vs, final double[] is, final int i, final double x, final double tauSyn, final double tauMem,
        final double r, final double vLeak, final double wIn, final boolean exact, final double dt)
    {
        final double target = wIn * x;
        final double i0 = is[i];
        final double i1 = exact ? target + (i0 - target) * Math.exp(-dt / tauSyn) : i0 + dt / tauSyn * (target - i0);
        if (o.currentOrder() == CurrentOrder.UPDATED)
        {
            vs[i] = leaky(vs[i], tauMem, vLeak, r * i1, exact, dt);
        }
        else if (!exact)
        {
            vs[i] = leaky(vs[i], tauMem, vLeak, r * i0, false, dt);
        }
        else
        {
            // the coupled solution: I(s) = target + (i0 - target) e^(-s/tauSyn) driving v over the step
            final double em = Math.exp(-dt / tauMem);
            final double es = Math.exp(-dt / tauSyn);
            final double c = tauSyn == tauMem ? dt / tauMem * em : tauSyn / (tauSyn - tauMem) * (es - em);
            final double vInf = vLeak + r * target;
            vs[i] = vInf + (vs[i] - vInf) * em + r * (i0 - target) * c;
        }
        is[i] = i1;
    }

    /** Spikes counted per neuron of node {@code name} since the last reset. */
    long[] spikeCounts(final String name)
    {
        return spikeCounts.get(name).clone();
    }

    /** Output of node {@code name} at the last step (spike values for spiking nodes, v for the others). */
    double[] lastOutput(final String name)
    {
        final List<double[]> h = history.get(name);
        return h.get(h.size() - 1).clone();
    }

    /** Membrane potentials of node {@code name} after the last step. */
    double[] voltage(final String name)
    {
        return v.get(name).clone();
    }

    /** The state nodes (Input, neurons, Delay, Output), file order. */
    List<String> stateNodes()
    {
        return List.copyOf(stateNodes);
    }
}
