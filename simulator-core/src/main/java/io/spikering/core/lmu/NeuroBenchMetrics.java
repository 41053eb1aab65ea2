package io.spikering.core.lmu;

import com.google.gson.JsonObject;
import io.spikering.core.engine.Network;
import io.spikering.core.engine.OpCounter.Op;
import io.spikering.core.engine.Population;
import io.spikering.core.engine.PopulationKind;
import io.spikering.core.engine.Projection;
import io.spikering.neuron.Activation;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * NeuroBench's metrics (neurobench/metrics/static, neurobench/metrics/workload), under their names, from a run's
 * {@link OpTotals} (docs/neurobench.md). Connection layers are the projections that are not one-to-one; activation
 * layers are the sigma-delta, LIF and non-identity rate populations; spiking neuron layers are the sigma-delta and
 * LIF populations. Workload metrics are per sample.
 *
 * @param footprintBytes        Footprint: bytes of the model's parameters and buffers.
 * @param connectionSparsity    ConnectionSparsity: zero weights / all weights of the connection layers.
 * @param activationSparsity    ActivationSparsity: zero outputs / all outputs of the activation layers, over their steps.
 * @param dense                 SynapticOperations Dense: every weight of every connection layer on every step it is used.
 * @param effectiveMacs         SynapticOperations Effective_MACs: non-zero input x non-zero weight, on steps with an
 *                              input value outside {-1, 0, +1} (a graded sigma-delta event is one op).
 * @param effectiveAcs          SynapticOperations Effective_ACs: the same on steps whose inputs are all in {-1, 0, +1}.
 * @param membraneUpdates       MembraneUpdates: state updates of the spiking neurons.
 * @param neuronOpsEffective    NeuronOperations "Effective Neuron Ops": membrane updates x ops per update.
 * @param neuronOpsDense        NeuronOperations "Neuron Dense Ops": every spiking neuron on every active step x ops per update.
 */
public record NeuroBenchMetrics(long footprintBytes, double connectionSparsity, double activationSparsity, double dense,
    double effectiveMacs, double effectiveAcs, double membraneUpdates, double neuronOpsEffective, double neuronOpsDense)
{
    /** Ops per update of a sigma-delta neuron (NeuroBench's "Leaky" with reset by subtraction: v += x, v -= c). */
    public static final int SIGMA_DELTA_OPS = 4;
    /** Ops per update of a CUBA LIF neuron (NeuroBench's "Synaptic", reset to a potential). */
    public static final int LIF_OPS = 8;

    /** The metrics of {@code samples} samples counted in {@code ops}, for a model of {@code footprintBytes}. */
    public static NeuroBenchMetrics of(final OpTotals ops, final long samples, final long footprintBytes)
    {
        if (samples < 1)
        {
            throw new IllegalArgumentException("samples must be >= 1, got " + samples);
        }
        final Network net = ops.network();
        long weights = 0;
        long zeros = 0;
        long dense = 0;
        long effective = 0;
        long acs = 0;
        for (int r = 0; r < net.projectionCount(); r++)
        {
            final Projection p = net.projection(r);
            if (p.isOneToOne())
            {
                continue;
            }
            final long all = (long)p.sourceSize() * p.targetSize();
            weights += all;
            zeros += all - p.nonZeroWeights();
            dense += all * ops.projectionSteps(r);
            effective += ops.projection(r, Op.ROW_ADDS) + ops.projection(r, Op.MACS_EFFECTIVE);
            acs += ops.binaryInputOps(r);
        }
        long outputs = 0;
        long nonZero = 0;
        long updates = 0;
        long neuronOps = 0;
        for (int id = 0; id < net.populationCount(); id++)
        {
            final Population p = net.population(id);
            final PopulationKind kind = p.kind();
            final boolean spiking = kind == PopulationKind.SIGMA_DELTA || kind == PopulationKind.LIF;
            if (spiking || kind == PopulationKind.RATE && p.activation() != Activation.LINEAR)
            {
                outputs += (long)p.outputSize() * ops.populationSteps(id);
                nonZero += ops.nonZeroOutputs(id);
            }
            if (spiking)
            {
                final long u = ops.population(id, Op.NEURON_UPDATES);
                updates += u;
                neuronOps += u * (kind == PopulationKind.LIF ? LIF_OPS : SIGMA_DELTA_OPS);
            }
        }
        final double n = samples;
        return new NeuroBenchMetrics(footprintBytes, weights == 0 ? 0.0 : (double)zeros / weights,
            outputs == 0 ? 0.0 : (double)(outputs - nonZero) / outputs, dense / n, (effective - acs) / n, acs / n, updates / n,
            neuronOps / n, neuronOps / n);
    }

    /** Bytes of float32 tensors (parameters and buffers), e.g. {@link LmuFile#tensors()}. */
    public static long footprint(final Map<String, float[]> tensors)
    {
        long floats = 0;
        for (final float[] t : tensors.values())
        {
            floats += t.length;
        }
        return Float.BYTES * floats;
    }

    /** NeuroBench's result layout: {"Footprint": …, "SynapticOperations": {"Effective_MACs": …, …}, …}. */
    public JsonObject toJson()
    {
        final JsonObject o = new JsonObject();
        o.addProperty("Footprint", footprintBytes);
        o.addProperty("ConnectionSparsity", connectionSparsity);
        o.addProperty("ActivationSparsity", activationSparsity);
        final JsonObject syn = new JsonObject();
        syn.addProperty("Effective_MACs", effectiveMacs);
        syn.addProperty("Effective_ACs", effectiveAcs);
        syn.addProperty("Dense", dense);
        o.add("SynapticOperations", syn);
        o.addProperty("MembraneUpdates", membraneUpdates);
        final JsonObject neuron = new JsonObject();
        neuron.addProperty("Effective Neuron Ops", neuronOpsEffective);
        neuron.addProperty("Neuron Dense Ops", neuronOpsDense);
        o.add("NeuronOperations", neuron);
        return o;
    }

    /** A text table, one row per metric and one column per run, e.g. {@code table(List.of("spiking", "non-spiking"), a, b)}. */
    public static String table(final List<String> columns, final NeuroBenchMetrics... runs)
    {
        if (columns.size() != runs.length)
        {
            throw new IllegalArgumentException(columns.size() + " column names for " + runs.length + " runs");
        }
        final StringBuilder s = new StringBuilder(String.format(Locale.ROOT, "%-36s", ""));
        for (final String c : columns)
        {
            s.append(String.format(Locale.ROOT, " %16s", c));
        }
        s.append('\n');
        final String[] names = {"Footprint (bytes)", "ConnectionSparsity", "ActivationSparsity", "SynapticOperations Dense",
            "SynapticOperations Effective_MACs", "SynapticOperations Effective_ACs", "MembraneUpdates", "NeuronOperations Effective",
            "NeuronOperations Dense"};
        for (int row = 0; row < names.length; row++)
        {
            s.append(String.format(Locale.ROOT, "%-36s", names[row]));
            for (final NeuroBenchMetrics m : runs)
            {
                final double v = switch (row)
                {
                    case 0 -> m.footprintBytes;
                    case 1 -> m.connectionSparsity;
                    case 2 -> m.activationSparsity;
                    case 3 -> m.dense;
                    case 4 -> m.effectiveMacs;
                    case 5 -> m.effectiveAcs;
                    case 6 -> m.membraneUpdates;
                    case 7 -> m.neuronOpsEffective;
                    default -> m.neuronOpsDense;
                };
                s.append(row == 1 || row == 2 ? String.format(Locale.ROOT, " %16.4f", v) : String.format(Locale.ROOT, " %,16.0f", v));
            }
            s.append('\n');
        }
        return s.toString();
    }
}
