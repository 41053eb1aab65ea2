package io.spikering.cli;

import io.spikering.core.stream.StreamRunner;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.HdrHistogram.Histogram;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code spikering stream run}: tail an input queue, step the network per sample, append outputs (exactly once). */
@Command(name = "run", mixinStandardHelpOptions = true,
    description = "Tail an input queue, step the model once per sample and append one output per input to the output queue; " +
        "resumes exactly once from the last snapshot after a crash (docs/streaming.md).")
final class StreamRunCommand implements Callable<Integer>
{
    @Mixin
    StreamEngineOptions engine;

    @Option(names = "--model", required = true, paramLabel = "FILE", description = "Model file (lmu-predictor, docs/model-format.md).")
    Path model;

    @Option(names = "--in", required = true, paramLabel = "DIR", description = "Input queue directory.")
    Path in;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Output queue directory (created if absent).")
    Path out;

    @Option(names = "--snapshot-dir", paramLabel = "DIR", description = "Snapshot directory (default: OUT.snapshots next to --out).")
    Path snapshotDir;

    @Option(names = "--threads", defaultValue = "0", paramLabel = "N", description = "Engine delivery threads (0 = on the stepping thread).")
    int threads;

    @Option(names = "--idle", defaultValue = "backoff", paramLabel = "busy|backoff",
        description = "Idle strategy while waiting for input: busy (lowest latency, one core spinning) or backoff (default).")
    String idle;

    @Option(names = "--on-bad-sample", defaultValue = "stop", paramLabel = "skip|stop",
        description = "Bad sample (malformed, wrong length, NaN): skip it (an output marked skipped is written) or stop (default).")
    String onBad;

    @Option(names = "--autonomous-after", defaultValue = "-1", paramLabel = "K",
        description = "From step K+1 of each sequence on, feed the model's own prediction back as its input (NeuroBench " +
            "Mackey-Glass: 750); -1 = always the samples.")
    int autonomousAfter;

    @Option(names = "--max-idle", defaultValue = "0", paramLabel = "MS",
        description = "Stop after MS milliseconds without input (0 = run until a sample flagged end-of-stream).")
    long maxIdle;

    @Option(names = "--warmup", defaultValue = "0", paramLabel = "N",
        description = "Leave the first N appended outputs out of the latency histograms (JIT warm-up) (default ${DEFAULT-VALUE}).")
    long warmup;

    @Option(names = "--cpu", defaultValue = "-1", paramLabel = "N",
        description = "Pin the stream thread to CPU N (-1 = not pinned); on a 2-core machine start the JVMs under 'taskset -c 0' and " +
            "use --cpu 1 so nothing else runs there (docs/streaming.md) (default ${DEFAULT-VALUE}).")
    int cpu;

    public Integer call() throws IOException
    {
        Validate.range("--threads", threads, 0, 64);
        Validate.range("--warmup", warmup, 0, Long.MAX_VALUE);
        Validate.range("--max-idle", maxIdle, 0, Long.MAX_VALUE);
        final StreamRunner.Idle idleStrategy = engine.idleStrategy(idle);
        final StreamRunner.OnBad bad = switch (onBad)
        {
            case "skip" -> StreamRunner.OnBad.SKIP;
            case "stop" -> StreamRunner.OnBad.STOP;
            default -> throw new IllegalArgumentException("--on-bad-sample must be skip or stop, got " + onBad);
        };
        final Path snaps = snapshotDir != null ? snapshotDir : out.resolveSibling(out.getFileName() + ".snapshots");
        final StreamRunner.Summary s = StreamRunner.run(new StreamRunner.Options(model, in, out, snaps, threads, idleStrategy, bad,
            engine.snapshotEvery, autonomousAfter, maxIdle, System.err, engine.memoryMode, warmup, cpu, engine.maxParkMicros * 1000,
            engine.memorySchedule, engine.pretouchBytes()));
        System.out.printf(Locale.ROOT, "inputs %d..%d: %d outputs appended, %d replayed after restart (identical), %d skipped%n",
            s.firstOrdinal(), s.nextOrdinal() - 1, s.processed(), s.replayed(), s.skipped());
        System.out.printf(Locale.ROOT, "throughput: %.0f samples/s (%d outputs after warm-up, first to last append, %.3f s; " +
            "equals the input rate when the feeder is slower)%n", s.throughput(), s.measured(), s.seconds());
        print("append-to-output latency (input timestamp -> output appended)", s.latency());
        print("service time (input read -> output appended)", s.service());
        if (s.measured() > 0)
        {
            s.breakdown().print(System.out, s.seconds());
        }
        if (s.involuntarySwitches() >= 0)
        {
            System.out.printf(Locale.ROOT, "stream thread: %d involuntary context switches, %d minor page faults%n", s.involuntarySwitches(),
                s.minorFaults());
        }
        if (s.bytesAllocatedAfterWarmup() >= 0)
        {
            System.out.printf(Locale.ROOT, "stream thread allocated %d bytes after warm-up%n", s.bytesAllocatedAfterWarmup());
        }
        return 0;
    }

    private static void print(final String what, final Histogram h)
    {
        if (h.getTotalCount() == 0)
        {
            return;
        }
        System.out.printf(Locale.ROOT, "%s: p50 %.1f µs, p99 %.1f µs, p99.9 %.1f µs, max %.1f µs (n=%d)%n", what,
            h.getValueAtPercentile(50) / 1e3, h.getValueAtPercentile(99) / 1e3, h.getValueAtPercentile(99.9) / 1e3,
            h.getMaxValue() / 1e3, h.getTotalCount());
    }
}
