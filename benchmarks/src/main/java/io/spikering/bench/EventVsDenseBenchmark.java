package io.spikering.bench;

import io.spikering.core.engine.Delivery;
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
import org.openjdk.jmh.annotations.Warmup;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * One layer of {@value #SIZE} x {@value #SIZE} dense weights, one step per operation, driven by a vector of signed
 * integer counts of which {@code activityPercent} % are non-zero, with |count| drawn from {@code counts}:
 * {@code unit} (all 1) or {@code geometricN} (geometric with mean N). Compared with the dense matrix-vector
 * product of {@link DenseLayerBenchmark}, which does not depend on the activity.
 * <ul>
 * <li>{@link #eventDriven()}: this engine's way: scan the counts, compact the non-zero ones into events
 * (unit, count * scale) and add one weight row per event ({@link Delivery#dense}): cost grows with the active
 * fraction, not with the counts;</li>
 * <li>{@link #unitSpikes()}: a unit-spike simulator's way (one row add per spike, as binary-spike hardware and
 * the synops count assume): an event of count c is |c| row adds of sign(c).</li>
 * </ul>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx2g"})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class EventVsDenseBenchmark
{
    /** Sources and targets of the layer. */
    public static final int SIZE = 1024;

    /** Largest |count| drawn (geometric tails are cut here). */
    static final int MAX_COUNT = 32;

    private static final double SCALE = 0.5;

    @Param({"1", "2", "5", "10", "20", "50", "100"})
    public int activityPercent;

    @Param({"unit", "geometric2", "geometric4"})
    public String counts;

    private double[][] rows;
    private int[] countVector;
    private int[] neurons;
    private double[] values;
    private double[] acc;

    @Setup(Level.Trial)
    public void setUp()
    {
        rows = Workloads.widen(Workloads.denseRows(SIZE, SIZE, 21));
        countVector = countVector(activityPercent, counts, 22);
        neurons = new int[SIZE * MAX_COUNT];
        values = new double[SIZE * MAX_COUNT];
        acc = new double[SIZE];
    }

    /** {@code percent}% of {@value #SIZE} units get a non-zero signed count from the named distribution. */
    static int[] countVector(final int percent, final String distribution, final long seed)
    {
        if (percent < 0 || percent > 100)
        {
            throw new IllegalArgumentException("activityPercent must be in [0, 100], got " + percent);
        }
        final double mean;
        if (distribution.equals("unit"))
        {
            mean = 1;
        }
        else if (distribution.startsWith("geometric"))
        {
            mean = Double.parseDouble(distribution.substring("geometric".length()));
        }
        else
        {
            throw new IllegalArgumentException("counts must be 'unit' or 'geometricN' (N = mean |count| >= 1), got '" +
                distribution + "'");
        }
        final SplittableRandom random = new SplittableRandom(seed);
        final int[] units = Workloads.activeUnits(SIZE, (int)Math.round(SIZE * percent / 100.0), seed);
        final int[] c = new int[SIZE];
        for (final int i : units)
        {
            int magnitude = 1;
            while (magnitude < MAX_COUNT && random.nextDouble() < 1 - 1 / mean)
            {
                magnitude++;
            }
            c[i] = random.nextBoolean() ? magnitude : -magnitude;
        }
        return c;
    }

    @Benchmark
    public void eventDriven()
    {
        final int[] c = countVector;
        int n = 0;
        for (int i = 0; i < c.length; i++)
        {
            if (c[i] != 0)
            {
                neurons[n] = i;
                values[n] = c[i] * SCALE;
                n++;
            }
        }
        Delivery.dense(rows, acc, neurons, values, n, 0, SIZE);
    }

    @Benchmark
    public void unitSpikes()
    {
        final int[] c = countVector;
        int n = 0;
        for (int i = 0; i < c.length; i++)
        {
            final int count = c[i];
            if (count != 0)
            {
                final double sign = count > 0 ? SCALE : -SCALE;
                for (int k = Math.abs(count); k > 0; k--)
                {
                    neurons[n] = i;
                    values[n] = sign;
                    n++;
                }
            }
        }
        Delivery.dense(rows, acc, neurons, values, n, 0, SIZE);
    }
}
