package io.spikering.cli;

import io.spikering.core.data.MnistDataset;
import io.spikering.core.data.PsMnist;
import io.spikering.core.stream.CpuPinning;
import io.spikering.core.stream.LatencyBreakdown;
import io.spikering.core.stream.Sources;
import io.spikering.core.stream.StreamFeeder;
import io.spikering.core.stream.StreamRunner;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import org.HdrHistogram.Histogram;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code spikering stream latency}: a paced feeder and {@code stream run} for a fixed duration, then the
 * append-to-output latency percentiles, throughput and where the latency went ({@link LatencyBreakdown}).
 */
@Command(name = "latency", mixinStandardHelpOptions = true,
    description = "Measure streaming latency: feed samples at a fixed rate (from a second JVM by default) into 'stream run' for a " +
        "fixed duration and print append-to-output p50/p99/p99.9/max, throughput and a per-part breakdown (docs/streaming.md).")
final class StreamLatencyCommand implements Callable<Integer>
{
    @Mixin
    StreamEngineOptions engine;

    /** Ends the run if the feeder stops early (it failed); longer than a feeder JVM takes to start. */
    private static final long MAX_IDLE_MILLIS = 30_000;

    @Option(names = "--model", defaultValue = "models/psmnist-lmu-hybrid.safetensors", paramLabel = "FILE",
        description = "Model file (default ${DEFAULT-VALUE}).")
    Path model;

    @Option(names = "--source", defaultValue = "psmnist", paramLabel = "psmnist|mackey-glass",
        description = "Samples: psMNIST test images (needs 'data fetch mnist') or Mackey-Glass repeats (default ${DEFAULT-VALUE}).")
    String source;

    @Option(names = "--rate", defaultValue = "10000", paramLabel = "HZ", description = "Samples per second (default ${DEFAULT-VALUE}).")
    double rate;

    @Option(names = "--duration", defaultValue = "10", paramLabel = "S", description = "Measured seconds (default ${DEFAULT-VALUE}).")
    double duration;

    @Option(names = "--warmup", defaultValue = "5", paramLabel = "S",
        description = "Seconds fed at the same rate before measuring (JIT warm-up; not in the figures) (default ${DEFAULT-VALUE}).")
    double warmup;

    @Option(names = "--feeder", defaultValue = "process", paramLabel = "process|thread",
        description = "Feeder in a second JVM (like 'stream feed') or a thread of this JVM (default ${DEFAULT-VALUE}).")
    String feeder;

    @Option(names = "--feeder-spin-us", defaultValue = "50", paramLabel = "US",
        description = "Feeder parks until US µs before each sample is due, then spins (0 = only park) (default ${DEFAULT-VALUE}).")
    long feederSpinMicros;

    @Option(names = "--runner-cpu", defaultValue = "-1", paramLabel = "N",
        description = "Pin the stream thread to CPU N (-1 = not pinned); see --feeder-cpu (default ${DEFAULT-VALUE}).")
    int runnerCpu;

    @Option(names = "--feeder-cpu", defaultValue = "-1", paramLabel = "N",
        description = "Pin the feeding thread to CPU N (-1 = not pinned). On 2 cores: 'taskset -c 0 ./spikering stream latency " +
            "--runner-cpu 1 --feeder-cpu 0' keeps everything but the stream thread off CPU 1 (default ${DEFAULT-VALUE}).")
    int feederCpu;

    @Option(names = "--feeder-jvm-option", paramLabel = "OPT", description = "Extra JVM option for the feeder process (repeatable).")
    List<String> feederJvmOptions = new ArrayList<>();

    @Option(names = "--idle", defaultValue = "busy", paramLabel = "busy|backoff", description = "Runner idle strategy (default ${DEFAULT-VALUE}).")
    String idle;

        @Option(names = "--dir", paramLabel = "DIR", description = "Directory for the queues and snapshots (default: a new temporary one, deleted after).")
    Path dir;

    public Integer call() throws Exception
    {
        if (!(rate > 0) || rate > 10_000_000)
        {
            throw new IllegalArgumentException("--rate must be in (0, 10000000] samples/s, got " + rate);
        }
        if (!(duration > 0) || duration > 3600 || !(warmup >= 0) || warmup > 3600)
        {
            throw new IllegalArgumentException("--duration must be in (0, 3600] s and --warmup in [0, 3600] s; got " + duration + ", " + warmup);
        }
        if (feederSpinMicros < 0 || feederSpinMicros > 1_000_000)
        {
            throw new IllegalArgumentException("--feeder-spin-us must be in [0, 1000000], got " + feederSpinMicros);
        }
        if (!feeder.equals("process") && !feeder.equals("thread"))
        {
            throw new IllegalArgumentException("--feeder must be process or thread, got " + feeder);
        }
        if (!source.equals("psmnist") && !source.equals("mackey-glass"))
        {
            throw new IllegalArgumentException("--source must be psmnist or mackey-glass, got " + source);
        }
        final StreamRunner.Idle idleStrategy = engine.idleStrategy(idle);
        final long warmupSamples = Math.round(rate * warmup);
        final long count = warmupSamples + Math.max(1, Math.round(rate * duration));
        final boolean temporary = dir == null;
        final Path work = temporary ? Files.createTempDirectory("spikering-latency") : Files.createDirectories(dir);
        final Path in = work.resolve("in");
        try
        {
            if (Files.exists(in) || Files.exists(work.resolve("out")))
            {
                throw new IllegalArgumentException("--dir " + work + " already holds in/ or out/; use a new directory");
            }
            new StreamFeeder(in, 0).close(); // the runner tails an existing queue
            final long gcBefore = gcMillis();
            final Feeder feed = feeder.equals("process") ? new ProcessFeeder(in, count) : new ThreadFeeder(in, source(count), count);
            final StreamRunner.Summary s = StreamRunner.run(new StreamRunner.Options(model, in, work.resolve("out"), work.resolve("snapshots"),
                0, idleStrategy, StreamRunner.OnBad.STOP, engine.snapshotEvery, -1, MAX_IDLE_MILLIS, null, engine.memoryMode, warmupSamples, runnerCpu,
                engine.maxParkMicros * 1000, engine.memorySchedule, engine.pretouchBytes()));
            feed.await();
            print(System.out, s, count, warmupSamples, gcMillis() - gcBefore);
            return 0;
        }
        finally
        {
            if (temporary)
            {
                deleteTree(work);
            }
        }
    }

    private StreamFeeder.Source source(final long count) throws IOException
    {
        if (source.equals("mackey-glass"))
        {
            return Sources.mackeyGlass((int)Math.min(10_000, count / 1500 + 1));
        }
        return Sources.pixels(PsMnist.load(MnistDataset.defaultCacheDir(), 0).test());
    }

    private void print(final PrintStream out, final StreamRunner.Summary s, final long count, final long warmupSamples, final long gcMillis)
    {
        out.printf(Locale.ROOT, "stream latency: %s, %s source, paced %.0f samples/s by a feeder %s, %d warm-up + %d measured samples, " +
                "feeder spin %d µs, idle %s (max park %d µs), snapshot every %d, pre-touch %d KiB, CPUs runner %s feeder %s, load average %s%n", model.getFileName(), source,
            rate, feeder, warmupSamples, count - warmupSamples, feederSpinMicros, idle, engine.maxParkMicros, engine.snapshotEvery, engine.pretouchKb,
            cpu(runnerCpu), cpu(feederCpu), loadAverage());
        out.printf(Locale.ROOT, "throughput: %.0f samples/s (%d outputs after warm-up in %.3f s)%n", s.throughput(), s.measured(), s.seconds());
        percentiles(out, "append-to-output latency", s.latency());
        percentiles(out, "service time (read -> appended)", s.service());
        s.breakdown().print(out, s.seconds());
        out.printf(Locale.ROOT, "runner thread (whole run): %d involuntary context switches, %d minor page faults; GC in this JVM: %d ms; " +
            "allocated after warm-up: %d bytes%n", s.involuntarySwitches(), s.minorFaults(), gcMillis, s.bytesAllocatedAfterWarmup());
    }

    private static void percentiles(final PrintStream out, final String what, final Histogram h)
    {
        out.printf(Locale.ROOT, "%s: p50 %.1f µs, p99 %.1f µs, p99.9 %.1f µs, max %.1f µs (n=%d)%n", what,
            h.getValueAtPercentile(50) / 1e3, h.getValueAtPercentile(99) / 1e3, h.getValueAtPercentile(99.9) / 1e3,
            h.getMaxValue() / 1e3, h.getTotalCount());
    }

    private static String cpu(final int n)
    {
        return n < 0 ? "any" : Integer.toString(n);
    }

    private static String loadAverage()
    {
        try
        {
            final String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split(" ");
            return f[0] + " " + f[1] + " " + f[2];
        }
        catch (final IOException | RuntimeException e)
        {
            return String.format(Locale.ROOT, "%.2f", ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        }
    }

    private static long gcMillis()
    {
        long total = 0;
        for (final GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans())
        {
            total += Math.max(0, gc.getCollectionTime());
        }
        return total;
    }

    private static void deleteTree(final Path root) throws IOException
    {
        try (Stream<Path> files = Files.walk(root))
        {
            for (final Path p : files.sorted(Comparator.reverseOrder()).toList())
            {
                Files.deleteIfExists(p);
            }
        }
    }

    private interface Feeder
    {
        void await() throws Exception;
    }

    private final class ThreadFeeder implements Feeder
    {
        private final Thread thread;
        private volatile Throwable failure;

        ThreadFeeder(final Path in, final StreamFeeder.Source samples, final long count)
        {
            thread = new Thread(() ->
            {
                try (StreamFeeder f = new StreamFeeder(in, 0, engine.pretouchBytes()))
                {
                    if (feederCpu >= 0)
                    {
                        CpuPinning.pinCurrentThread(feederCpu, "--feeder-cpu");
                    }
                    f.feed(samples, count, rate, true, feederSpinMicros * 1000);
                }
                catch (final Throwable t)
                {
                    failure = t;
                }
            }, "spikering-feeder");
            thread.start();
        }

        public void await() throws Exception
        {
            thread.join();
            if (failure != null)
            {
                throw new IllegalStateException("feeder thread failed: " + failure.getMessage(), failure);
            }
        }
    }

    /** {@code stream feed} in a second JVM with this JVM's module flags, its output to a log file. */
    private final class ProcessFeeder implements Feeder
    {
        private final Process process;
        private final Path log;

        ProcessFeeder(final Path in, final long count) throws IOException
        {
            final List<String> cmd = new ArrayList<>();
            cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
            for (final String arg : ManagementFactory.getRuntimeMXBean().getInputArguments())
            {
                if (arg.startsWith("--add-") || arg.startsWith("--enable-native-access") || arg.startsWith("--sun-misc") ||
                    arg.startsWith("-Dchronicle") || arg.startsWith("-Ddisable") || arg.startsWith("-Dproject.build"))
                {
                    cmd.add(arg);
                }
            }
            cmd.addAll(feederJvmOptions);
            cmd.add("-cp");
            cmd.add(System.getProperty("java.class.path"));
            cmd.add(Main.class.getName());
            cmd.addAll(List.of("stream", "feed", "--source", source, "--queue", in.toString(), "--count", Long.toString(count),
                "--rate", Double.toString(rate), "--spin-us", Long.toString(feederSpinMicros), "--cpu", Integer.toString(feederCpu), "--pretouch-kb", Long.toString(engine.pretouchKb), "--repeats", Long.toString(Math.min(10_000, count / 1500 + 1))));
            log = in.resolveSibling("feeder.log");
            process = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        }

        public void await() throws Exception
        {
            final int rc = process.waitFor();
            if (rc != 0)
            {
                throw new IllegalStateException("feeder process exited with " + rc + ": " + Files.readString(log).trim());
            }
        }
    }
}
