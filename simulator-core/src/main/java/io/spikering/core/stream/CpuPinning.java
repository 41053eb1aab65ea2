package io.spikering.core.stream;

import net.openhft.affinity.Affinity;

import java.util.BitSet;

/**
 * Pins the calling thread to one CPU (OpenHFT Affinity, {@code sched_setaffinity} on Linux). On a 2-core machine
 * a busy-spinning stream thread pinned to one core, with everything else kept on the other (start the JVMs under
 * {@code taskset -c 0}), is no longer preempted by the feeder or the JVM's own threads (docs/streaming.md).
 */
public final class CpuPinning
{
    /** CPU numbers accepted ({@code availableProcessors} would only count the process's own mask, e.g. under taskset). */
    public static final int MAX_CPUS = 4096;

    private CpuPinning()
    {
    }

    /** Pins the calling thread to {@code cpu}; {@code what} names the option in error messages. */
    public static void pinCurrentThread(final int cpu, final String what)
    {
        if (cpu < 0 || cpu >= MAX_CPUS)
        {
            throw new IllegalArgumentException(what + " must be a CPU number in [0, " + (MAX_CPUS - 1) + "], got " + cpu);
        }
        final BitSet one = new BitSet();
        one.set(cpu);
        try
        {
            Affinity.setAffinity(one);
        }
        catch (final RuntimeException e)
        {
            throw new IllegalStateException(what + " " + cpu + ": could not pin the thread (" + e.getMessage() + "); the CPU must " +
                "exist and be in the container's cpuset", e);
        }
        if (!one.equals(Affinity.getAffinity()))
        {
            throw new IllegalStateException(what + " " + cpu + ": could not pin the thread (affinity is " + Affinity.getAffinity() +
                "; the CPU must exist and be in the container's cpuset, and pinning needs Linux and JNA)");
        }
    }
}
