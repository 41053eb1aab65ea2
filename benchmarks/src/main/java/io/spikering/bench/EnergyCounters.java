package io.spikering.bench;

import io.spikering.core.energy.EnergyProfile;
import io.spikering.core.energy.EnergyProfiles;
import io.spikering.core.energy.OpKind;
import io.spikering.core.engine.OpCounter;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;

import java.util.List;

/**
 * JMH secondary metrics of a benchmark that runs a network: the engine's operation counts (field names are the
 * {@link OpKind} keys) and the estimated energy on each built-in device profile ({@link EnergyProfiles#builtIn()},
 * {@code nJ_<profile>}, an estimate: see docs/energy.md), next to {@code operations}, the number of benchmark
 * operations they were counted over. One JMH result file then holds the time and the estimated energy of the same
 * operation: per operation = metric / operations.
 *
 * <p>JMH zeroes these fields at the start of each iteration and sums them over the iterations
 * ({@code Type.EVENTS}), so each is a total over the measured iterations, and so is {@code operations}.
 * {@link #record} is allocation-free: the per-count energies are precomputed.
 */
@State(Scope.Thread)
@AuxCounters(AuxCounters.Type.EVENTS)
public class EnergyCounters
{
    private static final OpCounter.Op[] OPS = OpCounter.Op.values();

    public long operations;
    public double events;
    public double synops;
    public double row_adds;
    public double shift_adds;
    public double macs_effective;
    public double macs_dense;
    public double neuron_updates;

    public double nJ_horowitz45_fp32;
    public double nJ_horowitz45_fp32_sram;
    public double nJ_horowitz45_int8;
    public double nJ_loihi;
    public double nJ_spinnaker;
    public double nJ_spinnaker2;
    public double nJ_cpu;
    public double nJ_gpu;
    public double nJ_arm;

    /** [profile in {@link EnergyProfiles#NAMES} order][op kind]: nJ per counted operation. */
    private final double[][] nanojoulesPerOp;
    private final long[] last = new long[OPS.length];
    private final double[] delta = new double[OPS.length];
    private final double[] energy = new double[EnergyProfiles.NAMES.size()];
    private OpCounter counter;

    public EnergyCounters()
    {
        final List<EnergyProfile> profiles = EnergyProfiles.builtIn();
        if (OpKind.values().length != OPS.length)
        {
            throw new IllegalStateException("OpKind and OpCounter.Op disagree: " + OpKind.keys());
        }
        nanojoulesPerOp = new double[profiles.size()][OPS.length];
        for (int p = 0; p < profiles.size(); p++)
        {
            for (final OpKind kind : OpKind.values())
            {
                final EnergyProfile profile = profiles.get(p);
                nanojoulesPerOp[p][kind.ordinal()] = (profile.computePj(kind) + profile.memoryPj(kind)) * 1e-3;
            }
        }
    }

    /**
     * After each benchmark operation: {@code operationsDone} more operations whose counts are in {@code ops} (the
     * counter's totals; the difference since the last call is added). The first call (or a call with another
     * counter) only attaches.
     */
    public void record(final OpCounter ops, final int operationsDone)
    {
        if (ops != counter)
        {
            counter = ops;
            for (int k = 0; k < OPS.length; k++)
            {
                last[k] = ops.total(OPS[k]);
            }
            return;
        }
        operations += operationsDone;
        for (int k = 0; k < OPS.length; k++)
        {
            final long total = ops.total(OPS[k]);
            delta[k] = total - last[k];
            last[k] = total;
        }
        for (int p = 0; p < energy.length; p++)
        {
            double sum = 0;
            for (int k = 0; k < OPS.length; k++)
            {
                sum += delta[k] * nanojoulesPerOp[p][k];
            }
            energy[p] = sum;
        }
        publish();
    }

    /** Estimated nJ of one counted operation of {@code kind} on the built-in profile at {@code index} of NAMES. */
    double nanojoulesPer(final int index, final OpKind kind)
    {
        return nanojoulesPerOp[index][kind.ordinal()];
    }

    private void publish()
    {
        events += delta[0];
        synops += delta[1];
        row_adds += delta[2];
        shift_adds += delta[3];
        macs_effective += delta[4];
        macs_dense += delta[5];
        neuron_updates += delta[6];
        nJ_horowitz45_fp32 += energy[0];
        nJ_horowitz45_fp32_sram += energy[1];
        nJ_horowitz45_int8 += energy[2];
        nJ_loihi += energy[3];
        nJ_spinnaker += energy[4];
        nJ_spinnaker2 += energy[5];
        nJ_cpu += energy[6];
        nJ_gpu += energy[7];
        nJ_arm += energy[8];
    }
}
