package io.spikering.bench;

import com.lmax.disruptor.BusySpinWaitStrategy;
import com.lmax.disruptor.SleepingWaitStrategy;
import com.lmax.disruptor.WaitStrategy;
import com.lmax.disruptor.YieldingWaitStrategy;
import io.spikering.core.engine.Simulator;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.util.concurrent.TimeUnit;

/**
 * The Disruptor transport: the {@link DeliveryBenchmark} workload (input of {@value DeliveryBenchmark#SOURCES}
 * units, {@code events} of them non-zero, dense rows of {@code targets} weights into a rate layer), one
 * {@link Simulator#step()} per operation, delivered directly ({@code threads = 0}) or through the ring buffer with
 * 1 or 2 handler threads waiting with the Disruptor strategy {@code wait} ({@code sleeping}, the engine's
 * default; {@code yielding}; {@code busyspin}). Per-event transport overhead is
 * (time[1] - time[0]) / events; the second thread's speedup is time[1] / time[2].
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx2g"})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class TransportBenchmark
{
    @Param({"1024", "4096"})
    public int targets;

    @Param({"64", "512"})
    public int events;

    @Param({"0", "1", "2"})
    public int threads;

    @Param({"sleeping"})
    public String wait;

    private Simulator simulator;

    @Setup(Level.Trial)
    public void setUp()
    {
        final float[][] rows = Workloads.denseRows(DeliveryBenchmark.SOURCES, targets, 11);
        final int[] units = Workloads.activeUnits(DeliveryBenchmark.SOURCES, events, 12);
        simulator = new Simulator(Workloads.inputToRate(rows), threads, waitStrategy(wait));
        simulator.setInput(0, Workloads.sparseInput(DeliveryBenchmark.SOURCES, units));
    }

    static WaitStrategy waitStrategy(final String name)
    {
        return switch (name)
        {
            case "sleeping" -> new SleepingWaitStrategy();
            case "yielding" -> new YieldingWaitStrategy();
            case "busyspin" -> new BusySpinWaitStrategy();
            default -> throw new IllegalArgumentException("wait must be 'sleeping', 'yielding' or 'busyspin', got '" +
                name + "'");
        };
    }

    @TearDown(Level.Trial)
    public void tearDown()
    {
        simulator.close();
    }

    @Benchmark
    public void step()
    {
        simulator.step();
    }
}
