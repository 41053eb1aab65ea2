package io.spikering.bench;

import io.spikering.core.engine.Delivery;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.util.concurrent.TimeUnit;

/**
 * The dense side of {@link EventVsDenseBenchmark}: the same layer as a full matrix-vector product, every input
 * times every weight, whatever the activity.
 * <ul>
 * <li>{@link #denseDouble()}: the engine's kernel over all rows (double sums, as the engine's non-spiking path
 * would without skipping zeros);</li>
 * <li>{@link #denseFloat()}: a plain float32 product (row-wise axpy, float sums; what a float32 dense library
 * computes), the faster dense baseline.</li>
 * </ul>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx2g"})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class DenseLayerBenchmark
{
    private static final int SIZE = EventVsDenseBenchmark.SIZE;

    private float[][] rows;
    private double[][] wideRows;
    private int[] all;
    private double[] x;
    private float[] xFloat;
    private double[] acc;
    private float[] accFloat;

    @Setup(Level.Trial)
    public void setUp()
    {
        rows = Workloads.denseRows(SIZE, SIZE, 21);
        wideRows = Workloads.widen(rows);
        all = new int[SIZE];
        x = new double[SIZE];
        xFloat = new float[SIZE];
        final int[] c = EventVsDenseBenchmark.countVector(100, "unit", 22);
        for (int i = 0; i < SIZE; i++)
        {
            all[i] = i;
            x[i] = c[i] * 0.5;
            xFloat[i] = (float)x[i];
        }
        acc = new double[SIZE];
        accFloat = new float[SIZE];
    }

    @Benchmark
    public void denseDouble()
    {
        Delivery.dense(wideRows, acc, all, x, SIZE, 0, SIZE);
    }

    @Benchmark
    public void denseFloat()
    {
        final float[] a = accFloat;
        for (int i = 0; i < SIZE; i++)
        {
            final float[] w = rows[i];
            final float s = xFloat[i];
            for (int j = 0; j < a.length; j++)
            {
                a[j] += s * w[j];
            }
        }
    }
}
