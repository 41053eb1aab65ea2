package io.spikering.cli;

import io.spikering.core.stream.StreamRunner;
import picocli.CommandLine.Option;

/** The runner options {@code stream run} and {@code stream latency} share: memory computation, snapshots, parking. */
final class StreamEngineOptions
{
    @Option(names = "--memory-mode", defaultValue = "fused", paramLabel = "recurrence|filter|fused",
        description = "psMNIST classifier files only: how the engine computes the memory (docs/engine.md) (default ${DEFAULT-VALUE}).")
    String memoryMode;

    @Option(names = "--memory-schedule", defaultValue = StreamRunner.DEFAULT_MEMORY_SCHEDULE, paramLabel = "eager|deferred",
        description = "Event-driven memories: add each pixel when it arrives (eager, no per-sample burst) or all pixels before the "
            + "readout window at its first step (deferred, least total time); same outputs (default ${DEFAULT-VALUE}).")
    String memorySchedule;

    @Option(names = "--snapshot-every", defaultValue = "10000", paramLabel = "N",
        description = "Snapshot every N inputs (0 = never) (default ${DEFAULT-VALUE}).")
    long snapshotEvery;

    @Option(names = "--max-park-us", defaultValue = "1000", paramLabel = "US",
        description = "--idle backoff: longest park in µs (a shorter one answers sooner after a pause in the input) (default ${DEFAULT-VALUE}).")
    long maxParkMicros;

    @Option(names = "--pretouch-kb", defaultValue = "4096", paramLabel = "KB",
        description = "Touch the output queue's file pages this far ahead of the writer from a background thread, so appends do not " +
            "take the page faults (0 = off) (default ${DEFAULT-VALUE}).")
    long pretouchKb;

    /** The pre-touch distance in bytes, checked. */
    long pretouchBytes()
    {
        return checkPretouch(pretouchKb);
    }

    static long checkPretouch(final long kb)
    {
        if (kb < 0 || kb > 1 << 20)
        {
            throw new IllegalArgumentException("--pretouch-kb must be in [0, 1048576] (0 = off), got " + kb);
        }
        return kb * 1024;
    }

    /** Checks the shared options and parses {@code idle} (busy|backoff), whose default differs per command. */
    StreamRunner.Idle idleStrategy(final String idle)
    {
        if (snapshotEvery < 0)
        {
            throw new IllegalArgumentException("--snapshot-every must be >= 0, got " + snapshotEvery);
        }
        return switch (idle)
        {
            case "busy" -> StreamRunner.Idle.BUSY;
            case "backoff" -> StreamRunner.Idle.BACKOFF;
            default -> throw new IllegalArgumentException("--idle must be busy or backoff, got " + idle);
        };
    }
}
