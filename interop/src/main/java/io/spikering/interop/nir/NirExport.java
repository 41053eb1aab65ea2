package io.spikering.interop.nir;

import io.spikering.core.engine.Network;
import io.spikering.core.engine.Population;
import io.spikering.core.engine.PopulationKind;
import io.spikering.core.engine.Port;
import io.spikering.core.engine.Projection;
import io.spikering.neuron.CubaLif;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes the LIF parts of an engine {@link Network} (its current-based LIF populations, NEST's iaf_psc_exp, and the
 * projections between them) as a NIR graph, in SI units: seconds, volts, amperes, ohms. Per population p:
 * <ul>
 *   <li>equal excitatory and inhibitory synaptic time constants: one CubaLIF "p" (tau_syn, tau_mem = τm,
 *       r = τm/Cm, v_leak = E_L, v_threshold, v_reset, w_in = tau_syn so that a spike through weight w raises the
 *       current by w amperes);</li>
 *   <li>different ones (CUBA: 5 and 10 ms): NIR's CubaLIF has one synaptic time constant, so LI "p_syn_ex" and
 *       "p_syn_in" (tau = r = the synapse's time constant, v_leak 0: the synaptic currents) both feed LIF "p".</li>
 * </ul>
 * A projection becomes Linear "&lt;source&gt;_to_&lt;target&gt;_ex|_in" (weight [target, source], amperes), then a Delay of its
 * delay steps times dt when it has one. Each population gets an Input "p_input" (an external current drive, its
 * excitatory synapse) and an Output "p_output" (its spikes); a projection from a non-LIF population enters through an
 * Input named after that population. NIR cannot express a refractory period: a population with one is refused unless
 * {@code dropRefractory}. Initial membrane potentials, dt and what was dropped go to the metadata.
 */
public final class NirExport
{
    private static final double MS = 1e-3;
    private static final double MV = 1e-3;
    private static final double PA = 1e-12;
    private static final double PF = 1e-12;

    private NirExport()
    {
    }

    public static NirGraph lifParts(final Network network, final boolean dropRefractory, final String description)
    {
        final Map<String, NirNode> nodes = new LinkedHashMap<>();
        final List<NirEdge> edges = new ArrayList<>();
        final Map<String, Object> meta = new LinkedHashMap<>();
        meta.put("source", description);
        meta.put("units", "SI: seconds, volts, amperes, ohms; spikes are unit-area impulses (NIR's continuous time)");
        final List<String> dropped = new ArrayList<>();
        double dtMs = Double.NaN;
        for (int id = 0; id < network.populationCount(); id++)
        {
            final Population p = network.population(id);
            if (p.kind() != PopulationKind.LIF)
            {
                continue;
            }
            final CubaLif.Parameters lp = p.lifParameters();
            if (lp.tRefMs() > 0)
            {
                if (!dropRefractory)
                {
                    throw new IllegalArgumentException("population '" + p.name() + "' has a " + lp.tRefMs() + " ms refractory"
                        + " period, which NIR cannot express; export without it only knowingly (--drop-refractory)");
                }
                dropped.add(p.name() + ": refractory period " + lp.tRefMs() + " ms");
            }
            dtMs = p.lifDtMs();
            final int[] shape = {p.outputSize()};
            final NirTensor tauMem = NirTensor.filled(shape, lp.tauMs() * MS);
            final NirTensor r = NirTensor.filled(shape, lp.tauMs() * MS / (lp.cmPf() * PF));
            final NirTensor vLeak = NirTensor.filled(shape, lp.eLMv() * MV);
            final NirTensor vTh = NirTensor.filled(shape, lp.vThMv() * MV);
            final NirTensor vReset = NirTensor.filled(shape, lp.vResetMv() * MV);
            if (merged(lp))
            {
                final NirTensor tauSyn = NirTensor.filled(shape, lp.tauExMs() * MS);
                nodes.put(p.name(), new NirNode.CubaLIF(tauSyn, tauMem, r, vLeak, vTh, vReset, tauSyn));
            }
            else
            {
                nodes.put(p.name() + "_syn_ex", synapse(shape, lp.tauExMs() * MS));
                nodes.put(p.name() + "_syn_in", synapse(shape, lp.tauInMs() * MS));
                nodes.put(p.name(), new NirNode.LIF(tauMem, r, vLeak, vTh, vReset));
                edges.add(new NirEdge(p.name() + "_syn_ex", p.name()));
                edges.add(new NirEdge(p.name() + "_syn_in", p.name()));
            }
            nodes.put(p.name() + "_input", new NirNode.Input(shape));
            edges.add(new NirEdge(p.name() + "_input", entry(p, Port.EXCITATORY)));
            nodes.put(p.name() + "_output", new NirNode.Output(shape));
            edges.add(new NirEdge(p.name(), p.name() + "_output"));
            final double[] v0 = p.lifInitialMembraneMv();
            if (v0 != null)
            {
                final double[] volts = new double[v0.length];
                for (int i = 0; i < v0.length; i++)
                {
                    volts[i] = v0[i] * MV;
                }
                meta.put("initial_v_" + p.name(), new NirTensor(shape, volts));
            }
        }
        if (nodes.isEmpty())
        {
            throw new IllegalArgumentException("the network has no LIF population: nothing NIR can express");
        }
        for (int id = 0; id < network.projectionCount(); id++)
        {
            final Projection pr = network.projection(id);
            final Population source = network.population(pr.source());
            final Population target = network.population(pr.target());
            if (target.kind() != PopulationKind.LIF)
            {
                dropped.add("projection " + source.name() + " -> " + target.name() + " (target not LIF)");
                continue;
            }
            String from = source.name();
            if (source.kind() != PopulationKind.LIF && !nodes.containsKey(from))
            {
                nodes.put(from, new NirNode.Input(new int[] {source.outputSize()}));
            }
            final String name = source.name() + "_to_" + target.name() + (pr.port() == Port.INHIBITORY ? "_in" : "_ex");
            nodes.put(name, new NirNode.Linear(transposedAmperes(pr)));
            edges.add(new NirEdge(from, name));
            from = name;
            if (pr.delay() > 0)
            {
                nodes.put(name + "_delay", new NirNode.Delay(NirTensor.filled(new int[] {target.outputSize()},
                    pr.delay() * target.lifDtMs() * MS)));
                edges.add(new NirEdge(from, name + "_delay"));
                from = name + "_delay";
            }
            edges.add(new NirEdge(from, entry(target, pr.port())));
        }
        meta.put("dt", NirTensor.scalar(dtMs * MS));
        if (!dropped.isEmpty())
        {
            meta.put("dropped", String.join("; ", dropped));
        }
        return new NirGraph(nodes, edges, meta, "");
    }

    private static boolean merged(final CubaLif.Parameters lp)
    {
        return lp.tauExMs() == lp.tauInMs();
    }

    private static String entry(final Population p, final Port port)
    {
        return merged(p.lifParameters()) ? p.name() : p.name() + (port == Port.INHIBITORY ? "_syn_in" : "_syn_ex");
    }

    /** Current synapse as NIR's LI: tau dI/dt = -I + tau·x, so a unit-area spike of weight w adds w to I. */
    private static NirNode.LI synapse(final int[] shape, final double tauSeconds)
    {
        return new NirNode.LI(NirTensor.filled(shape, tauSeconds), NirTensor.filled(shape, tauSeconds), NirTensor.filled(shape, 0.0));
    }

    /** The engine's [source][target] weights (pA) as NIR's [target, source] (A). */
    private static NirTensor transposedAmperes(final Projection pr)
    {
        final float[][] w = pr.toDense();
        final int sources = pr.sourceSize();
        final int targets = pr.targetSize();
        NirTensor.checkedSize(new int[] {targets, sources});
        final double[] out = new double[targets * sources];
        for (int s = 0; s < sources; s++)
        {
            for (int t = 0; t < targets; t++)
            {
                out[t * sources + s] = w[s][t] * PA;
            }
        }
        return new NirTensor(new int[] {targets, sources}, out);
    }
}
