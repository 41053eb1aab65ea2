package io.spikering.core.engine;

import io.spikering.neuron.Activation;
import io.spikering.neuron.CubaLif;
import io.spikering.neuron.LegendreMemory;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * An immutable network of populations and projections, built with {@link #builder()}. Zero-delay projections form
 * no cycle; {@link #order()} is the update order in which every zero-delay projection points forward.
 */
public final class Network
{
    /** Default upper bound on projection delays, in steps (rings are sized by the actual longest delay). */
    public static final int DEFAULT_MAX_DELAY = 1024;

    final Population[] populations;
    final Projection[] projections;
    final int[] order;
    final int[][] outgoing;
    final int[] maxIncomingDelay;
    final long fingerprint;

    private Network(final Population[] populations, final Projection[] projections, final int[] order)
    {
        this.populations = populations;
        this.projections = projections;
        this.order = order;
        outgoing = new int[populations.length][];
        maxIncomingDelay = new int[populations.length];
        for (final Population p : populations)
        {
            outgoing[p.id] = Arrays.stream(projections).filter(r -> r.source == p.id).mapToInt(r -> r.id).toArray();
        }
        for (final Projection r : projections)
        {
            maxIncomingDelay[r.target] = Math.max(maxIncomingDelay[r.target], r.delay);
        }
        fingerprint = computeFingerprint();
    }

    private long computeFingerprint()
    {
        long h = 0xcbf29ce484222325L;
        for (final Population p : populations)
        {
            h = mix(h, p.kind.ordinal());
            h = mix(h, p.inputSize);
            h = mix(h, p.outputSize);
            h = mix(h, p.name.hashCode());
        }
        for (final Projection r : projections)
        {
            h = mix(h, r.source);
            h = mix(h, r.target);
            h = mix(h, r.delay);
            h = mix(h, r.port.ordinal());
            final float[][] rows = r.denseRows != null ? r.denseRows : r.sparseWeights;
            for (int i = 0; i < rows.length; i++)
            {
                for (int k = 0; k < rows[i].length; k++)
                {
                    h = mix(h, Float.floatToRawIntBits(rows[i][k]));
                    h = mix(h, r.sparseTargets != null ? r.sparseTargets[i][k] : k);
                }
            }
        }
        return h;
    }

    private static long mix(final long h, final long v)
    {
        return (h ^ v) * 0x100000001b3L;
    }

    /** A 64-bit hash of the structure and weights, used to check that a saved state belongs to this network. */
    public long fingerprint()
    {
        return fingerprint;
    }

    public static Builder builder()
    {
        return new Builder();
    }

    public int populationCount()
    {
        return populations.length;
    }

    public Population population(final int id)
    {
        return populations[id];
    }

    /** The population called {@code name}; IllegalArgumentException listing the names if there is none. */
    public Population population(final String name)
    {
        for (final Population p : populations)
        {
            if (p.name.equals(name))
            {
                return p;
            }
        }
        throw new IllegalArgumentException("no population named '" + name + "'; populations are " +
            Arrays.stream(populations).map(Population::name).toList());
    }

    public int projectionCount()
    {
        return projections.length;
    }

    public Projection projection(final int id)
    {
        return projections[id];
    }

    /** Ids of the projections leaving population {@code id}, ascending (the order they are delivered in). */
    public int[] outgoing(final int id)
    {
        return outgoing[id].clone();
    }

    /** Population ids in update order (zero-delay projections point forward; ties by ascending id). */
    public int[] order()
    {
        return order.clone();
    }

    /** Longest delay of any projection into population {@code id} (0 if none). */
    public int maxIncomingDelay(final int id)
    {
        return maxIncomingDelay[id];
    }

    /** Builds a {@link Network}; every method validates its arguments and names the offending population. */
    public static final class Builder
    {
        private final List<Population> populations = new ArrayList<>();
        private final List<Projection> projections = new ArrayList<>();
        private final Map<String, Integer> names = new HashMap<>();
        private int maxDelay = DEFAULT_MAX_DELAY;
        private boolean built;

        private Builder()
        {
        }

        /** Upper bound on projection delays (ring size limit); default {@link #DEFAULT_MAX_DELAY}. */
        public Builder maxDelay(final int maxDelay)
        {
            if (maxDelay < 0 || maxDelay > (1 << 20))
            {
                throw new IllegalArgumentException("maxDelay must be in [0, 1048576], got " + maxDelay);
            }
            this.maxDelay = maxDelay;
            return this;
        }

        /** Values fed each step through {@link Simulator#setInput(int, double[])}. Returns the population id. */
        public int input(final String name, final int size)
        {
            return add(name, PopulationKind.INPUT, size, size, null, null, 0, null, null, null);
        }

        /** Non-spiking neurons: output = activation(input + bias). */
        public int rate(final String name, final int size, final Activation activation)
        {
            requireNonNull(activation, "activation", name);
            return add(name, PopulationKind.RATE, size, size, activation, null, 0, null, null, null);
        }

        /** Sigma-delta quantized neurons (events with value count * amplitude / dt). */
        public int sigmaDelta(final String name, final int size, final Quantization quantization)
        {
            requireNonNull(quantization, "quantization", name);
            return add(name, PopulationKind.SIGMA_DELTA, size, size, null, quantization, 0, null, null, null);
        }

        /** Current-based LIF neurons (ports EXCITATORY and INHIBITORY, inputs in pA) starting from CubaLif's rest. */
        public int lif(final String name, final int size, final CubaLif.Parameters parameters, final double dtMs)
        {
            return lif(name, size, parameters, dtMs, null);
        }

        /**
         * Current-based LIF neurons with initial membrane potentials (mV, length size), also restored on reset.
         */
        public int lif(
            final String name,
            final int size,
            final CubaLif.Parameters parameters,
            final double dtMs,
            final double[] initialMembraneMv)
        {
            requireNonNull(parameters, "parameters", name);
            if (!(dtMs > 0.0) || Double.isInfinite(dtMs))
            {
                throw new IllegalArgumentException("population '" + name + "': dtMs must be finite and > 0, got " + dtMs);
            }
            if (initialMembraneMv != null)
            {
                if (initialMembraneMv.length != size)
                {
                    throw new IllegalArgumentException("population '" + name + "': initialMembraneMv has length " +
                        initialMembraneMv.length + ", expected the population size " + size);
                }
                requireFinite(initialMembraneMv, "initialMembraneMv", name);
            }
            final LifSpec spec = new LifSpec(parameters, dtMs, initialMembraneMv == null ? null : initialMembraneMv.clone());
            return add(name, PopulationKind.LIF, size, size, null, null, 0, null, null, spec);
        }

        /** Linear state space with dense output: per channel c, m_c &lt;- A m_c + B u_c (A: d x d, B: d). */
        public int stateSpace(final String name, final int channels, final double[][] a, final double[] b)
        {
            return stateSpace(name, channels, a, b, null);
        }

        /**
         * Linear state space per channel c: m_c &lt;- A m_c + B u_c, where u (length channels) is the summed input
         * and m_c occupies outputs [c * d, (c + 1) * d). Output dense if {@code quantization} is null, else
         * quantized by a sigma-delta quantizer.
         */
        public int stateSpace(
            final String name, final int channels, final double[][] a, final double[] b, final Quantization quantization)
        {
            requireNonNull(a, "A", name);
            requireNonNull(b, "B", name);
            if (quantization != null && quantization.isDelta())
            {
                throw new IllegalArgumentException("population '" + name + "': a state space quantizes with the sigma-delta rule only; " +
                    "for a delta-encoded memory feed it into a separate sigmaDelta population");
            }
            final int d = b.length;
            if (d == 0)
            {
                throw new IllegalArgumentException("population '" + name + "': state-space order (length of B) must be > 0");
            }
            if (a.length != d)
            {
                throw new IllegalArgumentException("population '" + name + "': A has " + a.length +
                    " rows, expected " + d + " (the length of B)");
            }
            final double[][] aCopy = new double[d][];
            for (int i = 0; i < d; i++)
            {
                if (a[i] == null || a[i].length != d)
                {
                    throw new IllegalArgumentException("population '" + name + "': A row " + i + " has length " +
                        (a[i] == null ? "null" : a[i].length) + ", expected " + d);
                }
                requireFinite(a[i], "A row " + i, name);
                aCopy[i] = a[i].clone();
            }
            requireFinite(b, "B", name);
            if (channels <= 0)
            {
                throw new IllegalArgumentException("population '" + name + "': channels must be > 0, got " + channels);
            }
            if ((long)channels * d > Integer.MAX_VALUE / 2)
            {
                throw new IllegalArgumentException("population '" + name + "': channels * order too large");
            }
            return add(name, PopulationKind.STATE_SPACE, channels, channels * d, null, quantization, channels,
                aCopy, b.clone(), null);
        }

        /** The discrete Legendre memory (Ā, B̄ of {@code memory}) as a state space, optionally quantized. */
        public int legendreMemory(
            final String name, final int channels, final LegendreMemory memory, final Quantization quantization)
        {
            requireNonNull(memory, "memory", name);
            return stateSpace(name, channels, memory.a(), memory.b(), quantization);
        }

        /**
         * A linear readout that integrates its input over its active steps: output = scale * sum + outputBias
         * (outputBias may be null). The bias is added to the output, never accumulated.
         */
        public int integrator(final String name, final int size, final double scale, final float[] outputBias)
        {
            if (!Double.isFinite(scale))
            {
                throw new IllegalArgumentException("population '" + name + "': integrator scale must be finite, got " + scale);
            }
            if (outputBias != null)
            {
                if (outputBias.length != size)
                {
                    throw new IllegalArgumentException("population '" + name + "': output bias has length " +
                        outputBias.length + ", expected " + size);
                }
                for (int i = 0; i < outputBias.length; i++)
                {
                    if (!Float.isFinite(outputBias[i]))
                    {
                        throw new IllegalArgumentException("population '" + name + "': output bias[" + i + "] is " +
                            outputBias[i] + "; must be finite");
                    }
                }
            }
            final int id = add(name, PopulationKind.INTEGRATOR, size, size, null, null, 0, null, null, null);
            populations.get(id).integratorScale = scale;
            populations.get(id).outputBias = outputBias == null ? null : outputBias.clone();
            return id;
        }

        /**
         * NIR neurons (I, IF, LI, LIF, CubaLI, CubaLIF, Threshold) with the parameters and options of {@code dynamics}
         * (its size is the population size). Spiking models emit unit events valued {@code dynamics.spikeValue()}; I, LI
         * and CubaLI emit their voltage, dense. Kind {@link PopulationKind#NEURON}.
         */
        public int neurons(final String name, final NeuronDynamics dynamics)
        {
            requireNonNull(dynamics, "dynamics", name);
            final int id = add(name, PopulationKind.NEURON, dynamics.size(), dynamics.size(), null, null, 0, null, null, null);
            populations.get(id).dynamics = dynamics;
            return id;
        }

        /**
         * A stateless population whose output is its summed input of the step (plus bias), dense; it counts no neuron
         * updates. Chains two linear maps (pooling, then a convolution) or hosts per-element delays. Kind
         * {@link PopulationKind#PASS_THROUGH}.
         */
        public int passThrough(final String name, final int size)
        {
            return add(name, PopulationKind.PASS_THROUGH, size, size, null, null, 0, null, null, null);
        }

        /**
         * The state space m &lt;- A m + B u per channel, observed only in the output window [from, until): built
         * event by event from the impulse response rows A^k B, k &lt; until (precomputed in double here). Output is
         * dense m inside the window and zero outside; inputs from step {@code until} on are ignored.
         */
        public int linearFilter(
            final String name, final int channels, final double[][] a, final double[] b, final int from, final int until)
        {
            return linearFilter(name, channels, a, b, null, from, until);
        }

        /**
         * As {@link #linearFilter(String, int, double[][], double[], int, int)} with an output matrix C (r x d): the
         * output is y = C m per channel (r values each), from the impulse rows C A^k B. A linear map that would
         * follow the memory (e.g. the dense weights into the next layer) folds into C, so an input event costs
         * (window steps ahead) x r MACs and the r x d product per window step disappears.
         */
        public int linearFilter(
            final String name, final int channels, final double[][] a, final double[] b, final double[][] c, final int from,
            final int until)
        {
            if (from < 0 || until <= from || until > (1 << 16))
            {
                throw new IllegalArgumentException("population '" + name + "': output window [" + from + ", " + until +
                    ") must satisfy 0 <= from < until <= 65536");
            }
            final int id = stateSpace(name, channels, a, b, null);
            final Population p = populations.get(id);
            final int d = b.length;
            if ((long)until * d > (1L << 27))
            {
                throw new IllegalArgumentException("population '" + name + "': impulse response of " + until + " x " + d +
                    " doubles is too large; shorten the window end");
            }
            final double[][] rows = new double[until][];
            rows[0] = b.clone();
            for (int k = 1; k < until; k++)
            {
                final double[] prev = rows[k - 1];
                final double[] row = new double[d];
                for (int i = 0; i < d; i++)
                {
                    double sum = 0.0;
                    final double[] ai = p.stateA[i];
                    for (int j = 0; j < d; j++)
                    {
                        sum += ai[j] * prev[j];
                    }
                    row[i] = sum;
                }
                rows[k] = row;
            }
            int outputs = d;
            if (c != null)
            {
                outputs = c.length;
                if (outputs == 0 || (long)until * outputs > (1L << 27))
                {
                    throw new IllegalArgumentException("population '" + name + "': output matrix C must have 1.." +
                        ((1L << 27) / until) + " rows for a window end of " + until + ", got " + outputs);
                }
                for (int r = 0; r < outputs; r++)
                {
                    if (c[r] == null || c[r].length != d)
                    {
                        throw new IllegalArgumentException("population '" + name + "': C row " + r + " has length " +
                            (c[r] == null ? "null" : c[r].length) + ", expected the order " + d);
                    }
                    requireFinite(c[r], "C row " + r, name);
                }
                for (int k = 0; k < until; k++)
                {
                    final double[] h = rows[k];
                    final double[] y = new double[outputs];
                    for (int r = 0; r < outputs; r++)
                    {
                        double sum = 0.0;
                        for (int i = 0; i < d; i++)
                        {
                            sum += c[r][i] * h[i];
                        }
                        y[r] = sum;
                    }
                    rows[k] = y;
                }
            }
            final Population filter = new Population(id, name, PopulationKind.LINEAR_FILTER, p.inputSize, channels * outputs,
                null, null, channels, p.stateA, p.stateB, null);
            filter.filterOutputs = c == null ? null : copy(c);
            filter.windowFrom = from;
            filter.windowUntil = until;
            final int width = rows[0].length;
            filter.rowLength = width;
            filter.impulseRows = new double[until * width];
            filter.rowNonZeroPrefix = new int[until + 1];
            for (int k = 0; k < until; k++)
            {
                int nz = 0;
                for (int i = 0; i < width; i++)
                {
                    filter.impulseRows[k * width + i] = rows[k][i];
                    nz += rows[k][i] != 0.0 ? 1 : 0;
                }
                filter.rowNonZeroPrefix[k + 1] = filter.rowNonZeroPrefix[k] + nz;
            }
            populations.set(id, filter);
            return id;
        }

        /**
         * Gates a population: it updates only at steps in [from, until). Outside that window it is silent (no update,
         * no output, no counts) and projections arriving then are neither delivered nor counted; its state (e.g.
         * quantizer voltages) is left as it was. Used for layers that nothing consumes before some step.
         */
        public Builder activeWindow(final int population, final long from, final long until)
        {
            requireNotBuilt();
            final Population p = population(population, "activeWindow");
            if (from < 0 || until <= from)
            {
                throw new IllegalArgumentException(p + ": active window [" + from + ", " + until +
                    ") must satisfy 0 <= from < until");
            }
            p.activeFrom = from;
            p.activeUntil = until;
            return this;
        }

        /**
         * How a single-channel linear filter adds the inputs that arrive before its output window: {@code defer = true}
         * (the default) keeps them and adds them at the window's first step, four rows per pass (least time in total,
         * but that one step does all of the work); {@code false} adds each input's rows to the window states when it
         * arrives (the work spread over the steps: no burst). Both give the same states bit for bit and count the
         * same MACs; multi-channel filters always add inputs as they arrive.
         */
        public Builder deferFilterInputs(final int population, final boolean defer)
        {
            requireNotBuilt();
            final Population p = population(population, "deferFilterInputs");
            if (p.kind != PopulationKind.LINEAR_FILTER)
            {
                throw new IllegalArgumentException(p + ": deferFilterInputs applies to linear filters only (see linearFilter), not " +
                    p.kind);
            }
            p.deferFilterInputs = defer;
            return this;
        }

        /** Bias added to the population's (excitatory) input every step; length = its input size. */
        public Builder bias(final int population, final float[] bias)
        {
            requireNotBuilt();
            final Population p = population(population, "bias");
            if (p.kind == PopulationKind.INPUT || p.kind == PopulationKind.INTEGRATOR)
            {
                throw new IllegalArgumentException(p + ": input and integrator populations take no input bias" +
                    " (give an integrator its output bias at creation)");
            }
            requireNonNull(bias, "bias", p.name);
            if (bias.length != p.inputSize)
            {
                throw new IllegalArgumentException(p + ": bias has length " + bias.length + ", expected " + p.inputSize);
            }
            for (int i = 0; i < bias.length; i++)
            {
                if (!Float.isFinite(bias[i]))
                {
                    throw new IllegalArgumentException(p + ": bias[" + i + "] is " + bias[i] + "; must be finite");
                }
            }
            p.bias = bias.clone();
            return this;
        }

        /** The population added with id {@code id} (to read its sizes while wiring). */
        public Population population(final int id)
        {
            return population(id, "population");
        }

        /** Starts a projection from {@code source}'s outputs to {@code target}'s inputs; finish with dense/sparse. */
        public ProjectionBuilder connect(final int source, final int target)
        {
            final Population s = population(source, "connect source");
            final Population t = population(target, "connect target");
            if (t.kind == PopulationKind.INPUT)
            {
                throw new IllegalArgumentException("projection '" + s.name + "->" + t.name + "': target " + t +
                    " is an input population and receives no projections");
            }
            return new ProjectionBuilder(this, s, t);
        }

        /** Validates the zero-delay graph and returns the network. */
        public Network build()
        {
            requireNotBuilt();
            built = true;
            final int n = populations.size();
            final int[] inDegree = new int[n];
            for (final Projection r : projections)
            {
                if (r.delay == 0)
                {
                    inDegree[r.target]++;
                }
            }
            final int[] order = new int[n];
            final boolean[] done = new boolean[n];
            for (int k = 0; k < n; k++)
            {
                int next = -1;
                for (int i = 0; i < n && next < 0; i++)
                {
                    if (!done[i] && inDegree[i] == 0)
                    {
                        next = i;
                    }
                }
                if (next < 0)
                {
                    final List<String> cycle = new ArrayList<>();
                    for (final Projection r : projections)
                    {
                        if (r.delay == 0 && !done[r.source] && !done[r.target])
                        {
                            cycle.add(r.name);
                        }
                    }
                    throw new IllegalArgumentException("zero-delay projections form a cycle among " + cycle +
                        "; give at least one of them a delay >= 1");
                }
                done[next] = true;
                order[k] = next;
                for (final Projection r : projections)
                {
                    if (r.delay == 0 && r.source == next)
                    {
                        inDegree[r.target]--;
                    }
                }
            }
            return new Network(populations.toArray(new Population[0]), projections.toArray(new Projection[0]), order);
        }

        private int add(
            final String name,
            final PopulationKind kind,
            final int inputSize,
            final int outputSize,
            final Activation activation,
            final Quantization quantization,
            final int channels,
            final double[][] a,
            final double[] b,
            final LifSpec lif)
        {
            requireNotBuilt();
            if (name == null || name.isBlank())
            {
                throw new IllegalArgumentException("population name must be non-blank");
            }
            if (names.containsKey(name))
            {
                throw new IllegalArgumentException("population name '" + name + "' is already used by population #" +
                    names.get(name));
            }
            if (inputSize <= 0)
            {
                throw new IllegalArgumentException("population '" + name + "': size must be > 0, got " + inputSize);
            }
            final int id = populations.size();
            populations.add(new Population(id, name, kind, inputSize, outputSize, activation, quantization, channels, a, b, lif));
            names.put(name, id);
            return id;
        }

        private Population population(final int id, final String what)
        {
            if (id < 0 || id >= populations.size())
            {
                throw new IllegalArgumentException(what + ": no population with id " + id + " (ids are 0.." +
                    (populations.size() - 1) + ")");
            }
            return populations.get(id);
        }

        private int addProjection(
            final ProjectionBuilder pb, final float[][] dense, final int[][] sparseTargets, final float[][] sparseWeights)
        {
            return addProjection(pb, dense, sparseTargets, sparseWeights, null, null);
        }

        /** A convolution or pooling: its stencil expanded into sparse rows (one per source unit), size checked first. */
        private int addConv(final ProjectionBuilder pb, final ConvKernel kernel)
        {
            requireNotBuilt();
            final String where = "projection #" + projections.size() + " '" + pb.name() + "'";
            if (kernel == null)
            {
                throw new IllegalArgumentException(where + ": kernel must not be null");
            }
            if (kernel.inputSize() != pb.source.outputSize || kernel.outputSize() != pb.target.inputSize)
            {
                throw new IllegalArgumentException(where + ": " + kernel + " maps " + kernel.inputSize() + " inputs to " +
                    kernel.outputSize() + " outputs, but source " + pb.source + " has " + pb.source.outputSize +
                    " outputs and target " + pb.target + " " + pb.target.inputSize + " inputs");
            }
            final long entries = kernel.stencilEntries();
            if (entries > ConvKernel.MAX_STENCIL_ENTRIES)
            {
                throw new IllegalArgumentException(where + ": " + kernel + " expands to " + entries +
                    " synapses, more than the limit of " + ConvKernel.MAX_STENCIL_ENTRIES + " per projection");
            }
            final int[][] targets = new int[kernel.inputSize()][];
            final float[][] weights = new float[kernel.inputSize()][];
            kernel.expand(targets, weights);
            return addProjection(pb, null, targets, weights, kernel, null);
        }

        /** An element-wise gain: source unit i to target column i (zero gains left out of the rows). */
        private int addDiagonal(final ProjectionBuilder pb, final float[] gains)
        {
            requireNotBuilt();
            final String where = "projection #" + projections.size() + " '" + pb.name() + "'";
            if (gains == null)
            {
                throw new IllegalArgumentException(where + ": gains must not be null");
            }
            if (gains.length != pb.source.outputSize || gains.length != pb.target.inputSize)
            {
                throw new IllegalArgumentException(where + ": " + gains.length + " gains, but source " + pb.source +
                    " has " + pb.source.outputSize + " outputs and target " + pb.target + " " + pb.target.inputSize +
                    " inputs (a diagonal needs all three equal)");
            }
            final int[][] targets = new int[gains.length][];
            final float[][] weights = new float[gains.length][];
            for (int i = 0; i < gains.length; i++)
            {
                final boolean zero = gains[i] == 0.0f;
                targets[i] = zero ? new int[0] : new int[] {i};
                weights[i] = zero ? new float[0] : new float[] {gains[i]};
            }
            return addProjection(pb, null, targets, weights, null, gains);
        }

        private int addProjection(
            final ProjectionBuilder pb,
            final float[][] dense,
            final int[][] sparseTargets,
            final float[][] sparseWeights,
            final ConvKernel kernel,
            final float[] gains)
        {
            requireNotBuilt();
            final Population s = pb.source;
            final Population t = pb.target;
            final String name = pb.name();
            final String where = "projection #" + projections.size() + " '" + name + "'";
            if (gains != null)
            {
                for (int i = 0; i < gains.length; i++)
                {
                    if (!Float.isFinite(gains[i]))
                    {
                        throw new IllegalArgumentException(where + ": gain[" + i + "] is " + gains[i] + "; must be finite");
                    }
                }
            }
            if (pb.port == Port.INHIBITORY && t.kind != PopulationKind.LIF)
            {
                throw new IllegalArgumentException(where + ": port INHIBITORY exists only on LIF populations; " + t +
                    " has only EXCITATORY");
            }
            final boolean deltaSource = s.quantization != null && s.quantization.isDelta();
            if (deltaSource != (pb.port == Port.SIGMA))
            {
                throw new IllegalArgumentException(where + (deltaSource ?
                    ": source " + s + " is delta-encoded (events carry changes), so the projection must deliver into port SIGMA, " +
                        "where the target sums them" :
                    ": port SIGMA sums what arrives and is only for projections out of delta-encoded populations; " + s + " is not one"));
            }
            if (pb.delay < 0 || pb.delay > maxDelay)
            {
                throw new IllegalArgumentException(where + ": delay " + pb.delay + " is outside [0, " + maxDelay +
                    "] (the ring size limit; raise it with Builder.maxDelay)");
            }
            final float[][] rows = dense != null ? dense : sparseWeights;
            if (rows == null)
            {
                throw new IllegalArgumentException(where + ": weights must not be null");
            }
            if (rows.length != s.outputSize)
            {
                throw new IllegalArgumentException(where + ": weights have " + rows.length + " rows, expected " +
                    s.outputSize + " (one per output of source " + s + ")");
            }
            final float[][] rowCopies = new float[rows.length][];
            int[][] targetCopies = null;
            if (sparseTargets != null)
            {
                if (sparseTargets.length != rows.length)
                {
                    throw new IllegalArgumentException(where + ": sparse targets have " + sparseTargets.length +
                        " rows but weights have " + rows.length);
                }
                targetCopies = new int[rows.length][];
            }
            final boolean[] seen = sparseTargets != null ? new boolean[t.inputSize] : null;
            for (int i = 0; i < rows.length; i++)
            {
                final float[] w = rows[i];
                if (w == null)
                {
                    throw new IllegalArgumentException(where + ": weight row " + i + " is null");
                }
                if (dense != null && w.length != t.inputSize)
                {
                    throw new IllegalArgumentException(where + ": weight row " + i + " has length " + w.length +
                        ", expected " + t.inputSize + " (the input size of target " + t + ")");
                }
                for (int j = 0; j < w.length; j++)
                {
                    if (!Float.isFinite(w[j]))
                    {
                        throw new IllegalArgumentException(where + ": weight [" + i + "][" + j + "] is " + w[j] +
                            "; weights must be finite");
                    }
                }
                rowCopies[i] = w.clone();
                if (sparseTargets != null)
                {
                    final int[] idx = sparseTargets[i];
                    if (idx == null || idx.length != w.length)
                    {
                        throw new IllegalArgumentException(where + ": sparse row " + i + " has " +
                            (idx == null ? "null" : idx.length) + " target indices but " + w.length + " weights");
                    }
                    for (final int j : idx)
                    {
                        if (j < 0 || j >= t.inputSize)
                        {
                            throw new IllegalArgumentException(where + ": sparse row " + i + " targets column " + j +
                                ", outside [0, " + t.inputSize + ") of target " + t);
                        }
                        if (seen[j])
                        {
                            throw new IllegalArgumentException(where + ": sparse row " + i + " targets column " + j +
                                " twice; merge duplicate connections into one weight");
                        }
                        seen[j] = true;
                    }
                    for (final int j : idx)
                    {
                        seen[j] = false;
                    }
                    targetCopies[i] = idx.clone();
                }
            }
            final long denseMacs = pb.denseMacsPerStep >= 0 ? pb.denseMacsPerStep :
                kernel != null ? kernel.denseMacsPerStep() : gains != null ? gains.length : (long)rows.length * t.inputSize;
            if (pb.port == Port.SIGMA)
            {
                t.sigmaInput = true;
            }
            final int id = projections.size();
            projections.add(new Projection(id, name, s.id, t.id, pb.port, pb.delay,
                dense != null ? rowCopies : null, targetCopies, dense != null ? null : rowCopies, t.inputSize, kernel,
                gains == null ? null : gains.clone(), denseMacs));
            return id;
        }

        private static double[][] copy(final double[][] m)
        {
            final double[][] c = new double[m.length][];
            for (int i = 0; i < m.length; i++)
            {
                c[i] = m[i].clone();
            }
            return c;
        }

        private void requireNotBuilt()
        {
            if (built)
            {
                throw new IllegalStateException("this builder already built its network; start a new Network.builder()");
            }
        }

        private static void requireNonNull(final Object value, final String what, final String population)
        {
            if (value == null)
            {
                throw new IllegalArgumentException("population '" + population + "': " + what + " must not be null");
            }
        }

        private static void requireFinite(final double[] values, final String what, final String population)
        {
            for (int i = 0; i < values.length; i++)
            {
                if (!Double.isFinite(values[i]))
                {
                    throw new IllegalArgumentException("population '" + population + "': " + what + "[" + i + "] is " +
                        values[i] + "; must be finite");
                }
            }
        }
    }

    /**
     * Options of one projection; {@link #dense}, {@link #sparse}, {@link #conv} or {@link #diagonal} adds it and returns
     * its id.
     */
    public static final class ProjectionBuilder
    {
        private final Builder builder;
        private final Population source;
        private final Population target;
        private String name;
        private int delay;
        private Port port = Port.EXCITATORY;
        private long denseMacsPerStep = -1;

        private ProjectionBuilder(final Builder builder, final Population source, final Population target)
        {
            this.builder = builder;
            this.source = source;
            this.target = target;
        }

        /** Name used in errors and reports; default "source->target". */
        public ProjectionBuilder name(final String name)
        {
            this.name = name;
            return this;
        }

        /** Delay in steps, 0..maxDelay; default 0. */
        public ProjectionBuilder delay(final int delay)
        {
            this.delay = delay;
            return this;
        }

        /** Target port; default EXCITATORY. */
        public ProjectionBuilder port(final Port port)
        {
            if (port == null)
            {
                throw new IllegalArgumentException("port must not be null");
            }
            this.port = port;
            return this;
        }

        /**
         * The multiply-accumulates per step of the cheapest dense implementation of this projection, counted as its
         * MACS_DENSE (default: source size x target size; a convolution's or diagonal's own count for {@link #conv} and
         * {@link #diagonal}). For a projection that stands for a structured map (e.g. a convolution given as sparse rows).
         */
        public ProjectionBuilder denseMacsPerStep(final long macs)
        {
            if (macs < 0)
            {
                throw new IllegalArgumentException("projection '" + name() + "': denseMacsPerStep must be >= 0, got " + macs);
            }
            denseMacsPerStep = macs;
            return this;
        }

        /**
         * A convolution or pooling ({@link ConvKernel}): source units are its flattened channels-first input, target
         * columns its flattened output (sizes must match). Delivered as sparse rows, one per source unit: each event
         * adds its kernel stencil to the targets (zero weights left out), through the same paths as {@link #sparse}.
         * The expansion is refused, naming the projection, above {@link ConvKernel#MAX_STENCIL_ENTRIES} synapses. The
         * kernel is kept ({@link Projection#convKernel()}). MACS_DENSE: {@link ConvKernel#denseMacsPerStep()}. Returns
         * the projection id.
         */
        public int conv(final ConvKernel kernel)
        {
            return builder.addConv(this, kernel);
        }

        /**
         * Element-wise gains: source unit i feeds target column i with {@code gains[i]} (NIR Scale; all ones for an
         * identity). Source output size, target input size and gains length must be equal. MACS_DENSE: the length.
         * Returns the projection id.
         */
        public int diagonal(final float[] gains)
        {
            return builder.addDiagonal(this, gains);
        }

        private String name()
        {
            return name != null ? name : source.name + "->" + target.name;
        }

        /** One-to-one with weight 1: source unit i feeds target input i (sizes must match). Dense cost: the size. */
        public int identity()
        {
            final float[] ones = new float[source.outputSize];
            Arrays.fill(ones, 1.0f);
            return diagonal(ones);
        }

        @Override
        public String toString()
        {
            return "projection '" + name() + "'";
        }

        /** Dense weights {@code [source outputSize][target inputSize]} (copied). Returns the projection id. */
        public int dense(final float[][] weights)
        {
            return builder.addProjection(this, weights, null, null);
        }

        /**
         * Sparse rows: for source unit i, {@code targets[i][k]} receives {@code weights[i][k]} (copied; no duplicate
         * target within a row). Returns the projection id.
         */
        public int sparse(final int[][] targets, final float[][] weights)
        {
            if (targets == null || weights == null)
            {
                throw new IllegalArgumentException(this + ": sparse targets and weights must not be null");
            }
            return builder.addProjection(this, null, targets, weights);
        }
    }
}
