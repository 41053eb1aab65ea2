package io.spikering.core.engine;

import io.spikering.neuron.Activation;

/**
 * Immutable description of one population of a {@link Network}. {@link #inputSize()} is the width of each input port
 * (what projections deliver into), {@link #outputSize()} the number of emitting units (what projections read from);
 * they differ only for a state space (channels in, channels * order out).
 */
public final class Population
{
    final int id;
    final String name;
    final PopulationKind kind;
    final int inputSize;
    final int outputSize;
    final Activation activation;
    final Quantization quantization;
    final int channels;
    final double[][] stateA;
    final double[] stateB;
    final LifSpec lif;
    /** NEURON: parameters and discretization (null otherwise). */
    NeuronDynamics dynamics;
    float[] bias;
    long activeFrom;
    long activeUntil = Long.MAX_VALUE;
    double integratorScale = Double.NaN;
    float[] outputBias;
    int windowFrom;
    int windowUntil;
    /** LINEAR_FILTER: impulse row k at [k * rowLength, (k + 1) * rowLength), shared by every simulator. */
    double[] impulseRows;
    int rowLength;
    /** LINEAR_FILTER: non-zero entries of rows [0, k) at index k. */
    int[] rowNonZeroPrefix;
    double[][] filterOutputs;
    boolean deferFilterInputs = true;
    /** Some projection delivers into the SIGMA port (its running total is part of the input). */
    boolean sigmaInput;

    Population(
        final int id,
        final String name,
        final PopulationKind kind,
        final int inputSize,
        final int outputSize,
        final Activation activation,
        final Quantization quantization,
        final int channels,
        final double[][] stateA,
        final double[] stateB,
        final LifSpec lif)
    {
        this.id = id;
        this.name = name;
        this.kind = kind;
        this.inputSize = inputSize;
        this.outputSize = outputSize;
        this.activation = activation;
        this.quantization = quantization;
        this.channels = channels;
        this.stateA = stateA;
        this.stateB = stateB;
        this.lif = lif;
    }

    public int id()
    {
        return id;
    }

    public String name()
    {
        return name;
    }

    public PopulationKind kind()
    {
        return kind;
    }

    public int inputSize()
    {
        return inputSize;
    }

    public int outputSize()
    {
        return outputSize;
    }

    /** Number of input ports: 2 for LIF (excitatory, inhibitory), 0 for inputs, 1 otherwise. */
    public int portCount()
    {
        return kind == PopulationKind.LIF ? 2 : kind == PopulationKind.INPUT ? 0 : 1;
    }

    /** Whether the population emits events (neuron, count) rather than a dense vector. */
    public boolean isSpiking()
    {
        return kind == PopulationKind.SIGMA_DELTA || kind == PopulationKind.LIF || quantization != null ||
            dynamics != null && dynamics.model().isSpiking();
    }

    /** Parameters of a NEURON population (null otherwise). */
    public NeuronDynamics dynamics()
    {
        return dynamics;
    }

    /** Activation of a RATE population (null otherwise). */
    public Activation activation()
    {
        return activation;
    }

    /** Quantizer parameters of a SIGMA_DELTA or quantized STATE_SPACE population (null otherwise). */
    public Quantization quantization()
    {
        return quantization;
    }

    /**
     * Value of one count: amplitude / dt for quantized populations, 1 for LIF, the spike value of a spiking NEURON
     * population, NaN for dense populations.
     */
    public double outputScale()
    {
        return quantization != null ? quantization.outputScale() : kind == PopulationKind.LIF ? 1.0 :
            isSpiking() ? dynamics.spikeValue() : Double.NaN;
    }

    /** Channels of a STATE_SPACE population (its input size); 0 otherwise. */
    public int channels()
    {
        return channels;
    }

    /** Order d of a STATE_SPACE population; 0 otherwise. */
    public int order()
    {
        return stateB == null ? 0 : stateB.length;
    }

    /** Copy of the state matrix A (d x d) of a STATE_SPACE population, or null. */
    public double[][] stateA()
    {
        if (stateA == null)
        {
            return null;
        }
        final double[][] copy = new double[stateA.length][];
        for (int i = 0; i < copy.length; i++)
        {
            copy[i] = stateA[i].clone();
        }
        return copy;
    }

    /** Copy of the input vector B (length d) of a STATE_SPACE population, or null. */
    public double[] stateB()
    {
        return stateB == null ? null : stateB.clone();
    }

    /** Neuron parameters (ms, pF, mV) of a LIF population, or null (for exporters such as NIR's). */
    public io.spikering.neuron.CubaLif.Parameters lifParameters()
    {
        return lif == null ? null : lif.parameters();
    }

    /** Integration step (ms) of a LIF population, or NaN. */
    public double lifDtMs()
    {
        return lif == null ? Double.NaN : lif.dtMs();
    }

    /** Copy of the initial membrane potentials (mV) of a LIF population, or null when it starts at rest. */
    public double[] lifInitialMembraneMv()
    {
        return lif == null || lif.initialMembraneMv() == null ? null : lif.initialMembraneMv().clone();
    }

    /** Copy of the bias added to the (excitatory) input each step, or null. */
    public float[] bias()
    {
        return bias == null ? null : bias.clone();
    }

    /** First step at which the population updates (see {@link Network.Builder#activeWindow}); 0 by default. */
    public long activeFrom()
    {
        return activeFrom;
    }

    /** Step from which the population no longer updates (exclusive); Long.MAX_VALUE by default. */
    public long activeUntil()
    {
        return activeUntil;
    }

    /** Whether the population updates at {@code step}; outside its active window it is silent and receives nothing. */
    public boolean isActive(final long step)
    {
        return step >= activeFrom && step < activeUntil;
    }

    /** Output scale of an INTEGRATOR (NaN otherwise). */
    public double integratorScale()
    {
        return integratorScale;
    }

    /** Output window [windowFrom, windowUntil) of a LINEAR_FILTER (0, 0 otherwise). */
    public int windowFrom()
    {
        return windowFrom;
    }

    public int windowUntil()
    {
        return windowUntil;
    }

    /**
     * Whether a single-channel LINEAR_FILTER keeps the inputs before its window and adds them all at the window's first
     * step (true, the default: fastest in total) or adds each input's rows when it arrives (false: no burst).
     */
    public boolean deferFilterInputs()
    {
        return deferFilterInputs;
    }

    /** Copy of the output matrix C of a LINEAR_FILTER (null: the output is the state m itself). */
    public double[][] filterOutputs()
    {
        if (filterOutputs == null)
        {
            return null;
        }
        final double[][] copy = new double[filterOutputs.length][];
        for (int i = 0; i < copy.length; i++)
        {
            copy[i] = filterOutputs[i].clone();
        }
        return copy;
    }

    @Override
    public String toString()
    {
        return "population #" + id + " '" + name + "' (" + kind + ", " + inputSize + " in, " + outputSize + " out)";
    }
}
