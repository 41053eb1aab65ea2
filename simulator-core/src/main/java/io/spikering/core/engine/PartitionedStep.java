package io.spikering.core.engine;

import java.util.Arrays;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.locks.LockSupport;

/**
 * The multi-threaded step of {@link Simulator#partitioned}: every population is cut into W contiguous slices of target
 * neurons, and worker w (the stepping thread is worker 0) owns slice w of every population, its neurons' state and its
 * columns of every input ring. One step is: each worker integrates its slices (and clears their input slots); one
 * barrier; each worker adds, for every spike of the step (all workers' lists, in ascending neuron order), the weights
 * whose targets fall in its slices. No two threads write the same element, and each input sum receives its adds in
 * the order the direct path gives them (source populations in {@link Network#order()}, routes in order, spikes
 * ascending, row order), so results are bit-identical to {@code new Simulator(network)}.
 *
 * <p>Supported networks: LIF populations only (always active, no bias), sparse projections into the excitatory or
 * inhibitory port with delays of at least one step (the CUBA family). Delay >= 1 is what makes one barrier per step
 * enough: what a step delivers lands in later slots, which only the slot's own worker reads. After the barrier the
 * stepping thread alone fills the populations' event arrays, counts ops and calls listeners, so those stay
 * single-threaded. Spike lists are double-buffered by round parity: a worker may start the next round's update while
 * another still reads this round's lists. Each slice's update and delivery is claimed by CAS, so the stepping thread
 * can take the slices of a worker that is not running; in adaptive mode it takes all of them for windows of steps when
 * that measured faster. Which thread runs a slice does not change what it computes. Allocation-free per step.
 */
final class PartitionedStep implements AutoCloseable
{
    /** Longs between two threads' counters (128 bytes): no false sharing between the cores spinning on them. */
    private static final int PAD = 16;
    /**
     * How a thread waits for another: it busy-spins for SPIN_NANOS, then yields its core until YIELD_NANOS (on an idle
     * core a yield returns at once, so the thread still sees the signal within a microsecond or so; on a busy one the
     * other thread there runs, maybe the one it waits for), and only then parks until woken. A half step takes 5-100
     * µs, so within a run of steps nobody parks. Parking after the spin, as before, let a late thread miss every later
     * step: the stepping thread took its slice, so the wait for the next step outlasted the spin, and the wake-up from
     * the park came too late again (2 threads slower than 1). Parking is for waits between runs, when nobody steps.
     */
    private static final long SPIN_NANOS = 20_000;
    private static final long YIELD_NANOS = 2_000_000;
    private static final long PARK_NANOS = 200_000;
    /** Park of a thread while the stepping thread runs alone (it is unparked when that ends). */
    private static final long SOLO_PARK_NANOS = 2_000_000;
    /**
     * Adaptive mode: steps are timed in windows of WINDOW steps (the first SETTLE after a switch not timed, while
     * parked threads wake up); each window runs the mode (all threads, or the stepping thread alone) with the lower
     * recent time per step, and every PROBE_EVERY windows the other mode is timed again. Results do not depend on it.
     */
    private static final int WINDOW = 256;
    private static final int SETTLE = 32;
    private static final int PROBE_EVERY = 16;

    /**
     * One route as the workers see it: for each slice w of the target population, the part of every row whose targets
     * fall in slice w, rows one after another in one array (targets ascending within a row). A slice's delivery thus
     * reads only its own compact rows: with the rows as whole arrays, each thread read a cache line or more of every
     * spiking row for its half, plus the row's array header and split points, and delivery did not get faster with
     * two threads (40,000 neurons, instrumented build on a loaded machine: 12 µs per step for all targets on one thread,
     * 12 µs per half on two).
     */
    private static final class SliceRoute
    {
        final Route route;
        /** Row i's targets in slice w: targets[w][offsets[w][i] .. offsets[w][i + 1]), with weights[w][the same]. */
        final int[][] offsets;
        final int[][] targets;
        final float[][] weights;

        SliceRoute(final Route route, final int[] targetBounds)
        {
            this.route = route;
            final int rows = route.sparseTargets.length;
            final int workers = targetBounds.length - 1;
            offsets = new int[workers][rows + 1];
            final int[][] sortedTargets = new int[rows][];
            final float[][] sortedWeights = new float[rows][];
            for (int i = 0; i < rows; i++)
            {
                sortRow(route.sparseTargets[i], route.sparseWeights[i], sortedTargets, sortedWeights, i);
                final int[] t = sortedTargets[i];
                int k = 0;
                for (int w = 0; w < workers; w++)
                {
                    final int from = k;
                    while (k < t.length && t[k] < targetBounds[w + 1])
                    {
                        k++;
                    }
                    offsets[w][i + 1] = offsets[w][i] + (k - from);
                }
            }
            targets = new int[workers][];
            weights = new float[workers][];
            for (int w = 0; w < workers; w++)
            {
                targets[w] = new int[offsets[w][rows]];
                weights[w] = new float[offsets[w][rows]];
            }
            for (int i = 0; i < rows; i++)
            {
                final int[] t = sortedTargets[i];
                final float[] wt = sortedWeights[i];
                int k = 0;
                for (int w = 0; w < workers; w++)
                {
                    final int n = offsets[w][i + 1] - offsets[w][i];
                    System.arraycopy(t, k, targets[w], offsets[w][i], n);
                    System.arraycopy(wt, k, weights[w], offsets[w][i], n);
                    k += n;
                }
            }
        }

        /** Row i as it is when ascending; otherwise sorted by target (no duplicates in a row, so the adds per target do not change). */
        private static void sortRow(final int[] t, final float[] w, final int[][] targets, final float[][] weights, final int i)
        {
            boolean ascending = true;
            for (int k = 1; k < t.length && ascending; k++)
            {
                ascending = t[k - 1] < t[k];
            }
            if (ascending)
            {
                targets[i] = t;
                weights[i] = w;
                return;
            }
            final long[] keyed = new long[t.length];
            for (int k = 0; k < t.length; k++)
            {
                keyed[k] = (long)t[k] << 32 | k;
            }
            Arrays.sort(keyed);
            targets[i] = new int[t.length];
            weights[i] = new float[t.length];
            for (int k = 0; k < t.length; k++)
            {
                targets[i][k] = (int)(keyed[k] >>> 32);
                weights[i][k] = w[(int)keyed[k]];
            }
        }
    }

    private final int workers;
    private final LifLayer[] layers;
    /**
     * What the slices' updates read of each population, copied here: the neurons (refreshed by {@link #repartition})
     * and the two input rings' slots and mask. The LifLayer objects themselves are written by the stepping thread in
     * every step (event counts), and reading their fields from another core would fetch those lines each step.
     */
    private final io.spikering.neuron.CubaLif[] lifs;
    private final double[][][] exSlots;
    private final double[][][] inSlots;
    private final int[] ringMasks;
    private final int[] order;
    /** Slice boundaries per population: slice w of population p is [bounds[p][w], bounds[p][w + 1]). */
    private final int[][] bounds;
    private final SliceRoute[][] routesBySource;
    /** [round parity][population]: slice w's spikes of the round at [bounds[p][w], + spikeCounts[..][p][w]). */
    private final int[][][] spikes;
    private final int[][][] spikeCounts;
    /** What each slice's delivery read when touching its rows (at {@link #countAt}): never used otherwise. */
    private final int[] touched;
    /**
     * Per slice w, at {@link #task}(w, UPDATE_CLAIM .. DELIVER_DONE): the last round whose update (delivery) was claimed
     * and finished. A slice's task is claimed by CAS from round − 1 to round: by its own thread, or by the stepping
     * thread when that thread has not claimed it yet (descheduled on a loaded machine), so a step never waits for a
     * thread that is not running unless it is in the middle of a task. Each line of 128 bytes holds one writer's
     * words: slice w's counters; thread w's SLEEPING flag (written only around a park, so that the other threads'
     * reads of it stay in their caches); the stepping thread's GO word with the step index of that round.
     */
    private final AtomicLongArray slice;
    private static final int UPDATE_CLAIM = 0;
    private static final int UPDATE_DONE = 1;
    private static final int DELIVER_CLAIM = 2;
    private static final int DELIVER_DONE = 3;
    /** The round the threads are to run (rounds count steps since construction, unlike step indices), and its step index. */
    private final int go;
    private final int goStep;
    private final RuntimeException[] failures;
    private final Thread[] threads;
    private volatile boolean closed;
    /** Tests: the other threads claim nothing, as if never scheduled, so the stepping thread does every slice. */
    private volatile boolean hold;
    private final boolean adaptive;
    /** The stepping thread does every slice; the other threads park until this turns false. */
    private volatile boolean solo;
    /**
     * The stepping thread's own counters, in an array of their own: as fields they would share cache lines with the
     * fields the other threads read in every step, and each write would take the line from them.
     */
    private final long[] own = new long[3 * PAD];
    private static final int ROUND = PAD;
    private static final int PARALLEL_ROUNDS = PAD + 1;
    private static final int WINDOW_STEP = PAD + 2;
    private static final int WINDOW_START = PAD + 3;
    private static final int WINDOWS_SINCE_PROBE = PAD + 4;
    /** Recent wall nanoseconds per step: [0] the stepping thread alone, [1] all threads; 0 = not timed yet. */
    private final double[] cost = new double[2];

    PartitionedStep(final Network network, final Layer[] allLayers, final Route[][] routes, final int workers, final boolean adaptive)
    {
        this.adaptive = adaptive && workers > 1;
        final String unsupported = unsupported(network);
        if (unsupported != null)
        {
            throw new IllegalArgumentException(unsupported);
        }
        if (workers < 1 || workers > Simulator.MAX_THREADS)
        {
            throw new IllegalArgumentException("threads must be in [1, " + Simulator.MAX_THREADS + "], got " + workers);
        }
        this.workers = workers;
        final int count = allLayers.length;
        layers = new LifLayer[count];
        lifs = new io.spikering.neuron.CubaLif[count];
        exSlots = new double[count][][];
        inSlots = new double[count][][];
        ringMasks = new int[count];
        bounds = new int[count][];
        spikes = new int[2][count][];
        spikeCounts = new int[2][count][countAt(workers)];
        touched = new int[countAt(workers)];
        for (int p = 0; p < count; p++)
        {
            layers[p] = (LifLayer)allLayers[p];
            bounds[p] = slices(layers[p].spec.outputSize, workers);
            layers[p].lif.partition(bounds[p]);
            lifs[p] = layers[p].lif;
            exSlots[p] = layers[p].rings[0].slots;
            inSlots[p] = layers[p].rings[1].slots;
            if (layers[p].rings[0].mask != layers[p].rings[1].mask)
            {
                throw new IllegalStateException("the input rings of population '" + layers[p].spec.name + "' differ in size");
            }
            ringMasks[p] = layers[p].rings[0].mask;
            spikes[0][p] = new int[layers[p].spec.outputSize];
            spikes[1][p] = new int[layers[p].spec.outputSize];
        }
        order = network.order();
        routesBySource = new SliceRoute[count][];
        for (int p = 0; p < count; p++)
        {
            routesBySource[p] = new SliceRoute[routes[p].length];
            for (int k = 0; k < routes[p].length; k++)
            {
                routesBySource[p][k] = new SliceRoute(routes[p][k], bounds[network.projection(routes[p][k].id).target]);
            }
        }
        go = task(2 * workers, 0);
        goStep = go + 1;
        slice = new AtomicLongArray(go + 2 * PAD);
        failures = new RuntimeException[workers];
        threads = new Thread[workers];
        for (int w = 1; w < workers; w++)
        {
            final int worker = w;
            threads[w] = new Thread(() -> workerLoop(worker), "spikering-step-" + w);
            threads[w].setDaemon(true);
            threads[w].start();
        }
    }

    /** Why {@code network} cannot be stepped partitioned, or null when it can. */
    static String unsupported(final Network network)
    {
        final String what = "the partitioned step takes LIF populations (always active, no bias) joined by sparse projections " +
            "into the excitatory or inhibitory port with delay >= 1 (the CUBA family); ";
        for (int p = 0; p < network.populationCount(); p++)
        {
            final Population pop = network.population(p);
            if (pop.kind != PopulationKind.LIF)
            {
                return what + "population '" + pop.name + "' is " + pop.kind + "; use new Simulator(network, threads) instead";
            }
            if (pop.activeFrom != 0 || pop.activeUntil != Long.MAX_VALUE || pop.bias != null || pop.sigmaInput)
            {
                return what + "population '" + pop.name + "' has an active window, a bias or a SIGMA input; use new Simulator(network, threads) instead";
            }
        }
        for (int r = 0; r < network.projectionCount(); r++)
        {
            final Projection p = network.projection(r);
            if (p.sparseTargets == null)
            {
                return what + "projection '" + p.name + "' is not sparse; use new Simulator(network, threads) instead";
            }
            if (p.delay < 1 || p.port == Port.SIGMA)
            {
                return what + "projection '" + p.name + "' has delay " + p.delay + " and port " + p.port + "; use new Simulator(network, threads) instead";
            }
        }
        return null;
    }

    /**
     * Index phase (mod 8) of the double[] elements that start a 64-byte line when the array itself starts on one (as
     * with -XX:ObjectAlignmentInBytes=64, which the launcher sets for {@code bench}).
     */
    static final int LINE_PHASE = Math.floorMod(-sun.misc.Unsafe.ARRAY_DOUBLE_BASE_OFFSET / Double.BYTES, 8);

    /** W slices of about size / W neurons, boundaries at {@link #LINE_PHASE} mod 8 (see the other overload). */
    static int[] slices(final int size, final int workers)
    {
        return slices(size, workers, LINE_PHASE);
    }

    /**
     * W slices of about size / W neurons, boundaries at {@code phase} mod 8: with the line phase of the arrays, no 64-byte
     * line of the neurons' state or input slots holds two slices' elements, so the threads never write one line.
     */
    static int[] slices(final int size, final int workers, final int phase)
    {
        final int[] b = new int[workers + 1];
        for (int w = 1; w < workers; w++)
        {
            b[w] = Math.min(size, (int)(Math.floorDiv((long)size * w / workers + 4 - phase, 8) * 8 + phase));
            b[w] = Math.max(b[w], b[w - 1]);
        }
        b[workers] = size;
        return b;
    }

    int workers()
    {
        return workers;
    }

    /** Index of slice w's word {@code word} in {@link #slice} (a line of its own after one line of padding). */
    private static int task(final int w, final int word)
    {
        return (1 + w) * PAD + word;
    }

    /** Index of thread w's SLEEPING flag in {@link #slice}; the next word counts its parks. */
    private int sleeping(final int w)
    {
        return task(workers + w, 0);
    }

    /** Where slice w's spike count sits in a spikeCounts row: a line apart, as different threads write them. */
    private static int countAt(final int w)
    {
        return w * PAD;
    }

    /** Tests: while {@code true}, the other threads claim no task (the stepping thread takes them all). */
    void hold(final boolean on)
    {
        hold = on;
    }

    /** After a reset re-created the LIF neurons: cut them into the same slices. */
    void repartition()
    {
        for (int p = 0; p < layers.length; p++)
        {
            layers[p].lif.partition(bounds[p]);
            lifs[p] = layers[p].lif;
        }
    }

    /**
     * Step {@code t}: this thread updates slice 0 (and any slice no other thread has claimed yet), waits for all updates,
     * delivers into slice 0, fills the populations' event arrays, counts ops and calls listeners as the direct path
     * does, and delivers any slice still unclaimed. Other threads' deliveries may still run when this returns; the next
     * step's update of a slice and {@link #quiesce} wait for them. Throws (as the direct path) if an update threw.
     */
    void step(final long t, final OpCounter ops, final SpikeListener[] listeners)
    {
        final long r = ++own[ROUND];
        final Thread current = Thread.currentThread();
        if (threads[0] != current)
        {
            threads[0] = current;
        }
        if (adaptive)
        {
            schedule();
        }
        if (!solo)
        {
            own[PARALLEL_ROUNDS]++;
        }
        slice.setRelease(goStep, t);
        signal(0, go, r);
        if (claim(0, UPDATE_CLAIM, r))
        {
            update(0, t, r);
        }
        for (int w = 1; w < workers; w++)
        {
            long since = 0;
            while (slice.get(task(w, UPDATE_DONE)) < r)
            {
                // its own thread has not started it and its previous delivery is done: do it here
                if (slice.get(task(w, DELIVER_DONE)) >= r - 1 && claim(w, UPDATE_CLAIM, r))
                {
                    update(w, t, r);
                }
                else
                {
                    since = pause(0, task(w, UPDATE_DONE), r, since);
                }
            }
        }
        if (claim(0, DELIVER_CLAIM, r))
        {
            deliver(0, t, r);
        }
        RuntimeException failure = null;
        for (int w = 0; w < workers; w++)
        {
            if (failures[w] != null)
            {
                failure = failure == null ? failures[w] : failure; // the lowest slice's
                failures[w] = null;
            }
        }
        if (failure == null)
        {
            collect(t, r, ops, listeners);
        }
        for (int w = 1; w < workers; w++)
        {
            if (claim(w, DELIVER_CLAIM, r))
            {
                deliver(w, t, r);
            }
        }
        if (failure != null)
        {
            quiesce();
            throw failure;
        }
    }

    /** Adaptive mode: times the window that ends and picks the mode of the next one. */
    private void schedule()
    {
        final long[] own = this.own;
        final int s = (int)own[WINDOW_STEP]++;
        if (s == SETTLE)
        {
            own[WINDOW_START] = System.nanoTime();
        }
        else if (s == WINDOW)
        {
            final long now = System.nanoTime();
            final int mode = solo ? 0 : 1;
            final double perStep = (double)(now - own[WINDOW_START]) / (WINDOW - SETTLE);
            cost[mode] = cost[mode] == 0 ? perStep : 0.5 * (cost[mode] + perStep);
            int next = cost[0] <= cost[1] ? 0 : 1; // a mode not timed yet (0) is timed next
            if (++own[WINDOWS_SINCE_PROBE] >= PROBE_EVERY)
            {
                next = 1 - next;
                own[WINDOWS_SINCE_PROBE] = 0;
            }
            if (next == mode)
            {
                own[WINDOW_STEP] = SETTLE + 1;
                own[WINDOW_START] = now;
                return;
            }
            own[WINDOW_STEP] = 1;
            solo = next == 0;
            if (!solo)
            {
                for (int w = 1; w < workers; w++)
                {
                    LockSupport.unpark(threads[w]);
                }
            }
        }
    }

    /** Tests: how many times the threads parked (waits longer than YIELD_NANOS) since construction. */
    long parks()
    {
        long parks = 0;
        for (int w = 0; w < workers; w++)
        {
            parks += slice.get(sleeping(w) + 1);
        }
        return parks;
    }

    /** Rounds run with all threads (the others ran on the stepping thread alone, adaptive mode). */
    long parallelRounds()
    {
        return own[PARALLEL_ROUNDS];
    }

    /** Claims slice w's task for round r (CAS from r − 1): true if this thread is to run it. */
    private boolean claim(final int w, final int task, final long r)
    {
        final int at = task(w, task);
        return slice.get(at) == r - 1 && slice.compareAndSet(at, r - 1, r);
    }

    /** The populations' event arrays, op counts and listeners of round r, on the stepping thread. */
    private void collect(final long t, final long r, final OpCounter ops, final SpikeListener[] listeners)
    {
        final int parity = (int)(r & 1);
        for (final int id : order)
        {
            final LifLayer layer = layers[id];
            collect(layer, spikes[parity][id], spikeCounts[parity][id], bounds[id]);
            ops.countPopulation(layer);
            final int n = layer.eventCount;
            final int[] neurons = layer.eventNeurons;
            final int[] counts = layer.eventCounts;
            for (final SpikeListener listener : listeners)
            {
                listener.onEvents(t, id, neurons, counts, n);
            }
            for (final SliceRoute s : routesBySource[id])
            {
                ops.countEvents(s.route, neurons, counts, layer.eventValues, n);
            }
        }
    }

    /** As {@link LifLayer#update} after the neurons stepped: the previous events cleared, this step's filled in. */
    private static void collect(final LifLayer layer, final int[] spikes, final int[] counts, final int[] bounds)
    {
        final int[] previous = layer.eventNeurons;
        for (int k = 0; k < layer.eventCount; k++)
        {
            layer.counts[previous[k]] = 0;
            layer.output[previous[k]] = 0.0;
        }
        int n = 0;
        for (int w = 0; w < bounds.length - 1; w++)
        {
            for (int k = bounds[w], end = bounds[w] + counts[countAt(w)]; k < end; k++)
            {
                final int i = spikes[k];
                layer.counts[i] = 1;
                layer.output[i] = 1.0;
                layer.eventNeurons[n] = i;
                layer.eventCounts[n] = 1;
                layer.eventValues[n] = 1.0;
                n++;
            }
        }
        layer.eventCount = n;
        layer.silent = false;
    }

    /** Slice w of every population: integrate, then clear the input slots read (read-and-clear). */
    private void update(final int w, final long t, final long r)
    {
        final int parity = (int)(r & 1);
        try
        {
            for (final int id : order)
            {
                final int slot = (int)(t & ringMasks[id]);
                try
                {
                    spikeCounts[parity][id][countAt(w)] = lifs[id].stepRangeAndClear(w, exSlots[id][slot], inSlots[id][slot],
                        spikes[parity][id], bounds[id][w]);
                }
                catch (final IllegalArgumentException e)
                {
                    throw new IllegalStateException("population '" + layers[id].spec.name + "' at step " + t + ": " + e.getMessage(), e);
                }
            }
        }
        catch (final RuntimeException e)
        {
            failures[w] = e;
            for (int id = 0; id < layers.length; id++)
            {
                spikeCounts[parity][id][countAt(w)] = 0;
            }
        }
        signal(w, task(w, UPDATE_DONE), r);
    }

    /** Adds every spike of round r (all slices, ascending) into slice w's targets, in the direct path's order. */
    private void deliver(final int w, final long t, final long r)
    {
        final int parity = (int)(r & 1);
        int touch = 0;
        for (final int id : order)
        {
            final int[] list = spikes[parity][id];
            final int[] counts = spikeCounts[parity][id];
            final int[] b = bounds[id];
            for (final SliceRoute s : routesBySource[id])
            {
                final double[] acc = s.route.ring.slot(t + s.route.delay);
                final int[] offsets = s.offsets[w];
                final int[] tg = s.targets[w];
                final float[] wt = s.weights[w];
                // Touch the ends of every row first: the rows' cache misses (the rows of a large network are in
                // memory, not cache) then overlap instead of coming one row after another in the add loop below.
                for (int v = 0; v < workers; v++)
                {
                    for (int k = b[v], end = b[v] + counts[countAt(v)]; k < end; k++)
                    {
                        final int i = list[k];
                        final int from = offsets[i];
                        final int to = offsets[i + 1];
                        if (from < to)
                        {
                            touch += tg[from] + tg[to - 1] + Float.floatToRawIntBits(wt[from]) + Float.floatToRawIntBits(wt[to - 1]);
                        }
                    }
                }
                for (int v = 0; v < workers; v++)
                {
                    for (int k = b[v], end = b[v] + counts[countAt(v)]; k < end; k++)
                    {
                        final int i = list[k];
                        for (int j = offsets[i], to = offsets[i + 1]; j < to; j++)
                        {
                            // 1.0 * w: the direct path's s * w[k] with the LIF event value s = 1.0
                            acc[tg[j]] += 1.0 * wt[j];
                        }
                    }
                }
            }
        }
        touched[countAt(w)] = touch; // kept, so that the compiler keeps the touching loads
        signal(w, task(w, DELIVER_DONE), r);
    }

    private void workerLoop(final int w)
    {
        long seen = 0;
        while (!closed)
        {
            if (solo)
            {
                // the stepping thread runs alone for a while (adaptive mode): no spinning, no wake-ups per step
                LockSupport.parkNanos(SOLO_PARK_NANOS);
                continue;
            }
            await(w, go, seen + 1);
            final long r = slice.get(go);
            if (r <= seen)
            {
                continue; // closed
            }
            seen = r;
            final long t = slice.get(goStep);
            if (slice.get(go) != r)
            {
                continue; // a later round started meanwhile: t may be its step; start over with it
            }
            // The claims fail if the stepping thread took the task or the round is over: then there is nothing to do.
            if (hold || !claim(w, UPDATE_CLAIM, r))
            {
                continue;
            }
            update(w, t, r);
            for (int v = 0; v < workers; v++)
            {
                await(w, task(v, UPDATE_DONE), r);
            }
            if (claim(w, DELIVER_CLAIM, r))
            {
                deliver(w, t, r);
            }
        }
    }

    /** Thread {@code self} waits until {@code slice[at] >= value} (or close). */
    private void await(final int self, final int at, final long value)
    {
        long since = 0;
        while (slice.get(at) < value && !closed)
        {
            since = pause(self, at, value, since);
        }
    }

    /**
     * One wait of thread {@code self} for {@code slice[at] >= value}: a spin, after SPIN_NANOS a yield, after
     * YIELD_NANOS a park. {@code since}: when the waiting began (0 at the first call); returns it.
     */
    private long pause(final int self, final int at, final long value, final long since)
    {
        final long now = System.nanoTime();
        if (since == 0 || now - since < SPIN_NANOS)
        {
            Thread.onSpinWait();
            return since == 0 ? now : since;
        }
        if (now - since < YIELD_NANOS)
        {
            Thread.yield();
            return since;
        }
        // flag first, then look again: a signal between the two finds the flag and unparks (no lost wake-up)
        final int flag = sleeping(self);
        slice.set(flag, 1);
        if (slice.get(at) < value && !closed)
        {
            slice.lazySet(flag + 1, slice.get(flag + 1) + 1);
            LockSupport.parkNanos(PARK_NANOS);
        }
        slice.set(flag, 0);
        return since;
    }

    /** Thread {@code self} sets {@code slice[at] = value} and wakes the threads parked in {@link #pause}. */
    private void signal(final int self, final int at, final long value)
    {
        slice.set(at, value);
        for (int w = 0; w < workers; w++)
        {
            if (w != self && slice.get(sleeping(w)) != 0)
            {
                LockSupport.unpark(threads[w]);
            }
        }
    }

    /** Waits until every slice's last delivery is done: the input rings are then quiet and can be read. */
    void quiesce()
    {
        threads[0] = Thread.currentThread();
        for (int w = 0; w < workers; w++)
        {
            await(0, task(w, DELIVER_DONE), own[ROUND]);
        }
    }

    @Override
    public void close()
    {
        if (closed)
        {
            return;
        }
        closed = true;
        for (int w = 1; w < workers; w++)
        {
            LockSupport.unpark(threads[w]);
        }
        for (int w = 1; w < workers; w++)
        {
            try
            {
                threads[w].join();
            }
            catch (final InterruptedException e)
            {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
