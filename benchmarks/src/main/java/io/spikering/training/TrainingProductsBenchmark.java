package io.spikering.training;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.util.Random;
import java.util.concurrent.TimeUnit;

/**
 * The trainers' products, Vector API tiles against the plain loops they must equal bit for bit, one thread, operands
 * in cache. Each score is in multiply-adds per nanosecond, i.e. GMAC/s. It lives in the trainer's package because
 * the products are package-private.
 * <ul>
 * <li>{@code window*}: {@link WindowProducts} on the shipped parallel LMU's shard (160 window rows = 10 samples × K 16,
 * order 256, 512 hidden units): the pre-activation Z = M·W_m and the gradient δW_m += Mᵀ·δZ, unfused;</li>
 * <li>{@code recurrent*}: {@link FloatMatrixOps} at the recurrent cell's W_h shape (a shard of 10 samples, 212 units
 * padded to 224): Z += H·W_h per step and δW_h += Hᵀ·δZ over a block of 256 terms, fused.</li>
 * </ul>
 * Run: {@code java -jar benchmarks/target/benchmarks.jar TrainingProductsBenchmark} (the fork adds the Vector API
 * module and the 64-byte alignment that {@code ./spikering train} uses).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx2g", "--add-modules=jdk.incubator.vector", "-XX:ObjectAlignmentInBytes=64"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 1)
public class TrainingProductsBenchmark
{
    private static final int ROWS = 160;
    private static final int ORDER = 256;
    private static final int HIDDEN = 512;
    private static final int WINDOW_MACS = ROWS * ORDER * HIDDEN;
    private static final int SAMPLES = 10;
    private static final int UNITS = 224;
    private static final int TERMS = 256;

    @Param({"vector", "scalar"})
    public String impl;

    private WindowProducts window;
    private FloatMatrixOps matrix;
    private float[] mem;
    private int[] memOffset;
    private float[] w;
    private float[][] z;
    private float[] grad;
    private float[] h;
    private float[] wh;
    private float[] zh;
    private float[] hs;
    private float[] dzs;
    private float[] dwh;

    @Setup(Level.Trial)
    public void setUp()
    {
        final boolean vector = impl.equals("vector");
        window = vector ? WindowProducts.best() : new ScalarWindowProducts();
        matrix = vector ? FloatMatrixOps.best() : new ScalarMatrixOps();
        if (vector && !(window instanceof VectorWindowProducts && matrix instanceof VectorMatrixOps))
        {
            throw new IllegalStateException("the fork has no jdk.incubator.vector module: " + window.describe());
        }
        final Random r = new Random(1);
        mem = filled(r, ROWS * ORDER);
        memOffset = new int[ROWS];
        for (int i = 0; i < ROWS; i++)
        {
            memOffset[i] = i * ORDER;
        }
        w = filled(r, ORDER * HIDDEN);
        z = new float[ROWS][HIDDEN];
        for (final float[] row : z)
        {
            System.arraycopy(filled(r, HIDDEN), 0, row, 0, HIDDEN);
        }
        grad = new float[ORDER * HIDDEN];
        h = filled(r, SAMPLES * UNITS);
        wh = filled(r, UNITS * UNITS);
        zh = new float[SAMPLES * UNITS];
        hs = filled(r, TERMS * UNITS);
        dzs = filled(r, TERMS * UNITS);
        dwh = new float[UNITS * UNITS];
    }

    private static float[] filled(final Random r, final int n)
    {
        final float[] v = new float[n];
        for (int i = 0; i < n; i++)
        {
            v[i] = (float)(0.1 * r.nextGaussian());
        }
        return v;
    }

    @Benchmark
    @OperationsPerInvocation(WINDOW_MACS)
    public float[][] windowPreactivation()
    {
        window.preactivation(mem, memOffset, ROWS, ORDER, w, HIDDEN, z);
        return z;
    }

    @Benchmark
    @OperationsPerInvocation(WINDOW_MACS)
    public float[] windowGradient()
    {
        window.gradient(mem, memOffset, ROWS, ORDER, z, HIDDEN, grad);
        return grad;
    }

    @Benchmark
    @OperationsPerInvocation(SAMPLES * UNITS * UNITS)
    public float[] recurrentStep()
    {
        matrix.multiplyAdd(h, 0, UNITS, 1, SAMPLES, UNITS, wh, 0, UNITS, zh, 0, UNITS, UNITS);
        return zh;
    }

    @Benchmark
    @OperationsPerInvocation(UNITS * TERMS * UNITS)
    public float[] recurrentWeightGradient()
    {
        matrix.multiplyAdd(hs, 0, 1, UNITS, UNITS, TERMS, dzs, 0, UNITS, dwh, 0, UNITS, UNITS);
        return dwh;
    }
}
