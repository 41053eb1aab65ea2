package io.spikering.cli;

import io.spikering.core.bench.CubaBenchmark;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code spikering bench}: standard benchmark networks. */
@Command(
    name = "bench",
    mixinStandardHelpOptions = true,
    description = "Standard benchmark networks, timed.",
    subcommands = {BenchCommand.Cuba.class})
public final class BenchCommand implements Runnable
{
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public void run()
    {
        spec.commandLine().usage(System.out);
    }

    /** {@code spikering bench cuba}: the Brette et al. 2007 CUBA network (docs/benchmarks.md). */
    @Command(
        name = "cuba",
        mixinStandardHelpOptions = true,
        description = "Simulates the CUBA network of Brette et al. 2007 (3200 exc + 800 inh current-based LIF, "
            + "fixed in-degree 64/16, NEST iaf_psc_exp parameters) and prints simulated s, wall s, wall s per simulated s, "
            + "CPU s per simulated s, spikes, mean rate and synaptic events per second. A warm-up run (--warmup) first "
            + "lets the JIT compile the hot loops; the timed run continues from its state.")
    static final class Cuba implements Callable<Integer>
    {
        @Option(names = "--seconds", defaultValue = "1", description = "Simulated seconds timed (default ${DEFAULT-VALUE}).")
        double seconds;

        @Option(names = "--warmup", defaultValue = "1", description = "Simulated seconds of warm-up before timing (default ${DEFAULT-VALUE}).")
        double warmup;

        @Option(names = "--threads", defaultValue = "1",
            description = "1 (default): the direct single-threaded path; N > 1: the partitioned step, neuron update and spike "
                + "delivery split across N threads (the stepping thread included), from 40,000 neurons on; below, where it does not pay, "
                + "the direct path. Bit-identical results either way.")
        int threads;

        @Option(names = "--fixed", description = "With --threads N > 1: the partitioned step at any size, every step on all N threads.")
        boolean fixed;

        @Option(names = "--adaptive", description = "With --threads N > 1: the partitioned step at any size, adaptive: windows of steps run "
            + "by the stepping thread alone when that measured faster (a loaded machine); same results.")
        boolean adaptive;

        @Option(names = "--disruptor", description = "Instead: the stepping thread plus --threads Disruptor delivery handler threads (also with --threads 1).")
        boolean disruptor;

        @Option(names = "--neurons", defaultValue = "4000",
            description = "Network size, a multiple of 5 (4/5 excitatory, 1/5 inhibitory), same in-degrees 64/16 (default ${DEFAULT-VALUE}).")
        int neurons;

        @Option(names = "--seed", defaultValue = "42", description = "Network and initial-state seed (default ${DEFAULT-VALUE}).")
        long seed;

        @Option(names = "--json", description = "Print one JSON object instead of text.")
        boolean json;

        @Option(names = "--record", paramLabel = "DIR", description = "Record every spike (warm-up included) to a new recording directory.")
        Path record;

        public Integer call() throws IOException
        {
            if (threads < 1 || threads > 64)
            {
                throw new IllegalArgumentException("--threads must be in [1, 64], got " + threads);
            }
            if (!(seconds > 0) || !(warmup >= 0))
            {
                throw new IllegalArgumentException("--seconds must be > 0 and --warmup >= 0, got " + seconds + " and " + warmup);
            }
            if ((fixed || adaptive) && (disruptor || threads == 1))
            {
                throw new IllegalArgumentException("--fixed and --adaptive apply to the partitioned step (--threads N > 1 without --disruptor)");
            }
            if (fixed && adaptive)
            {
                throw new IllegalArgumentException("--fixed and --adaptive exclude each other: choose one");
            }
            final CubaBenchmark.Mode mode = disruptor ? CubaBenchmark.Mode.DISRUPTOR : threads == 1 ? CubaBenchmark.Mode.DIRECT
                : fixed ? CubaBenchmark.Mode.PARTITIONED_FIXED : adaptive ? CubaBenchmark.Mode.PARTITIONED : CubaBenchmark.Mode.AUTO;
            final CubaBenchmark.Result r = CubaBenchmark.run(seed, neurons, seconds, mode, threads, warmup, record);
            if (json)
            {
                System.out.println(r.toJson());
                return 0;
            }
            System.out.printf("CUBA (Brette et al. 2007, NEST iaf_psc_exp): %d neurons, %,d synapses, dt 0.1 ms, seed %d, %s%n",
                r.neurons(), r.synapses(), r.seed(), r.delivery());
            if (adaptive)
            {
                System.out.printf("steps on all threads:  %.1f %% (the rest on the stepping thread alone, adaptive)%n", 100 * r.parallelShare());
            }
            System.out.printf("JIT warm-up:           %.3f simulated s (not timed)%n", r.warmupSeconds());
            System.out.printf("simulated:             %.3f s%n", r.simulatedSeconds());
            System.out.printf("wall:                  %.3f s%n", r.wallSeconds());
            System.out.printf("wall per simulated s:  %.4f%n", r.wallPerSimulatedSecond());
            System.out.printf("CPU per simulated s:   %.4f (process CPU time, steadier than wall time on a shared machine;"
                + " stepping thread alone %.4f)%n", r.cpuPerSimulatedSecond(), r.threadCpuSeconds() / r.simulatedSeconds());
            System.out.printf("spikes:                %,d (exc %,d, inh %,d)%n", r.spikes(), r.spikesExc(), r.spikesInh());
            System.out.printf("mean rate:             %.2f Hz%n", r.meanRateHz());
            System.out.printf("synaptic events:       %,d (%.3g per wall s)%n", r.synapticEvents(), r.synapticEventsPerSecond());
            if (record != null)
            {
                System.out.printf("recording:             %s%n", record.toAbsolutePath().normalize());
            }
            return 0;
        }
    }
}
