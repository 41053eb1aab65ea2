package io.spikering.flink;

import io.spikering.core.stream.StreamModel;

import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;
import org.apache.flink.api.common.functions.MapFunction;
import org.apache.flink.api.connector.source.util.ratelimit.RateLimiterStrategy;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

/**
 * {@code spikering flink bench}: the scale-out job on an embedded MiniCluster with generated keys, at each parallelism:
 * samples/s and the latency from a sample's generation to its output leaving the model operator (in one JVM, so
 * {@code System.nanoTime()} stamps compare), with the exactly-once file sinks and checkpoints on. First it measures
 * the per-record cost of the operator's design (one engine per task, each key's snapshot restored and saved around its
 * step) against one resident engine per key.
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
    description = "Throughput and latency of the Flink job with generated keys at each parallelism (docs/benchmarks.md).")
final class BenchCommand implements Callable<Integer>
{
    @Option(names = "--model", defaultValue = "models/mackey-glass-lmu.safetensors", paramLabel = "FILE",
        description = "Model file (default ${DEFAULT-VALUE}).")
    Path model;

    @Option(names = "--generate", defaultValue = "mackey-glass", paramLabel = "mackey-glass|psmnist", description = "Samples (default ${DEFAULT-VALUE}).")
    String generate;

    @Option(names = "--keys", defaultValue = "1000", paramLabel = "N", description = "Keys (default ${DEFAULT-VALUE}).")
    int keys;

    @Option(names = "--steps", defaultValue = "300", paramLabel = "N", description = "Samples per key (default ${DEFAULT-VALUE}).")
    long steps;

    @Option(names = "--warmup-steps", defaultValue = "50", paramLabel = "N",
        description = "Leave each run's first N x keys samples out of the figures (JIT warm-up) (default ${DEFAULT-VALUE}).")
    long warmupSteps;

    @Option(names = "--parallelism", defaultValue = "1,2", split = ",", paramLabel = "N[,N...]", description = "Parallelisms to run (default ${DEFAULT-VALUE}).")
    int[] parallelisms;

    @Option(names = "--rate", defaultValue = "0", paramLabel = "HZ", description = "Samples per second, all keys (0 = unpaced: throughput).")
    double rate;

    @Option(names = "--buffer-timeout-ms", defaultValue = "1", paramLabel = "MS",
        description = "Flink's network buffer flush timeout (its default, 100, adds up to 100 ms latency at low rates) (default ${DEFAULT-VALUE}).")
    long bufferTimeout;

    @Option(names = "--checkpoint-ms", defaultValue = "1000", paramLabel = "MS", description = "Checkpoint interval (default ${DEFAULT-VALUE}).")
    long checkpointMillis;

    @Option(names = "--state-backend", defaultValue = "hashmap", paramLabel = "hashmap|rocksdb", description = "State backend (default ${DEFAULT-VALUE}).")
    String stateBackend;

    /** Latency probe state, shared by the probe's parallel instances (the MiniCluster runs in this JVM). */
    static final Recorder LATENCY = new Recorder(3);
    static final AtomicLong SEEN = new AtomicLong();
    static final AtomicLong FIRST = new AtomicLong();
    static final AtomicLong LAST = new AtomicLong();
    static volatile long warmupRecords;

    public Integer call() throws Exception
    {
        if (keys < 1 || steps <= warmupSteps || warmupSteps < 0 || rate < 0)
        {
            throw new IllegalArgumentException("need --keys >= 1, --steps > --warmup-steps >= 0 and --rate >= 0");
        }
        final ModelSpec spec = ModelSpec.load(model, -1, "fused", io.spikering.core.stream.StreamRunner.DEFAULT_MEMORY_SCHEDULE);
        System.out.printf(Locale.ROOT, "model %s, %d keys x %d %s samples (first %d per key = warm-up), load average %.2f%n", model, keys,
            steps, generate, warmupSteps, loadAverage());
        engineCost(spec);
        for (final int p : parallelisms)
        {
            run(spec, p);
        }
        return 0;
    }

    /** Ns per record: one resident engine per key vs one engine restoring and saving each key's snapshot bytes. */
    private void engineCost(final ModelSpec spec) throws IOException
    {
        final int n = Math.min(keys, 256);
        final float[][] series = Generator.mackeyGlass();
        final StreamModel[] resident = new StreamModel[n];
        for (int k = 0; k < n; k++)
        {
            resident[k] = spec.open();
        }
        final KeyedEngine shared = new KeyedEngine(spec.open());
        final byte[][] bytes = new byte[n][];
        final String[] names = new String[n];
        final Sample[] samples = new Sample[n];
        for (int k = 0; k < n; k++)
        {
            bytes[k] = shared.freshState();
            names[k] = Generator.key(k);
            samples[k] = Sample.of(names[k], 0, 0, 0);
        }
        final Output o = new Output();
        final int records = 200 * n;
        double checksum = 0;
        long residentNanos = 0;
        long sharedNanos = 0;
        for (int round = 0; round < 3; round++)
        {
            long t0 = System.nanoTime();
            for (int i = 0; i < records; i++)
            {
                final int k = i % n;
                checksum += resident[k].step(series[k % series.length][(i / n) % 1500])[0];
            }
            residentNanos = System.nanoTime() - t0;
            t0 = System.nanoTime();
            for (int i = 0; i < records; i++)
            {
                final int k = i % n;
                samples[k].value = series[k % series.length][(i / n) % 1500];
                shared.process(names[k], bytes[k], samples[k], o);
                checksum += o.values[0];
            }
            sharedNanos = System.nanoTime() - t0;
        }
        for (final StreamModel m : resident)
        {
            m.close();
        }
        System.out.printf(Locale.ROOT, "engine, %d keys round robin, one thread: a resident engine per key %.2f µs/record; one engine " +
            "restoring + saving each key's %d-byte snapshot %.2f µs/record (checksum %.3f)%n", n, residentNanos / 1e3 / records,
            bytes[0].length, sharedNanos / 1e3 / records, checksum);
        shared.close();
    }

    private void run(final ModelSpec spec, final int parallelism) throws Exception
    {
        final Path dir = Files.createTempDirectory("spikering-flink-bench-");
        try
        {
            final StreamExecutionEnvironment env = StreamExecutionEnvironment.createLocalEnvironment(parallelism,
                ScaleOutJob.configuration(checkpointMillis, stateBackend, dir.resolve("checkpoints").toUri().toString(), 0, 0));
            env.setBufferTimeout(bufferTimeout);
            final long records = keys * steps;
            SEEN.set(0);
            FIRST.set(0);
            LAST.set(0);
            warmupRecords = keys * warmupSteps;
            LATENCY.getIntervalHistogram();
            final SingleOutputStreamOperator<Output> models = ScaleOutJob.models(ScaleOutJob.generated(env, new Generator(generate, keys, 0),
                records, rate > 0 ? RateLimiterStrategy.perSecond(rate) : RateLimiterStrategy.noOp()), spec);
            ScaleOutJob.fileSinks(models.map(new Probe()).name("latency probe"), models.getSideOutput(ModelFunction.REJECTED),
                dir.resolve("out").toUri().toString());
            env.execute("spikering flink bench p=" + parallelism);
            final Histogram h = LATENCY.getIntervalHistogram();
            final long committed = RunCommand.lines(dir.resolve("out").resolve(ScaleOutJob.OUTPUTS));
            if (committed != records)
            {
                throw new IllegalStateException("committed " + committed + " outputs, expected " + records);
            }
            final double seconds = (LAST.get() - FIRST.get()) / 1e9;
            System.out.printf(Locale.ROOT, "parallelism %d: %.0f samples/s (%d samples after warm-up in %.2f s), latency generation -> " +
                "model output%s p50 %.1f µs, p99 %.1f µs, p99.9 %.1f µs, max %.1f µs; %d outputs committed once each; load average %.2f%n",
                parallelism, h.getTotalCount() / seconds, h.getTotalCount(), seconds,
                rate > 0 ? "" : " (unpaced: the queue behind the backlog)", h.getValueAtPercentile(50) / 1e3,
                h.getValueAtPercentile(99) / 1e3, h.getValueAtPercentile(99.9) / 1e3, h.getMaxValue() / 1e3, committed, loadAverage());
        }
        finally
        {
            try (Stream<Path> files = Files.walk(dir))
            {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private static double loadAverage()
    {
        return java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
    }

    /** Records each output's latency after the warm-up; passes it on to the sink. */
    static final class Probe implements MapFunction<Output, Output>
    {
        private static final long serialVersionUID = 1L;

        public Output map(final Output o)
        {
            final long now = System.nanoTime();
            if (SEEN.incrementAndGet() > warmupRecords)
            {
                FIRST.compareAndSet(0, now);
                LAST.accumulateAndGet(now, Math::max);
                LATENCY.recordValue(Math.max(0, now - o.createdNanos));
            }
            return o;
        }
    }
}
