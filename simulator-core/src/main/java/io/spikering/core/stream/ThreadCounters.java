package io.spikering.core.stream;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The calling thread's OS counters (Linux {@code /proc/thread-self}): involuntary context switches (how often the OS
 * took the CPU away from it) and minor page faults (e.g. first touches of a memory-mapped queue page). Not for hot
 * paths (reads a file); −1 where /proc is not available.
 */
final class ThreadCounters
{
    private static final String SWITCHES = "nonvoluntary_ctxt_switches:";

    private ThreadCounters()
    {
    }

    static long involuntarySwitches()
    {
        try
        {
            for (final String line : Files.readAllLines(Path.of("/proc/thread-self/status")))
            {
                if (line.startsWith(SWITCHES))
                {
                    return Long.parseLong(line.substring(SWITCHES.length()).trim());
                }
            }
            return -1;
        }
        catch (final IOException | RuntimeException e)
        {
            return -1;
        }
    }

    static long minorFaults()
    {
        try
        {
            final String stat = Files.readString(Path.of("/proc/thread-self/stat"));
            // fields after the parenthesised command name: state(3) ppid pgrp session tty tpgid flags minflt(10)
            final String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return Long.parseLong(f[7]);
        }
        catch (final IOException | RuntimeException e)
        {
            return -1;
        }
    }
}
