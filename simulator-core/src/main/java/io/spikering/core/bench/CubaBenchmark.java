package io.spikering.core.bench;

import io.spikering.core.engine.Network;
import io.spikering.core.engine.OpCounter;
import io.spikering.core.engine.Simulator;
import io.spikering.core.engine.SpikeListener;
import io.spikering.core.record.RecordingInfo;
import io.spikering.core.record.SpikeRecorder;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Times the {@link CubaNetwork}: a warm-up run (JIT compilation) of {@code warmupSeconds}, then the timed run of
 * {@code seconds} continuing from the warm-up's state (as the Brian2 script does). Spikes, rates and synaptic
 * events are those of the timed part only.
 */
public final class CubaBenchmark
{
    /** How the network is stepped. */
    public enum Mode
    {
        /** {@code new Simulator(network)}: one thread. */
        DIRECT,
        /** {@code new Simulator(network, threads)}: the stepping thread plus that many Disruptor delivery handlers. */
        DISRUPTOR,
        /**
         * {@link Simulator#partitioned}: neuron update and delivery split across that many threads (stepping thread
         * included), adaptive (windows of steps run by the stepping thread alone when that measured faster).
         */
        PARTITIONED,
        /** As {@link #PARTITIONED} with every step on all threads ({@code Simulator.partitioned(network, threads, false)}). */
        PARTITIONED_FIXED,
        /**
         * {@link #PARTITIONED_FIXED} from {@link #PARTITION_MIN_NEURONS} neurons on, {@link #DIRECT} below, where the
         * hand-offs between threads cost more than they split (measured on 2 cores: docs/benchmarks.md).
         */
        AUTO
    }

    /** Smallest network {@link Mode#AUTO} partitions. */
    public static final int PARTITION_MIN_NEURONS = 40_000;

    /** What one benchmark run measured. */
    public record Result(
        long seed,
        int neurons,
        long synapses,
        String delivery,
        double warmupSeconds,
        double simulatedSeconds,
        double wallSeconds,
        double cpuSeconds,
        double threadCpuSeconds,
        long spikes,
        long spikesExc,
        long spikesInh,
        long synapticEvents,
        double parallelShare)
    {
        /** Wall seconds per simulated second (smaller is faster; &lt; 1 is faster than real time). */
        public double wallPerSimulatedSecond()
        {
            return wallSeconds / simulatedSeconds;
        }

        /**
         * Process CPU seconds (all JVM threads, as Python's process_time) per simulated second: steadier than wall
         * time when other processes share the cores.
         */
        public double cpuPerSimulatedSecond()
        {
            return cpuSeconds / simulatedSeconds;
        }

        /** Mean firing rate over all neurons, Hz. */
        public double meanRateHz()
        {
            return spikes / (neurons * simulatedSeconds);
        }

        /** Spike deliveries (one per spike per synapse) per wall second. */
        public double synapticEventsPerSecond()
        {
            return synapticEvents / wallSeconds;
        }

        /** One JSON object on one line. */
        public String toJson()
        {
            return String.format(Locale.ROOT,
                "{\"simulator\": \"spikering\", \"delivery\": \"%s\", \"integration\": \"exact (NEST iaf_psc_exp propagators)\"," +
                " \"neurons\": %d, \"synapses\": %d, \"dt_ms\": %s, \"seed\": %d, \"warmup_s\": %s, \"simulated_s\": %s," +
                " \"wall_s\": %.4f, \"wall_per_sim_s\": %.4f, \"cpu_s\": %.4f, \"cpu_per_sim_s\": %.4f, \"thread_cpu_s\": %.4f, \"spikes\": %d, \"spikes_exc\": %d, \"spikes_inh\": %d," +
                " \"mean_rate_hz\": %.3f, \"synaptic_events\": %d, \"synaptic_events_per_s\": %.0f, \"parallel_share\": %.3f}",
                delivery, neurons, synapses, CubaNetwork.DT_MS, seed, warmupSeconds, simulatedSeconds, wallSeconds,
                wallPerSimulatedSecond(), cpuSeconds, cpuPerSimulatedSecond(), threadCpuSeconds, spikes, spikesExc, spikesInh, meanRateHz(), synapticEvents, synapticEventsPerSecond(), parallelShare);
        }
    }

    /** Counts spikes per population from a given step on. */
    private static final class SpikeCounter implements SpikeListener
    {
        final long[] spikes;
        long fromStep;

        SpikeCounter(final int populations)
        {
            spikes = new long[populations];
        }

        public void onEvents(final long step, final int population, final int[] neurons, final int[] counts, final int n)
        {
            if (step >= fromStep)
            {
                spikes[population] += n;
            }
        }
    }

    private static final com.sun.management.OperatingSystemMXBean PROCESS =
        (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private CubaBenchmark()
    {
    }

    /** Steps for a duration in seconds at {@link CubaNetwork#DT_MS}, rejecting durations that are not whole steps' worth. */
    public static int steps(final String what, final double seconds)
    {
        final double steps = seconds * 1000.0 / CubaNetwork.DT_MS;
        if (!(seconds >= 0) || steps > Integer.MAX_VALUE)
        {
            throw new IllegalArgumentException(what + " must be in [0, " + (Integer.MAX_VALUE / 10_000) + "] s, got " + seconds);
        }
        return (int)Math.round(steps);
    }

    /**
     * Builds the network from {@code seed}, runs the warm-up and the timed part with {@code threads} delivery handler
     * threads (0 = the direct single-threaded path), optionally recording every spike (warm-up included) to
     * {@code recordDir} (checked before the run; null for none).
     */
    public static Result run(final long seed, final double seconds, final int threads, final double warmupSeconds,
        final Path recordDir) throws IOException
    {
        return run(seed, CubaNetwork.EXCITATORY + CubaNetwork.INHIBITORY, seconds, threads, warmupSeconds, recordDir);
    }

    /**
     * As {@link #run(long, double, int, double, Path)} on a network of the same family with {@code neurons} neurons (a
     * multiple of 5: four fifths excitatory, one fifth inhibitory; the same in-degrees, so the same rates).
     */
    public static Result run(final long seed, final int neurons, final double seconds, final int threads, final double warmupSeconds,
        final Path recordDir) throws IOException
    {
        return run(seed, neurons, seconds, threads == 0 ? Mode.DIRECT : Mode.DISRUPTOR, threads, warmupSeconds, recordDir);
    }

    /**
     * As {@link #run(long, int, double, int, double, Path)} stepped in {@code mode} with {@code threads} threads (handler
     * threads for {@link Mode#DISRUPTOR}, all threads for {@link Mode#PARTITIONED}; ignored for {@link Mode#DIRECT}).
     */
    public static Result run(final long seed, final int neurons, final double seconds, final Mode mode, final int threads,
        final double warmupSeconds, final Path recordDir) throws IOException
    {
        if (neurons < 100 || neurons > 10_000_000 || neurons % 5 != 0)
        {
            throw new IllegalArgumentException("--neurons must be a multiple of 5 in [100, 10000000] (4/5 excitatory, 1/5 inhibitory), got " +
                neurons);
        }
        final int timedSteps = steps("--seconds", seconds);
        if (timedSteps < 1)
        {
            throw new IllegalArgumentException("--seconds must be at least one step (" + CubaNetwork.DT_MS / 1000 + " s), got " + seconds);
        }
        final int warmupSteps = steps("--warmup", warmupSeconds);
        final Network network = neurons == CubaNetwork.EXCITATORY + CubaNetwork.INHIBITORY ? CubaNetwork.build(seed) :
            CubaNetwork.build(seed, neurons / 5 * 4, neurons / 5, CubaNetwork.CE, CubaNetwork.CI);
        long synapses = 0;
        for (int r = 0; r < network.projectionCount(); r++)
        {
            synapses += network.projection(r).nonZeroWeights();
        }
        final RecordingInfo info = RecordingInfo.of(network, CubaNetwork.DT_MS, "cuba",
            "Brette et al. 2007 CUBA (NEST iaf_psc_exp), seed " + seed + ", warm-up " + warmupSteps +
            " steps then " + timedSteps + " timed steps");
        final Mode run = mode != Mode.AUTO ? mode : neurons >= PARTITION_MIN_NEURONS ? Mode.PARTITIONED_FIXED : Mode.DIRECT;
        try (SpikeRecorder recorder = recordDir == null ? null : SpikeRecorder.create(recordDir, info);
            Simulator simulator = switch (run)
            {
                case DIRECT -> new Simulator(network);
                case DISRUPTOR -> new Simulator(network, threads);
                case PARTITIONED -> Simulator.partitioned(network, threads);
                case PARTITIONED_FIXED -> Simulator.partitioned(network, threads, false);
                case AUTO -> throw new AssertionError("resolved above");
            })
        {
            final SpikeCounter counter = new SpikeCounter(network.populationCount());
            counter.fromStep = warmupSteps;
            simulator.addListener(counter);
            if (recorder != null)
            {
                simulator.addListener(recorder);
            }
            simulator.run(warmupSteps);
            final long synopsBefore = simulator.ops().total(OpCounter.Op.SYNOPS);
            final long parallelBefore = simulator.parallelSteps();
            final long processStart = PROCESS.getProcessCpuTime();
            final long threadStart = THREADS.getCurrentThreadCpuTime();
            final long start = System.nanoTime();
            simulator.run(timedSteps);
            final double wall = (System.nanoTime() - start) * 1e-9;
            final double threadCpu = (THREADS.getCurrentThreadCpuTime() - threadStart) * 1e-9;
            final double processCpu = (PROCESS.getProcessCpuTime() - processStart) * 1e-9;
            final long synops = simulator.ops().total(OpCounter.Op.SYNOPS) - synopsBefore;
            final double parallelShare = (double)(simulator.parallelSteps() - parallelBefore) / timedSteps;
            final long exc = counter.spikes[0];
            final long inh = counter.spikes[1];
            final String delivery = (mode == Mode.AUTO ? "auto, " + threads + " threads: " : "") + switch (run)
            {
                case DIRECT -> "direct (1 thread)";
                case DISRUPTOR -> "disruptor (" + threads + (threads == 1 ? " handler thread)" : " handler threads)");
                case PARTITIONED -> "partitioned (" + threads + (threads == 1 ? " thread)" : " threads)");
                case PARTITIONED_FIXED -> "partitioned (" + threads + (threads == 1 ? " thread" : " threads") + ", fixed)";
                case AUTO -> throw new AssertionError("resolved above");
            };
            return new Result(seed, neurons, synapses, delivery,
                warmupSteps * CubaNetwork.DT_MS / 1000, timedSteps * CubaNetwork.DT_MS / 1000, wall, processCpu, threadCpu, exc + inh, exc, inh, synops, parallelShare);
        }
    }
}
