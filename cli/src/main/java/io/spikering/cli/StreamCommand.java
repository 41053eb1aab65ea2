package io.spikering.cli;

import io.spikering.core.InputFiles;
import io.spikering.core.data.MnistDataset;
import io.spikering.core.data.PsMnist;
import io.spikering.core.stream.Sources;
import io.spikering.core.stream.StreamFeeder;
import io.spikering.core.stream.StreamReader;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code spikering stream feed|run|read}: live streaming through Chronicle queues (docs/streaming.md). */
@Command(
    name = "stream",
    mixinStandardHelpOptions = true,
    description = "Stream samples through a Chronicle queue into a running network (docs/streaming.md).",
    subcommands = {StreamCommand.Feed.class, StreamRunCommand.class, StreamCommand.Read.class, StreamCommand.Accuracy.class,
        StreamCommand.SyntheticModel.class, StreamLatencyCommand.class})
public final class StreamCommand implements Runnable
{
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    public void run()
    {
        spec.commandLine().usage(System.out);
    }

    @Command(name = "feed", mixinStandardHelpOptions = true,
        description = "Append samples (one excerpt per time step) to an input queue.")
    static final class Feed implements Callable<Integer>
    {
        @Option(names = "--source", required = true, paramLabel = "psmnist|mackey-glass|FILE.csv",
            description = "psmnist: psMNIST test images (784 steps each, labelled; needs 'data fetch mnist'); " +
                "mackey-glass: NeuroBench Mackey-Glass repeats (1500 steps each); FILE.csv: one sample per line, blank line ends a sequence.")
        String source;

        @Option(names = "--queue", required = true, paramLabel = "DIR", description = "Input queue directory (created if absent).")
        Path queue;

        @Option(names = "--rate", defaultValue = "0", paramLabel = "HZ", description = "Samples per second (0 = as fast as possible).")
        double rate;

        @Option(names = "--count", paramLabel = "N", description = "Append at most N samples, N >= 1 (default: all).")
        Long count;

        @Option(names = "--repeats", defaultValue = "1", paramLabel = "K", description = "mackey-glass: repeats 0..K-1 (default 1).")
        int repeats;

        @Option(names = "--permutation-seed", defaultValue = "0", paramLabel = "SEED",
            description = "psmnist: pixel permutation seed; must match the model's dataset.permutation_seed (default ${DEFAULT-VALUE}).")
        long permutationSeed;

        @Option(names = "--stream-id", defaultValue = "0", paramLabel = "ID", description = "Stream id written in each sample.")
        int streamId;

        @Option(names = "--spin-us", defaultValue = "50", paramLabel = "US",
            description = "With --rate: park until US microseconds before each sample is due, then spin (0 = only park; less CPU, " +
                "appends up to the OS timer slack late) (default ${DEFAULT-VALUE}).")
        long spinMicros;

        @Option(names = "--cpu", defaultValue = "-1", paramLabel = "N", description = "Pin the feeding thread to CPU N (-1 = not pinned).")
        int cpu;

        @Option(names = "--pretouch-kb", defaultValue = "4096", paramLabel = "KB",
            description = "Touch the queue file's pages this far ahead of the appends from a background thread (0 = off) " +
                "(default ${DEFAULT-VALUE}).")
        long pretouchKb;

        @Option(names = "--no-end-mark", description = "Do not flag the last sample as end of stream (a runner then keeps tailing).")
        boolean noEndMark;

        public Integer call() throws IOException
        {
            if (count != null)
            {
                Validate.range("--count", count, 1, Long.MAX_VALUE);
            }
            if (!(rate >= 0) || !Double.isFinite(rate))
            {
                throw new IllegalArgumentException("--rate must be >= 0 samples/s, got " + rate);
            }
            if (repeats < 1 || repeats > 10_000)
            {
                throw new IllegalArgumentException("--repeats must be in [1, 10000], got " + repeats);
            }
            if (spinMicros < 0 || spinMicros > 1_000_000)
            {
                throw new IllegalArgumentException("--spin-us must be in [0, 1000000], got " + spinMicros);
            }
            final StreamFeeder.Source src = switch (source)
            {
                case "mackey-glass" -> Sources.mackeyGlass(repeats);
                case "psmnist" -> Sources.pixels(PsMnist.load(MnistDataset.defaultCacheDir(), permutationSeed).test());
                default ->
                {
                    final Path file = Path.of(source);
                    InputFiles.requireRegular("--source (psmnist, mackey-glass or a CSV file)", file, "");
                    yield Sources.csv(file);
                }
            };
            final long n;
            final long start;
            try (StreamFeeder feeder = new StreamFeeder(queue, streamId, StreamEngineOptions.checkPretouch(pretouchKb)))
            {
                if (cpu >= 0) // after the feeder started its pre-touch thread, which would inherit the CPU
                {
                    io.spikering.core.stream.CpuPinning.pinCurrentThread(cpu, "--cpu");
                }
                start = System.nanoTime();
                n = feeder.feed(src, count == null ? -1 : count, rate, !noEndMark, spinMicros * 1000);
            }
            final double s = (System.nanoTime() - start) / 1e9;
            System.out.printf("appended %d samples to %s in %.3f s (%.0f samples/s)%n", n, queue, s, n / s);
            return 0;
        }
    }

    @Command(name = "accuracy", mixinStandardHelpOptions = true,
        description = "Classification accuracy of a 'stream run' output queue: argmax of the output at each labelled sequence end.")
    static final class Accuracy implements Callable<Integer>
    {
        @Option(names = "--in", required = true, paramLabel = "DIR", description = "Input queue (labelled, e.g. --source psmnist).")
        Path in;

        @Option(names = "--out", required = true, paramLabel = "DIR", description = "Output queue of 'stream run'.")
        Path out;

        public Integer call() throws IOException
        {
            final io.spikering.core.stream.StreamAccuracy.Result r = io.spikering.core.stream.StreamAccuracy.of(in, out);
            System.out.printf(java.util.Locale.ROOT, "accuracy %.4f (%d of %d sequences)%n", r.accuracy(), r.correct(), r.sequences());
            return 0;
        }
    }

    @Command(name = "synthetic-model", mixinStandardHelpOptions = true,
        description = "Write a random-weight lmu-predictor of a given size (e.g. psMNIST-size: --order 256 --theta 784 --hidden 212 " +
            "--outputs 10) for latency and throughput measurements.")
    static final class SyntheticModel implements Callable<Integer>
    {
        @Option(names = "--order", defaultValue = "256", description = "Memory order (default ${DEFAULT-VALUE}).")
        int order;
        @Option(names = "--theta", defaultValue = "784", description = "Memory window in steps (default ${DEFAULT-VALUE}).")
        double theta;
        @Option(names = "--hidden", defaultValue = "212", description = "Hidden sigma-delta units (default ${DEFAULT-VALUE}).")
        int hidden;
        @Option(names = "--outputs", defaultValue = "10", description = "Outputs (default ${DEFAULT-VALUE}).")
        int outputs;
        @Option(names = "--quantizer-dt", defaultValue = "1", description = "Sigma-delta dt (default ${DEFAULT-VALUE}).")
        double dt;
        @Option(names = "--reset", description = "Reset the network at sequence starts (default: run continuously).")
        boolean reset;
        @Option(names = "--seed", defaultValue = "1", description = "Seed (default ${DEFAULT-VALUE}).")
        long seed;
        @Option(names = "--out", required = true, paramLabel = "FILE", description = "Model file to write.")
        Path out;

        public Integer call() throws IOException
        {
            if (order < 1 || order > 1024 || hidden < 1 || hidden > 100_000 || outputs < 1 || outputs > 10_000)
            {
                throw new IllegalArgumentException("--order in [1, 1024], --hidden in [1, 100000], --outputs in [1, 10000]; got " + order +
                    ", " + hidden + ", " + outputs);
            }
            io.spikering.core.stream.RandomPredictors.random(order, theta, hidden, outputs, dt, reset, seed).write(out);
            System.out.println("wrote " + out + " (random weights: for latency measurements only)");
            return 0;
        }
    }

    @Command(name = "read", mixinStandardHelpOptions = true,
        description = "Print what an input or output queue holds as CSV (stdout or --csv FILE).")
    static final class Read implements Callable<Integer>
    {
        @Option(names = "--queue", required = true, paramLabel = "DIR", description = "Queue directory.")
        Path queue;

        @Option(names = "--csv", paramLabel = "OUT", description = "Write the CSV to this file instead of stdout.")
        Path csv;

        public Integer call() throws IOException
        {
            if (csv == null)
            {
                StreamReader.toCsv(queue, System.out);
                System.out.flush();
                return 0;
            }
            try (PrintStream out = new PrintStream(Files.newOutputStream(csv), false, StandardCharsets.UTF_8))
            {
                final long rows = StreamReader.toCsv(queue, out);
                System.out.println("wrote " + rows + " rows to " + csv);
            }
            return 0;
        }
    }
}
