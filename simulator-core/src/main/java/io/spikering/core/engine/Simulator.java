package io.spikering.core.engine;

import com.lmax.disruptor.SleepingWaitStrategy;
import com.lmax.disruptor.WaitStrategy;
import io.spikering.neuron.CubaLif;
import io.spikering.neuron.DeltaQuantizer;
import io.spikering.neuron.SigmaDeltaQuantizer;

import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * Steps a {@link Network}. Each {@link #step()} updates the populations in {@link Network#order()}: a population
 * reads and clears its input slot, updates, and its events (or non-zero dense outputs) are delivered along its
 * projections into the target rings, directly ({@code threads == 0}) or through the Disruptor {@link SpikeBus}
 * ({@code threads >= 1} handler threads). Both paths give bit-identical results. Allocation-free per step.
 *
 * <p>Not thread-safe: one thread steps it. Arrays returned by the accessors are live views of the last step.
 */
public final class Simulator implements AutoCloseable
{
    /** Most delivery handler threads accepted. */
    public static final int MAX_THREADS = 64;

    private static final int BUS_SLOTS = 1024;

    /**
     * On the Disruptor path, an emission whose row adds (events × the route's widest row) stay below this is delivered
     * on the stepping thread: handing it to the handlers costs more than adding it (a few microseconds of hand-off and
     * wake-up against about a nanosecond per add), and on two cores the handlers then compete with the stepping thread.
     */
    static final int DIRECT_ADDS = 16_384;
    private static final int STATE_MAGIC = 0x53524B53;
    private static final int STATE_VERSION = 1;
    private static final int STATE_HEADER_BYTES = 4 + 4 + 8 + 8 + 4;

    private final Network network;
    private final Layer[] layers;
    private final Route[][] routesBySource;
    private final int[] order;
    private final int[][] zeroDelaySources;
    private final long[] lastPublished;
    private final OpCounter ops;
    private final SpikeBus bus;
    private final PartitionedStep partitioned;
    private final int[] widestRow;
    private int directAdds = DIRECT_ADDS;
    private SpikeListener[] listeners = new SpikeListener[0];
    private long step;
    private boolean closed;

    /** A simulator with the direct single-threaded delivery path. */
    public Simulator(final Network network)
    {
        this(network, 0);
    }

    /** {@code threads} = 0: direct delivery; 1..64: Disruptor delivery with that many handler threads. */
    public Simulator(final Network network, final int threads)
    {
        this(network, threads, new SleepingWaitStrategy());
    }

    /** As {@link #Simulator(Network, int)}, with the handlers' Disruptor wait strategy (e.g. busy-spin). */
    public Simulator(final Network network, final int threads, final WaitStrategy handlerWaitStrategy)
    {
        this(network, threads, handlerWaitStrategy, 0, false);
    }

    /**
     * A simulator whose every step runs on {@code threads} threads (the stepping thread and threads − 1 workers): each
     * owns a slice of every population's neurons, integrates it and applies the step's spikes to it, so the neuron
     * update and the delivery both scale, with results bit-identical to {@code new Simulator(network)}
     * (docs/engine.md). For networks of LIF populations joined by sparse projections with delays of at least one step
     * (the CUBA family); others are refused with the reason. {@code threads} = 1 runs the same code on one thread.
     */
    public static Simulator partitioned(final Network network, final int threads)
    {
        return partitioned(network, threads, true);
    }

    /**
     * As {@link #partitioned(Network, int)}; {@code adaptive} (the default) times the steps in windows and runs each
     * window with all threads or with the stepping thread alone, whichever was faster recently (re-timing the other
     * every few windows), so that a network too small to gain, or a machine too loaded for the threads to run
     * together, is not made slower by the threads. Results are the same either way.
     */
    public static Simulator partitioned(final Network network, final int threads, final boolean adaptive)
    {
        if (network == null)
        {
            throw new IllegalArgumentException("network must not be null");
        }
        if (threads < 1 || threads > MAX_THREADS)
        {
            throw new IllegalArgumentException("threads must be in [1, " + MAX_THREADS + "], got " + threads);
        }
        final String unsupported = PartitionedStep.unsupported(network);
        if (unsupported != null)
        {
            throw new IllegalArgumentException(unsupported);
        }
        return new Simulator(network, 0, null, threads, adaptive);
    }

    private Simulator(final Network network, final int threads, final WaitStrategy handlerWaitStrategy, final int partitionThreads,
        final boolean adaptive)
    {
        if (network == null)
        {
            throw new IllegalArgumentException("network must not be null");
        }
        if (threads < 0 || threads > MAX_THREADS)
        {
            throw new IllegalArgumentException("threads must be in [0, " + MAX_THREADS + "] (0 = direct delivery), got " +
                threads);
        }
        this.network = network;
        final int count = network.populationCount();
        layers = new Layer[count];
        for (int id = 0; id < count; id++)
        {
            layers[id] = createLayer(network.population(id), network.maxIncomingDelay(id));
        }
        final Route[] routes = new Route[network.projectionCount()];
        for (int r = 0; r < routes.length; r++)
        {
            final Projection p = network.projection(r);
            routes[r] = new Route(p, network.population(p.target), p.port == Port.SIGMA ? layers[p.target].sigmaRing : layers[p.target].rings[p.port.ordinal()]);
        }
        routesBySource = new Route[count][];
        zeroDelaySources = new int[count][];
        for (int id = 0; id < count; id++)
        {
            final int population = id;
            routesBySource[id] = Arrays.stream(network.outgoing[id]).mapToObj(r -> routes[r]).toArray(Route[]::new);
            zeroDelaySources[id] = Arrays.stream(network.projections)
                .filter(p -> p.target == population && p.delay == 0).mapToInt(p -> p.source).distinct().toArray();
        }
        order = network.order();
        lastPublished = new long[count];
        Arrays.fill(lastPublished, -1);
        ops = new OpCounter(network);
        bus = threads == 0 ? null : new SpikeBus(routes, threads, handlerWaitStrategy, BUS_SLOTS);
        partitioned = partitionThreads == 0 ? null : new PartitionedStep(network, layers, routesBySource, partitionThreads, adaptive);
        widestRow = new int[routes.length];
        for (final Route r : routes)
        {
            widestRow[r.id] = r.denseRows != null ? r.width : Arrays.stream(r.nonZeroFanOut).max().orElse(0);
        }
    }

    private static Layer createLayer(final Population p, final int maxDelay)
    {
        return switch (p.kind)
        {
            case INPUT -> new InputLayer(p);
            case RATE -> new RateLayer(p, maxDelay);
            case SIGMA_DELTA -> new SigmaDeltaLayer(p, maxDelay);
            case LIF -> new LifLayer(p, maxDelay);
            case STATE_SPACE -> new StateSpaceLayer(p, maxDelay);
            case INTEGRATOR -> new IntegratorLayer(p, maxDelay);
            case LINEAR_FILTER -> new LinearFilterLayer(p, maxDelay);
            case NEURON -> new NeuronLayer(p, maxDelay);
            case PASS_THROUGH -> new PassThroughLayer(p, maxDelay);
        };
    }

    public Network network()
    {
        return network;
    }

    /** Delivery handler threads (0 = direct path), or the threads of a {@link #partitioned} simulator. */
    public int threads()
    {
        return partitioned != null ? partitioned.workers() : bus == null ? 0 : bus.handlerCount();
    }

    /**
     * Steps a {@link #partitioned} simulator ran with all its threads since construction (the others the stepping thread
     * ran alone, in adaptive mode); 0 for the other paths.
     */
    public long parallelSteps()
    {
        return partitioned == null ? 0 : partitioned.parallelRounds();
    }

    /** Whether this simulator was made by {@link #partitioned}. */
    public boolean isPartitioned()
    {
        return partitioned != null;
    }

    /** Index of the next step: the number of steps since construction or the last reset. */
    public long currentStep()
    {
        return step;
    }

    /** Values an INPUT population emits from the next step on (copied; they persist until set again). */
    public void setInput(final int population, final double[] values)
    {
        final Layer layer = layer(population);
        if (!(layer instanceof InputLayer input))
        {
            throw new IllegalArgumentException("setInput: " + layer.spec + " is not an input population");
        }
        input.set(values);
    }

    /** Advances the network by one step. */
    public void step()
    {
        if (closed)
        {
            throw new IllegalStateException("simulator is closed");
        }
        final long t = step;
        if (partitioned != null)
        {
            partitioned.step(t, ops, listeners);
            ops.countStep();
            step = t + 1;
            return;
        }
        final SpikeBus bus = this.bus;
        for (final int id : order)
        {
            final Layer layer = layers[id];
            if (t < layer.spec.activeFrom || t >= layer.spec.activeUntil)
            {
                layer.silence();
                lastPublished[id] = -1;
                continue;
            }
            if (bus != null)
            {
                long needed = -1;
                for (final int source : zeroDelaySources[id])
                {
                    needed = Math.max(needed, lastPublished[source]);
                }
                if (needed >= 0)
                {
                    bus.awaitDrained(needed);
                }
            }
            try
            {
                layer.update(t);
            }
            catch (final IllegalArgumentException e)
            {
                // e.g. a non-finite input of a quantizer: say where it arose (the caller adds the model and sample)
                throw new IllegalStateException("population '" + layer.spec.name + "' at step " + t + ": " + e.getMessage(), e);
            }
            layer.silent = false;
            ops.countPopulation(layer);
            final int n = layer.eventCount;
            final int[] neurons = layer.eventNeurons;
            final int[] counts = layer.eventCounts;
            final double[] values = layer.eventValues;
            if (counts != null)
            {
                for (final SpikeListener listener : listeners)
                {
                    listener.onEvents(t, id, neurons, counts, n);
                }
            }
            lastPublished[id] = -1;
            for (final Route r : routesBySource[id])
            {
                final long arrival = t + r.delay;
                if (arrival < r.targetFrom || arrival >= r.targetUntil)
                {
                    continue;
                }
                if (counts != null)
                {
                    ops.countEvents(r, neurons, counts, values, n);
                }
                else
                {
                    ops.countDense(r, neurons, values, n);
                }
                if (n > 0)
                {
                    if (bus == null)
                    {
                        Delivery.deliver(r, t, neurons, values, n);
                    }
                    else if ((long)n * widestRow[r.id] < directAdds)
                    {
                        // every slot published before applies first: each sum still sees its adds in the direct order
                        bus.awaitDrained(bus.cursor());
                        Delivery.deliver(r, t, neurons, values, n);
                    }
                    else
                    {
                        lastPublished[id] = bus.publish(r, t, neurons, values, n);
                    }
                }
            }
        }
        if (bus != null)
        {
            bus.awaitDrained(bus.cursor());
        }
        ops.countStep();
        step = t + 1;
    }

    /** Sets the row adds below which the Disruptor path delivers an emission itself ({@link #DIRECT_ADDS}; 0: never). */
    void directDeliveryBelow(final int adds)
    {
        directAdds = adds;
    }

    /** Tests: how many times a partitioned simulator's threads parked in their waits. */
    long partitionParks()
    {
        return partitioned.parks();
    }

    /** Tests: a partitioned simulator's other threads claim no work while {@code on} (as if they were never scheduled). */
    void holdPartitionWorkers(final boolean on)
    {
        partitioned.hold(on);
    }

    /** Runs {@code steps} steps. */
    public void run(final int steps)
    {
        for (int s = 0; s < steps; s++)
        {
            step();
        }
    }

    /**
     * Back to the initial state for a new sample: step 0, rings, memories, inputs and outputs zeroed, LIF
     * neurons re-created with their initial membrane, quantizer voltages re-drawn from their configured seeds.
     * Op counts are kept (see {@link OpCounter#clear()}).
     */
    public void reset()
    {
        reset(false, 0);
    }

    /** As {@link #reset()}, but quantizer voltages are drawn from a seed mixed from {@code seed} and the population id. */
    public void reset(final long seed)
    {
        reset(true, seed);
    }

    private void reset(final boolean useSeed, final long seed)
    {
        quiesce();
        for (final Layer layer : layers)
        {
            layer.reset(useSeed, seed);
        }
        if (partitioned != null)
        {
            partitioned.repartition();
        }
        Arrays.fill(lastPublished, -1);
        step = 0;
    }

    /** Bytes {@link #saveState} writes. */
    public int stateSize()
    {
        long bytes = STATE_HEADER_BYTES;
        for (final Layer layer : layers)
        {
            bytes += layer.stateBytes();
        }
        return Math.toIntExact(bytes);
    }

    /**
     * Writes the complete dynamic state between steps (step index, input rings with pending delayed inputs, last
     * outputs and events, input values, quantizer voltages/dt/amplitude, LIF membranes/currents/refractory
     * counters, state-space memories) at the buffer's position, advancing it by {@link #stateSize()} bytes.
     * Op counts and listeners are not state. {@link #restoreState} on a simulator of the same network continues
     * bit-identically. Allocates only a small buffer view per array (bulk copies, fast even before the JIT compiles this).
     */
    public void saveState(final ByteBuffer out)
    {
        final int size = stateSize();
        if (out.remaining() < size)
        {
            throw new IllegalArgumentException("saveState: buffer has " + out.remaining() + " bytes remaining, the state needs " +
                size);
        }
        quiesce();
        out.putInt(STATE_MAGIC);
        out.putInt(STATE_VERSION);
        out.putLong(network.fingerprint);
        out.putLong(step);
        out.putInt(layers.length);
        for (final Layer layer : layers)
        {
            layer.save(out);
        }
    }

    /** Restores a state written by {@link #saveState} from a simulator of the same network (checked). */
    public void restoreState(final ByteBuffer in)
    {
        final int size = stateSize();
        if (in.remaining() < size)
        {
            throw new IllegalArgumentException("restoreState: buffer has " + in.remaining() + " bytes remaining, the state of " +
                "this network needs " + size + " (saved from another network, or truncated)");
        }
        quiesce();
        final int magic = in.getInt();
        final int version = in.getInt();
        if (magic != STATE_MAGIC || version != STATE_VERSION)
        {
            throw new IllegalArgumentException("restoreState: not a simulator state (magic " + Integer.toHexString(magic) +
                ", version " + version + "; expected " + Integer.toHexString(STATE_MAGIC) + " version " + STATE_VERSION + ")");
        }
        final long fingerprint = in.getLong();
        if (fingerprint != network.fingerprint)
        {
            throw new IllegalArgumentException("restoreState: the state was saved from a different network (fingerprint " +
                Long.toHexString(fingerprint) + ", this network " + Long.toHexString(network.fingerprint) + ")");
        }
        final long savedStep = in.getLong();
        final int count = in.getInt();
        if (count != layers.length || savedStep < 0)
        {
            throw new IllegalArgumentException("restoreState: corrupt header (" + count + " populations, step " + savedStep + ")");
        }
        for (final Layer layer : layers)
        {
            layer.restore(in);
        }
        Arrays.fill(lastPublished, -1);
        step = savedStep;
    }

    /** Dense outputs of the last step (live): values, count * amplitude / dt, or 1 per LIF spike. */
    public double[] outputs(final int population)
    {
        return layer(population).output;
    }

    /** Per-neuron counts of the last step of a spiking population (live). */
    public int[] counts(final int population)
    {
        final Layer layer = spikingLayer(population, "counts");
        return layer.counts;
    }

    /** Number of events (non-zero outputs) of the last step. */
    public int eventCount(final int population)
    {
        return layer(population).eventCount;
    }

    /** Units with non-zero output in the last step, ascending, in [0, eventCount) (live). */
    public int[] eventNeurons(final int population)
    {
        return layer(population).eventNeurons;
    }

    /** Counts of those events, in [0, eventCount) (live; spiking populations only). */
    public int[] eventCounts(final int population)
    {
        return spikingLayer(population, "eventCounts").eventCounts;
    }

    /** Memory m of a STATE_SPACE population (live; channel c at [c * order, (c + 1) * order)). */
    public double[] memory(final int population)
    {
        if (!(layer(population) instanceof StateSpaceLayer s))
        {
            throw new IllegalArgumentException("memory: " + layers[population].spec + " is not a state space");
        }
        return s.memory;
    }

    /** The delta encoder of a delta-encoded SIGMA_DELTA population (live: what its receivers hold, dt, threshold). */
    public DeltaQuantizer deltaQuantizer(final int population)
    {
        final Layer layer = layer(population);
        if (layer instanceof SigmaDeltaLayer s && s.delta != null)
        {
            return s.delta;
        }
        throw new IllegalArgumentException("deltaQuantizer: " + layer.spec + " is not delta-encoded");
    }

    /** The quantizer of a SIGMA_DELTA or quantized STATE_SPACE population (live: voltages, dt, amplitude). */
    public SigmaDeltaQuantizer quantizer(final int population)
    {
        final Layer layer = layer(population);
        if (layer instanceof SigmaDeltaLayer s && s.quantizer != null)
        {
            return s.quantizer;
        }
        if (layer instanceof StateSpaceLayer s && s.quantizer != null)
        {
            return s.quantizer;
        }
        throw new IllegalArgumentException("quantizer: " + layer.spec + " has no sigma-delta quantizer");
    }

    /** The neurons of a LIF population (live until the next reset, which re-creates them). */
    public CubaLif lif(final int population)
    {
        if (!(layer(population) instanceof LifLayer l))
        {
            throw new IllegalArgumentException("lif: " + layers[population].spec + " is not a LIF population");
        }
        return l.lif;
    }

    /** Membrane potentials v of a NEURON population after this step's reset (live; unused by THRESHOLD). */
    public double[] voltage(final int population)
    {
        return neuronLayer(population, "voltage").v;
    }

    /** Synaptic currents I of a NEURON population (live; zeros unless its model is CUBA_LI or CUBA_LIF). */
    public double[] current(final int population)
    {
        return neuronLayer(population, "current").current;
    }

    private NeuronLayer neuronLayer(final int population, final String what)
    {
        if (!(layer(population) instanceof NeuronLayer n))
        {
            throw new IllegalArgumentException(what + ": " + layers[population].spec + " is not a NEURON population");
        }
        return n;
    }

    public OpCounter ops()
    {
        return ops;
    }

    /** Registers a listener called on the stepping thread with each spiking population's events every step. */
    public void addListener(final SpikeListener listener)
    {
        if (listener == null)
        {
            throw new IllegalArgumentException("listener must not be null");
        }
        final SpikeListener[] grown = Arrays.copyOf(listeners, listeners.length + 1);
        grown[listeners.length] = listener;
        listeners = grown;
    }

    /** Removes a listener; returns whether it was registered. */
    public boolean removeListener(final SpikeListener listener)
    {
        for (int i = 0; i < listeners.length; i++)
        {
            if (listeners[i] == listener)
            {
                final SpikeListener[] shrunk = new SpikeListener[listeners.length - 1];
                System.arraycopy(listeners, 0, shrunk, 0, i);
                System.arraycopy(listeners, i + 1, shrunk, i, listeners.length - i - 1);
                listeners = shrunk;
                return true;
            }
        }
        return false;
    }

    /** Stops the delivery threads (if any). Idempotent. */
    @Override
    public void close()
    {
        if (!closed)
        {
            closed = true;
            if (bus != null)
            {
                bus.close();
            }
            if (partitioned != null)
            {
                partitioned.close();
            }
        }
    }

    /** Partitioned: waits until the other threads have finished the last step's delivery into the input rings. */
    private void quiesce()
    {
        if (partitioned != null)
        {
            partitioned.quiesce();
        }
    }

    Layer layer(final int population)
    {
        if (population < 0 || population >= layers.length)
        {
            throw new IllegalArgumentException("no population with id " + population + " (ids are 0.." +
                (layers.length - 1) + ")");
        }
        return layers[population];
    }

    private Layer spikingLayer(final int population, final String what)
    {
        final Layer layer = layer(population);
        if (layer.counts == null)
        {
            throw new IllegalArgumentException(what + ": " + layer.spec + " is not spiking; use outputs()");
        }
        return layer;
    }
}
