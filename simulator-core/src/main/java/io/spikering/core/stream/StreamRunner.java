package io.spikering.core.stream;

import io.spikering.core.InputFiles;
import net.openhft.chronicle.queue.ChronicleQueue;
import net.openhft.chronicle.queue.ExcerptAppender;
import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.wire.DocumentContext;
import org.HdrHistogram.Histogram;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.AgentRunner;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.BusySpinIdleStrategy;
import org.agrona.concurrent.IdleStrategy;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * {@code stream run}: an Agrona {@link Agent} on an {@link AgentRunner} tails the input queue, steps the model
 * once per sample and appends one output per input to the output queue, with periodic atomic snapshots
 * (docs/streaming.md, "Guarantees"). On start it restores the last snapshot, finds the last output already in the
 * output queue, re-processes the inputs after the snapshot without appending until it has passed that output
 * (checking that each recomputed output equals the stored one), then appends from there: exactly one output per
 * input, identical to an uninterrupted run, whatever moment the previous process was killed at.
 */
public final class StreamRunner implements Agent
{
    public enum Idle
    {
        BUSY, BACKOFF
    }

    public enum OnBad
    {
        SKIP, STOP
    }

    /**
     * Options of one run. {@code maxIdleMillis} > 0 ends the run after that long without input; {@code progress}
     * receives the once-a-second progress line and bad-sample warnings (null = silent); the first {@code warmup}
     * outputs are left out of the latency histograms and the throughput; {@code cpu} ≥ 0 pins the stream thread to
     * that CPU ({@link CpuPinning}), −1 leaves it to the OS; {@code maxParkNanos} is the longest park of the
     * {@link Idle#BACKOFF} strategy (Agrona's default 1 ms; the OS adds its timer slack, ≈ 50 µs on Linux);
     * {@code pretouchBytes} > 0 runs a {@link QueuePretoucher} that far ahead of the output queue's writer, 0 none.
     */
    public record Options(Path model, Path in, Path out, Path snapshots, int threads, Idle idle, OnBad onBad, long snapshotEvery,
        int autonomousAfter, long maxIdleMillis, PrintStream progress, String memoryMode, long warmup, int cpu, long maxParkNanos,
        String memorySchedule, long pretouchBytes)
    {
        public Options(final Path model, final Path in, final Path out, final Path snapshots, final int threads, final Idle idle,
            final OnBad onBad, final long snapshotEvery, final int autonomousAfter, final long maxIdleMillis, final PrintStream progress,
            final String memoryMode, final long warmup, final int cpu, final long maxParkNanos, final String memorySchedule)
        {
            this(model, in, out, snapshots, threads, idle, onBad, snapshotEvery, autonomousAfter, maxIdleMillis, progress, memoryMode, warmup, cpu,
                maxParkNanos, memorySchedule, QueuePretoucher.DEFAULT_AHEAD_BYTES);
        }

        public Options(final Path model, final Path in, final Path out, final Path snapshots, final int threads, final Idle idle,
            final OnBad onBad, final long snapshotEvery, final int autonomousAfter, final long maxIdleMillis, final PrintStream progress,
            final String memoryMode, final long warmup, final int cpu, final long maxParkNanos)
        {
            this(model, in, out, snapshots, threads, idle, onBad, snapshotEvery, autonomousAfter, maxIdleMillis, progress, memoryMode, warmup, cpu,
                maxParkNanos, DEFAULT_MEMORY_SCHEDULE);
        }

        public Options(final Path model, final Path in, final Path out, final Path snapshots, final int threads, final Idle idle,
            final OnBad onBad, final long snapshotEvery, final int autonomousAfter, final long maxIdleMillis, final PrintStream progress,
            final String memoryMode, final long warmup, final int cpu)
        {
            this(model, in, out, snapshots, threads, idle, onBad, snapshotEvery, autonomousAfter, maxIdleMillis, progress, memoryMode, warmup, cpu,
                DEFAULT_MAX_PARK_NANOS);
        }

        public Options(final Path model, final Path in, final Path out, final Path snapshots, final int threads, final Idle idle,
            final OnBad onBad, final long snapshotEvery, final int autonomousAfter, final long maxIdleMillis, final PrintStream progress,
            final String memoryMode, final long warmup)
        {
            this(model, in, out, snapshots, threads, idle, onBad, snapshotEvery, autonomousAfter, maxIdleMillis, progress, memoryMode, warmup, -1);
        }

        public Options(final Path model, final Path in, final Path out, final Path snapshots, final int threads, final Idle idle,
            final OnBad onBad, final long snapshotEvery, final int autonomousAfter, final long maxIdleMillis, final PrintStream progress)
        {
            this(model, in, out, snapshots, threads, idle, onBad, snapshotEvery, autonomousAfter, maxIdleMillis, progress, "fused", 0);
        }
    }

    /**
     * What a run did; latencies in nanoseconds. Throughput = {@code measured} outputs (those after the warm-up) over
     * {@code seconds}, from the first measured append to the last.
     */
    public record Summary(long processed, long replayed, long skipped, double seconds, Histogram latency, Histogram service,
        long firstOrdinal, long nextOrdinal, long bytesAllocatedAfterWarmup, long measured, LatencyBreakdown breakdown,
        long involuntarySwitches, long minorFaults)
    {
        public double throughput()
        {
            return seconds > 0 ? measured / seconds : 0;
        }
    }

    /** Agrona's {@code BackoffIdleStrategy} default longest park (1 ms). */
    public static final long DEFAULT_MAX_PARK_NANOS = BackoffIdleStrategy.DEFAULT_MAX_PARK_PERIOD_NS;
    /**
     * Event-driven memories add each pixel when it arrives: no once-per-sample burst at the readout window
     * (docs/streaming.md, "Memory schedule").
     */
    public static final String DEFAULT_MEMORY_SCHEDULE = "eager";
    private static final int BATCH = 256;
    private static final long HIGHEST_NANOS = 3_600_000_000_000L;
    /** The latency target (docs/streaming.md): the breakdown sums up what samples slower than this are made of. */
    private static final long LATE_NANOS = 100_000;

    private final Options options;
    private final StreamModel model;
    private final String modelSha;
    private final ChronicleQueue inQueue;
    private final ChronicleQueue outQueue;
    private final ExcerptTailer inTailer;
    private final ExcerptTailer verifyTailer;
    private final ExcerptAppender appender;
    private final QueuePretoucher pretoucher;
    private final SnapshotStore snapshots;
    private final SampleWire.Sample sample = new SampleWire.Sample();
    private final OutputWire.Output stored = new OutputWire.Output();
    private final WireChecksum checksum = new WireChecksum();
    private final double[] none = new double[0];
    private final Histogram latency = new Histogram(HIGHEST_NANOS, 3);
    private final Histogram service = new Histogram(HIGHEST_NANOS, 3);
    private final LatencyBreakdown breakdown = new LatencyBreakdown(LATE_NANOS);
    private final long lastExistingOutput;
    /** Snapshots exist but all are later than the intact outputs of a damaged output queue. */
    private final boolean unusableSnapshots;
    private final long firstOrdinal;
    private long ordinal;
    private long lastInputIndex = -1;
    private long lastOutputIndex = -1;
    private long processed;
    private long replayed;
    private long skipped;
    private long firstAppendNanos;
    private long lastAppendNanos;
    private long lastWorkNanos = System.nanoTime();
    private long nextProgressNanos = System.nanoTime() + 1_000_000_000L;
    private long processedAtLastProgress;
    private long allocatedAtWarmup = -1;
    private volatile long allocatedAfterWarmup = -1;
    private long switchesAtStart = -1;
    private volatile long involuntarySwitches = -1;
    private long faultsAtStart = -1;
    private volatile long minorFaults = -1;
    private boolean snapshotDue;
    private volatile boolean done;
    private volatile RuntimeException failure;

    private StreamRunner(final Options options) throws IOException
    {
        this.options = options;
        if (options.maxParkNanos() < 1 || options.maxParkNanos() > 1_000_000_000L)
        {
            throw new IllegalArgumentException("--max-park-us must be in [0.001, 1000000] µs, got " + options.maxParkNanos() + " ns");
        }
        if (options.cpu() < -1 || options.cpu() >= CpuPinning.MAX_CPUS)
        {
            throw new IllegalArgumentException("--cpu must be -1 (not pinned) or a CPU number in [0, " + (CpuPinning.MAX_CPUS - 1) +
                "], got " + options.cpu());
        }
        if (options.pretouchBytes() < 0 || options.pretouchBytes() > 1L << 30)
        {
            throw new IllegalArgumentException("the pre-touch distance must be in [0, 1 GiB] (0 = off), got " + options.pretouchBytes() + " bytes");
        }
        InputFiles.requireRegular("model file", options.model(), "");
        this.modelSha = sha256(options.model());
        this.model = StreamModel.open(options.model(), options.threads(), options.autonomousAfter(), options.memoryMode(),
            options.memorySchedule());
        boolean ok = false;
        ChronicleQueue in = null;
        ChronicleQueue out = null;
        try
        {
            in = Queues.openExisting(options.in(), "input");
            this.inQueue = in;
            this.snapshots = new SnapshotStore(options.snapshots());
            // every stored output is checked before anything is appended; a damaged queue keeps its intact outputs and the
            // run recomputes the rest from the newest snapshot before the damage (or from input 0)
            final OutputRecovery.Scan scan = OutputRecovery.scan(options.out());
            final SnapshotStore.Position position = snapshots.load(model, modelSha, scan.intact());
            final long newest = snapshots.newestNextOrdinal(modelSha);
            this.unusableSnapshots = position == null && newest >= 0;
            String damage = scan.damage();
            if (damage == null && newest > scan.intact())
            {
                damage = "output queue " + options.out() + " holds " + scan.intact() + " intact outputs but the snapshot in " +
                    options.snapshots() + " was taken after input " + (newest - 1) + ": the queue was truncated";
            }
            long outputIndex = position == null ? -1 : position.lastOutputIndex();
            if (damage != null)
            {
                String kept = "";
                if (Queues.isQueue(options.out()))
                {
                    final OutputRecovery.Rebuilt rebuilt = OutputRecovery.rebuild(options.out(), scan.intact(),
                        position == null ? -1 : position.nextOrdinal() - 1);
                    outputIndex = rebuilt.markIndex();
                    kept = "; kept its " + scan.intact() + " intact outputs (the damaged queue is now " + rebuilt.damaged() + ")";
                }
                if (options.progress() != null)
                {
                    options.progress().println("stream: damaged output: " + damage + kept + "; recomputing from " +
                        (position == null ? "input 0" : "the snapshot at input " + position.nextOrdinal()));
                }
            }
            out = Queues.openForAppend(options.out(), "output");
            this.outQueue = out;
            this.lastExistingOutput = scan.intact() - 1;
            this.inTailer = in.createTailer();
            this.verifyTailer = out.createTailer();
            if (position == null)
            {
                ordinal = 0;
                inTailer.toStart();
                verifyTailer.toStart();
            }
            else
            {
                ordinal = position.nextOrdinal();
                lastInputIndex = position.lastInputIndex();
                lastOutputIndex = outputIndex;
                skipOne(inTailer, position.lastInputIndex(), "input", options.in());
                skipOne(verifyTailer, outputIndex, "output", options.out());
            }
            this.firstOrdinal = ordinal;
            this.appender = out.createAppender();
            // A previous run consumed the end-of-stream sample and snapshotted after it (it ended cleanly, or was killed
            // after its final snapshot): the uninterrupted run stopped there, so this one must not wait for more input.
            // Inputs appended after the end marker (a new feed) are processed as usual.
            if (ordinal > 0 && lastExistingOutput == ordinal - 1 && (scan.lastFlags() & SampleWire.FLAG_END_OF_STREAM) != 0 &&
                !hasNext(inTailer))
            {
                done = true;
            }
            if (options.progress() != null)
            {
                options.progress().println(startLine(position));
            }
            if (options.snapshotEvery() > 0)
            {
                snapshots.startWriter(); // on this thread, so that it does not inherit a pinned stream thread's CPU
            }
            this.pretoucher = options.pretouchBytes() > 0 ? new QueuePretoucher(out, options.pretouchBytes(), "spikering-pretouch-out") : null;
            ok = true;
        }
        finally
        {
            if (!ok)
            {
                model.close();
                if (out != null)
                {
                    out.close();
                }
                if (in != null)
                {
                    in.close();
                }
            }
        }
    }

    /** Runs until the end-of-stream sample, the idle limit, a bad sample with {@link OnBad#STOP}, or an error. */
    public static Summary run(final Options options) throws IOException
    {
        final StreamRunner agent = new StreamRunner(options);
        final IdleStrategy idle = options.idle() == Idle.BUSY ? new BusySpinIdleStrategy() :
            new BackoffIdleStrategy(BackoffIdleStrategy.DEFAULT_MAX_SPINS, BackoffIdleStrategy.DEFAULT_MAX_YIELDS,
                Math.min(BackoffIdleStrategy.DEFAULT_MIN_PARK_PERIOD_NS, options.maxParkNanos()), options.maxParkNanos());
        final AgentRunner runner = new AgentRunner(idle, agent::fail, null, agent);
        final long start = System.nanoTime();
        AgentRunner.startOnThread(runner);
        try
        {
            while (!agent.done && !runner.isClosed())
            {
                Thread.sleep(5);
            }
        }
        catch (final InterruptedException e)
        {
            Thread.currentThread().interrupt();
        }
        finally
        {
            runner.close();
        }
        if (agent.failure != null)
        {
            throw agent.failure;
        }
        final long measured = Math.max(0, agent.processed - options.warmup() - 1);
        final double seconds = measured > 0 ? (agent.lastAppendNanos - agent.firstAppendNanos) / 1e9 : (System.nanoTime() - start) / 1e9;
        return new Summary(agent.processed, agent.replayed, agent.skipped, seconds, agent.latency, agent.service, agent.firstOrdinal,
            agent.ordinal, agent.allocatedAfterWarmup, measured, agent.breakdown, agent.involuntarySwitches,
            agent.minorFaults);
    }

    private void fail(final Throwable t)
    {
        failure = t instanceof RuntimeException r ? r : new IllegalStateException(t.getMessage(), t);
        done = true;
    }

    public void onStart()
    {
        // the tailers and the appender were positioned on the caller's thread; from now on only this thread uses them
        inTailer.singleThreadedCheckReset();
        verifyTailer.singleThreadedCheckReset();
        appender.singleThreadedCheckReset();
        if (options.cpu() >= 0)
        {
            CpuPinning.pinCurrentThread(options.cpu(), "--cpu");
        }
        switchesAtStart = ThreadCounters.involuntarySwitches();
        faultsAtStart = ThreadCounters.minorFaults();
    }

    public String roleName()
    {
        return "spikering-stream";
    }

    public int doWork()
    {
        if (done)
        {
            return 0;
        }
        int work = 0;
        while (work < BATCH && !done)
        {
            final long poll = System.nanoTime();
            try (DocumentContext dc = inTailer.readingDocument())
            {
                if (!dc.isPresent())
                {
                    breakdown.emptyPoll(Queues.epochNanos(poll));
                    break;
                }
                final long t0 = System.nanoTime();
                lastInputIndex = dc.index();
                final String error = SampleWire.read(dc.wire().bytes(), sample);
                process(error, t0);
            }
            work++;
        }
        final long now = System.nanoTime();
        if (work > 0)
        {
            lastWorkNanos = now;
        }
        else if (options.maxIdleMillis() > 0 && now - lastWorkNanos > options.maxIdleMillis() * 1_000_000L)
        {
            done = true;
        }
        if (now >= nextProgressNanos && options.progress() != null)
        {
            progress(now);
        }
        return work;
    }

    private void process(final String wireError, final long t0)
    {
        String error = wireError;
        if (error == null && sample.length != model.inputWidth())
        {
            error = "vector length " + sample.length + ", the model takes " + model.inputWidth() + " value(s) per step (model/queue mismatch?)";
        }
        if (error == null)
        {
            for (int i = 0; i < sample.length; i++)
            {
                if (!Float.isFinite(sample.values[i]))
                {
                    error = "value[" + i + "] is " + sample.values[i] + "; inputs must be finite";
                    break;
                }
            }
        }
        if (error != null)
        {
            final String message = "input " + Queues.where(inQueue, lastInputIndex, ordinal) + ": " + error;
            if (options.onBad() == OnBad.STOP)
            {
                failure = new IllegalArgumentException(message + "; stopped before it, the output queue ends at the previous input " +
                    "(use --on-bad-sample skip to skip bad samples)");
                done = true;
                return;
            }
            if (options.progress() != null)
            {
                options.progress().println("warning: " + message + "; skipped");
            }
            skipped++;
            emit(OutputWire.STATUS_SKIPPED, none, 0, 0, 0, 0, t0, System.nanoTime());
        }
        else
        {
            if (sample.sequenceStart())
            {
                model.startSequence();
            }
            final double[] out = model.step(sample.values[0]);
            final long stepped = System.nanoTime();
            emit(OutputWire.STATUS_OK, out, out.length, model.lastSynops(), model.lastRowAdds(), model.lastMacs(), t0, stepped);
        }
        if (sample.endOfStream())
        {
            done = true;
        }
        ordinal++;
        if (options.snapshotEvery() > 0 && ordinal % options.snapshotEvery() == 0)
        {
            snapshotDue = true;
        }
        if (snapshotDue)
        {
            // taken here, written by the store's writer thread; if the previous one is still being written, retried
            // after the next input
            snapshotDue = !snapshotInBackground();
        }
    }

    private void emit(final byte status, final double[] values, final int m, final long synops, final long rowAdds, final long macs,
        final long t0, final long stepped)
    {
        if (ordinal <= lastExistingOutput)
        {
            verify(status, values, m, synops, rowAdds, macs);
            replayed++;
            return;
        }
        try (DocumentContext dc = appender.writingDocument())
        {
            OutputWire.write(dc.wire().bytes(), checksum, status, ordinal, sample.sequence, sample.timestampNanos, sample.streamId, sample.flags,
                synops, rowAdds, macs, values, m);
        }
        lastOutputIndex = appender.lastIndexAppended();
        final long end = System.nanoTime();
        if (processed == options.warmup())
        {
            allocatedAtWarmup = allocatedBytes();
            breakdown.startRecording();
        }
        breakdown.sample(sample.timestampNanos, Queues.epochNanos(t0), Queues.epochNanos(stepped), Queues.epochNanos(end));
        if (processed >= options.warmup())
        {
            final long e2e = Queues.epochNanos(end) - sample.timestampNanos;
            latency.recordValue(Math.max(0, Math.min(e2e, HIGHEST_NANOS)));
            service.recordValue(Math.min(end - t0, HIGHEST_NANOS));
        }
        if (processed == options.warmup())
        {
            firstAppendNanos = end;
        }
        lastAppendNanos = end;
        processed++;
    }

    /** A replayed input: its output is already in the queue; the recomputed one must be identical. */
    private void verify(final byte status, final double[] values, final int m, final long synops, final long rowAdds, final long macs)
    {
        try (DocumentContext dc = verifyTailer.readingDocument())
        {
            if (!dc.isPresent())
            {
                throw new IllegalStateException("output queue " + options.out() + ": output for input " + ordinal + " expected but missing");
            }
            final String error = OutputWire.read(dc.wire().bytes(), stored);
            if (error != null)
            {
                throw new IllegalStateException("output " + Queues.where(outQueue, dc.index(), ordinal) + ": " + error);
            }
            lastOutputIndex = dc.index();
        }
        boolean same = stored.inputOrdinal == ordinal && stored.status == status && stored.sequence == sample.sequence &&
            stored.synops == synops && stored.rowAdds == rowAdds && stored.macs == macs && stored.length == m;
        for (int i = 0; same && i < m; i++)
        {
            same = Float.floatToRawIntBits(stored.values[i]) == Float.floatToRawIntBits((float)values[i]);
        }
        if (!same)
        {
            throw new IllegalStateException("replay of input " + ordinal + " produced an output different from the one already in " +
                options.out() + " (the model, input queue or snapshot changed since it was written)");
        }
    }

    private boolean snapshotInBackground()
    {
        if (snapshots.writing())
        {
            return false;
        }
        try
        {
            final long start = System.nanoTime();
            final boolean taken = snapshots.saveInBackground(
                new SnapshotStore.Position(ordinal, lastInputIndex, lastOutputIndex, modelSha), model);
            breakdown.snapshot(Queues.epochNanos(start), Queues.epochNanos(System.nanoTime()));
            return taken;
        }
        catch (final IOException e)
        {
            throw new UncheckedIOException("writing snapshot to " + options.snapshots() + ": " + e.getMessage(), e);
        }
    }

    /** A snapshot written before returning (the final one). */
    private void snapshot()
    {
        try
        {
            snapshots.save(new SnapshotStore.Position(ordinal, lastInputIndex, lastOutputIndex, modelSha), model);
        }
        catch (final IOException e)
        {
            throw new UncheckedIOException("writing snapshot to " + options.snapshots() + ": " + e.getMessage(), e);
        }
    }

    private void progress(final long now)
    {
        final long delta = processed - processedAtLastProgress;
        processedAtLastProgress = processed;
        nextProgressNanos = now + 1_000_000_000L;
        if (delta > 0 || replayed > 0)
        {
            options.progress().printf("stream: input %d, %d samples/s, latency p50 %.1f µs p99 %.1f µs, replayed %d, skipped %d%n",
                ordinal, delta, latency.getValueAtPercentile(50) / 1e3, latency.getValueAtPercentile(99) / 1e3, replayed, skipped);
        }
    }

    public void onClose()
    {
        if (allocatedAtWarmup >= 0)
        {
            allocatedAfterWarmup = allocatedBytes() - allocatedAtWarmup;
        }
        final long switches = ThreadCounters.involuntarySwitches();
        involuntarySwitches = switches >= 0 && switchesAtStart >= 0 ? switches - switchesAtStart : -1;
        final long faults = ThreadCounters.minorFaults();
        minorFaults = faults >= 0 && faultsAtStart >= 0 ? faults - faultsAtStart : -1;
        try
        {
            if (failure == null && ordinal > firstOrdinal && options.snapshotEvery() > 0)
            {
                snapshot();
            }
        }
        catch (final RuntimeException e)
        {
            failure = e;
        }
        finally
        {
            snapshots.close();
            if (pretoucher != null)
            {
                pretoucher.close();
                if (pretoucher.failure() != null && options.progress() != null)
                {
                    options.progress().println("warning: pre-touching the output queue stopped early: " + pretoucher.failure());
                }
            }
            appender.close();
            inTailer.close();
            verifyTailer.close();
            outQueue.close();
            inQueue.close();
            model.close();
        }
    }

    private static void skipOne(final ExcerptTailer tailer, final long index, final String what, final Path dir) throws IOException
    {
        if (index < 0)
        {
            tailer.toStart();
            return;
        }
        if (!tailer.moveToIndex(index))
        {
            throw new IOException(what + " queue " + dir + " has no excerpt at index 0x" + Long.toHexString(index) +
                " recorded in the snapshot; the queue was replaced (use fresh --out and snapshot directories)");
        }
        try (DocumentContext dc = tailer.readingDocument())
        {
            if (!dc.isPresent())
            {
                throw new IOException(what + " queue " + dir + ": excerpt 0x" + Long.toHexString(index) + " from the snapshot is missing");
            }
        }
    }

    private String startLine(final SnapshotStore.Position position)
    {
        if (done)
        {
            return "stream: already complete: the output for the end-of-stream sample (input " + lastExistingOutput +
                ") is in " + options.out() + " and no input follows it; nothing to do";
        }
        if (position == null)
        {
            return "stream: " + (unusableSnapshots ? "the snapshots in " + options.snapshots() + " are later than the intact outputs" :
                "no snapshot in " + options.snapshots()) + "; starting at input 0" +
                (lastExistingOutput >= 0 ? ", replaying the " + (lastExistingOutput + 1) + " outputs already in " + options.out() : "");
        }
        return "stream: resuming from snapshot at input " + ordinal + "; " + options.out() + " holds outputs up to input " +
            lastExistingOutput + (lastExistingOutput >= ordinal ? " (replayed and checked, not appended)" : "");
    }

    /** Whether an excerpt follows the tailer's position, without consuming it. */
    private static boolean hasNext(final ExcerptTailer tailer)
    {
        try (DocumentContext dc = tailer.readingDocument())
        {
            if (!dc.isPresent())
            {
                return false;
            }
            dc.rollbackOnClose();
            return true;
        }
    }

    /** Bytes allocated so far by the calling thread (HotSpot), −1 if unsupported. */
    private static long allocatedBytes()
    {
        final java.lang.management.ThreadMXBean bean = java.lang.management.ManagementFactory.getThreadMXBean();
        return bean instanceof com.sun.management.ThreadMXBean b ? b.getCurrentThreadAllocatedBytes() : -1;
    }

    static String sha256(final Path file) throws IOException
    {
        try
        {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
        }
        catch (final NoSuchAlgorithmException e)
        {
            throw new IllegalStateException(e);
        }
    }
}
