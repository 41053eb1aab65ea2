package io.spikering.bench;

import io.spikering.core.engine.Delivery;
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
 * The weight-row delivery kernel: {@code events} of {@value #SOURCES} source units each add their row of
 * {@code rowLength} weights to the targets' input sums. One operation delivers {@code events * rowLength} synaptic
 * events; the renderer divides by the time to get synaptic events per second.
 * <ul>
 * <li>{@link #roofline()}: a plain {@code float += float} add of the same weight rows into a float array, the least
 * any delivery of those weight bytes must do (the practical roofline on this machine);</li>
 * <li>{@link #kernel()}: the engine's own kernel, {@link Delivery#dense}, into a double input slot (rows widened to
 * double, as the engine stores them);</li>
 * <li>{@link #kernelFloatRows()}: the engine's kernel as it was before that widening (float rows, double sums),
 * which JDK 17's C2 does not vectorise;</li>
 * <li>{@link #step()}: one {@link Simulator#step()} of input(SOURCES) -> rate(rowLength) with exactly
 * {@code events} non-zero inputs: the whole per-step path (input compaction, op counting, delivery, the target's
 * read-and-clear and update).</li>
 * </ul>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx2g"})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class DeliveryBenchmark
{
    /** Source units (rows); events of them are active per step. */
    public static final int SOURCES = 1024;

    @Param({"64", "256", "1024", "4096"})
    public int rowLength;

    @Param({"8", "64", "512"})
    public int events;

    private float[][] rows;
    private double[][] wideRows;
    private int[] neurons;
    private double[] values;
    private double[] acc;
    private float[] accFloat;
    private Simulator simulator;

    @Setup(Level.Trial)
    public void setUp()
    {
        rows = Workloads.denseRows(SOURCES, rowLength, 11);
        wideRows = Workloads.widen(rows);
        neurons = Workloads.activeUnits(SOURCES, events, 12);
        final double[] input = Workloads.sparseInput(SOURCES, neurons);
        values = new double[events];
        for (int e = 0; e < events; e++)
        {
            values[e] = input[neurons[e]];
        }
        acc = new double[rowLength];
        accFloat = new float[rowLength];
        simulator = new Simulator(Workloads.inputToRate(rows));
        simulator.setInput(0, input);
    }

    @TearDown(Level.Trial)
    public void tearDown()
    {
        simulator.close();
    }

    @Benchmark
    public void roofline()
    {
        final float[] a = accFloat;
        final int[] units = neurons;
        for (int e = 0; e < units.length; e++)
        {
            final float[] w = rows[units[e]];
            for (int j = 0; j < a.length; j++)
            {
                a[j] += w[j];
            }
        }
    }

    @Benchmark
    public void kernel()
    {
        Delivery.dense(wideRows, acc, neurons, values, events, 0, rowLength);
    }

    @Benchmark
    public void kernelFloatRows()
    {
        final double[] a = acc;
        for (int e = 0; e < events; e++)
        {
            final float[] w = rows[neurons[e]];
            final double s = values[e];
            for (int j = 0; j < rowLength; j++)
            {
                a[j] += s * w[j];
            }
        }
    }

    @Benchmark
    public void step()
    {
        simulator.step();
    }
}
