package io.spikering.core.stream;

import org.HdrHistogram.Histogram;

import java.io.PrintStream;
import java.util.Locale;

/**
 * Splits each sample's append-to-output latency into parts that add up to it exactly (docs/streaming.md,
 * "Where the latency goes"), from the runner's own timeline; all times are {@link Queues#nowNanos()} nanoseconds.
 * <ul>
 *   <li><b>publish</b>: the sample was timestamped but the runner polled after that and did not see it yet (the
 *   feeder had not committed it: the feeder was slow or descheduled between timestamp and commit);</li>
 *   <li><b>queued</b>: the runner was busy with earlier samples when it was timestamped;</li>
 *   <li><b>snapshot</b>: the runner was writing a snapshot;</li>
 *   <li><b>stalled</b>: the runner was neither busy nor polling (descheduled by the OS, a JVM safepoint or GC);</li>
 *   <li><b>step</b>: read → model stepped (validation, sequence reset, the network step);</li>
 *   <li><b>append</b>: model stepped → output appended to the queue.</li>
 * </ul>
 * Besides the per-part histograms it sums each part over the samples slower than {@code lateNanos}, which says what
 * the tail is made of, twice: as measured, and by <i>root cause</i>, where a sample's queued time is charged to what
 * made the runner fall behind (the dominant part of the first sample of that backlog: a stall, a slow step, a
 * snapshot...), since a single 5 ms stall at 10k samples/s makes the next 50 samples late. It also records the runner's polling gaps (time between two consecutive polls of an idle
 * runner that exceeds {@link #GAP_NANOS}: preemption or a safepoint while idle). Recording allocates nothing.
 */
public final class LatencyBreakdown
{
    /** A gap between two idle polls longer than this counts as a stall of the runner thread. */
    public static final long GAP_NANOS = 10_000;

    private static final long HIGHEST = 3_600_000_000_000L;
    /** "Never happened": far in the past, yet far enough from Long.MIN_VALUE that differences do not overflow. */
    private static final long NEVER = Long.MIN_VALUE / 4;
    private static final String[] NAMES = {"publish", "queued", "snapshot", "stalled", "step", "append"};
    private static final int PUBLISH = 0;
    private static final int QUEUED = 1;
    private static final int SNAPSHOT = 2;
    private static final int STALLED = 3;
    private static final int STEP = 4;
    private static final int APPEND = 5;

    private final long lateNanos;
    private final Histogram[] parts = new Histogram[NAMES.length];
    private final long[] lateSums = new long[NAMES.length];
    private final long[] lateRootSums = new long[NAMES.length];
    private final long[] part = new long[NAMES.length];
    private final Histogram gaps = new Histogram(HIGHEST, 2);
    private final Histogram snapshots = new Histogram(HIGHEST, 3);
    private long lateCount;
    private long lastEmptyPoll = NEVER;
    private long busyUntil = NEVER;
    private long snapshotStart = NEVER;
    private long snapshotEnd = NEVER;
    private long previousPoll = NEVER;
    private boolean recording;
    private int backlogCause = STALLED;

    /** @param lateNanos samples slower than this (end to end) are "late"; their parts are summed separately. */
    public LatencyBreakdown(final long lateNanos)
    {
        if (lateNanos < 0)
        {
            throw new IllegalArgumentException("lateNanos must be >= 0, got " + lateNanos);
        }
        this.lateNanos = lateNanos;
        for (int i = 0; i < parts.length; i++)
        {
            parts[i] = new Histogram(HIGHEST, 3);
        }
    }

    /** Starts recording (after the warm-up); before, the timeline is tracked but nothing is recorded. */
    public void startRecording()
    {
        recording = true;
    }

    /** The runner polled at {@code now} and found nothing. */
    public void emptyPoll(final long now)
    {
        if (recording && previousPoll != NEVER && now - previousPoll > GAP_NANOS && previousPoll >= busyUntil)
        {
            gaps.recordValue(Math.min(now - previousPoll, HIGHEST));
        }
        previousPoll = now;
        lastEmptyPoll = now;
    }

    /** A snapshot ran from {@code start} to {@code end}. */
    public void snapshot(final long start, final long end)
    {
        snapshotStart = start;
        snapshotEnd = end;
        busyUntil = end;
        if (recording)
        {
            snapshots.recordValue(Math.min(end - start, HIGHEST));
        }
    }

    /**
     * One sample: timestamped at {@code stamp} by the feeder, read at {@code read}, model stepped at {@code stepped},
     * output appended at {@code appended}.
     */
    public void sample(final long stamp, final long read, final long stepped, final long appended)
    {
        final long[] p = part;
        java.util.Arrays.fill(p, 0);
        if (lastEmptyPoll > busyUntil)
        {
            // the runner was idle and polled at lastEmptyPoll: the sample was not visible then
            p[PUBLISH] = clamp(lastEmptyPoll - stamp, read - stamp);
            p[STALLED] = read - Math.max(lastEmptyPoll, stamp);
        }
        else
        {
            // read in the first poll after the runner's last work: it waited for that work, then for the next poll
            final long busy = clamp(busyUntil - stamp, read - stamp);
            final long inSnapshot = clamp(Math.min(snapshotEnd, stamp + busy) - Math.max(snapshotStart, stamp), busy);
            p[SNAPSHOT] = inSnapshot;
            p[QUEUED] = busy - inSnapshot;
            p[STALLED] = read - Math.max(busyUntil, stamp);
        }
        if (p[STALLED] < 0)
        {
            p[STALLED] = 0;
        }
        p[STEP] = stepped - read;
        p[APPEND] = appended - stepped;
        busyUntil = appended;
        previousPoll = appended;
        final int cause = backlogCause;
        int dominant = 0;
        for (int i = 1; i < p.length; i++)
        {
            dominant = p[i] > p[dominant] ? i : dominant;
        }
        if (dominant != QUEUED)
        {
            backlogCause = dominant;
        }
        if (!recording)
        {
            return;
        }
        long total = 0;
        for (int i = 0; i < p.length; i++)
        {
            parts[i].recordValue(Math.min(p[i], HIGHEST));
            total += p[i];
        }
        if (total > lateNanos)
        {
            lateCount++;
            for (int i = 0; i < p.length; i++)
            {
                lateSums[i] += p[i];
                lateRootSums[i == QUEUED ? cause : i] += p[i];
            }
        }
    }

    private static long clamp(final long value, final long max)
    {
        return Math.max(0, Math.min(value, max));
    }

    public long lateNanos()
    {
        return lateNanos;
    }

    /** Number of recorded samples slower than {@link #lateNanos()}. */
    public long lateCount()
    {
        return lateCount;
    }

    /** Sum over the late samples of part {@code name} (one of publish, queued, snapshot, stalled, step, append). */
    public long lateSum(final String name)
    {
        return lateSums[index(name)];
    }

    /** Like {@link #lateSum} with queued time charged to the root cause of the backlog (never "queued" itself). */
    public long lateRootSum(final String name)
    {
        return lateRootSums[index(name)];
    }

    /** The histogram of part {@code name} over all recorded samples. */
    public Histogram part(final String name)
    {
        return parts[index(name)];
    }

    /** Polling gaps of the idle runner longer than {@link #GAP_NANOS}. */
    public Histogram gaps()
    {
        return gaps;
    }

    /** Snapshot durations (recorded ones). */
    public Histogram snapshots()
    {
        return snapshots;
    }

    private static int index(final String name)
    {
        for (int i = 0; i < NAMES.length; i++)
        {
            if (NAMES[i].equals(name))
            {
                return i;
            }
        }
        throw new IllegalArgumentException("no latency part '" + name + "'; parts are " + String.join(", ", NAMES));
    }

    /** Prints the per-part table, what the late samples are made of, the runner's stalls and the snapshots. */
    public void print(final PrintStream out, final double seconds)
    {
        out.printf(Locale.ROOT, "latency parts (µs)   p50      p99      p99.9    max   | %d samples > %.0f µs: share, by root cause%n",
            lateCount, lateNanos / 1e3);
        long lateTotal = 0;
        for (final long s : lateSums)
        {
            lateTotal += s;
        }
        for (int i = 0; i < NAMES.length; i++)
        {
            final Histogram h = parts[i];
            out.printf(Locale.ROOT, "  %-9s %9.1f %8.1f %8.1f %9.1f | %5.1f %%  %5.1f %%%n", NAMES[i], h.getValueAtPercentile(50) / 1e3,
                h.getValueAtPercentile(99) / 1e3, h.getValueAtPercentile(99.9) / 1e3, h.getMaxValue() / 1e3,
                lateTotal > 0 ? 100.0 * lateSums[i] / lateTotal : 0, lateTotal > 0 ? 100.0 * lateRootSums[i] / lateTotal : 0);
        }
        out.printf(Locale.ROOT, "runner stalls while idle (poll gap > %.0f µs): %d (%.1f/s), p50 %.1f µs, p99 %.1f µs, max %.1f µs, " +
                "%.2f ms in total%n", GAP_NANOS / 1e3, gaps.getTotalCount(), seconds > 0 ? gaps.getTotalCount() / seconds : 0,
            gaps.getValueAtPercentile(50) / 1e3, gaps.getValueAtPercentile(99) / 1e3, gaps.getMaxValue() / 1e3,
            gaps.getTotalCount() * gaps.getMean() / 1e6);
        if (snapshots.getTotalCount() > 0)
        {
            out.printf(Locale.ROOT, "snapshots: %d, p50 %.1f µs, max %.1f µs%n", snapshots.getTotalCount(),
                snapshots.getValueAtPercentile(50) / 1e3, snapshots.getMaxValue() / 1e3);
        }
    }
}
