package io.spikering.bench;

import io.spikering.core.engine.ConvKernel;
import io.spikering.core.engine.Network;
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

import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * One step of one convolution layer of the NIR paper's spiking CNN for N-MNIST ({@code cnn_sinabs.nir}; its layers as
 * defined in neuromorphs/NIR, {@code paper/02_cnn/sinabs.py}), driven by binary input spikes of which
 * {@code densityPercent} % are on, with random weights of the layer's shape (none zero):
 * <ul>
 * <li>{@code conv1}: 2 x 34 x 34 -&gt; 16 x 16 x 16, kernel 5 x 5, stride 2, padding 1 (the DVS input layer);</li>
 * <li>{@code conv2}: 16 x 16 x 16 -&gt; 16 x 16 x 16, kernel 3 x 3, stride 1, padding 1;</li>
 * <li>{@code conv3}: 16 x 8 x 8 -&gt; 8 x 8 x 8, kernel 3 x 3, stride 1, padding 1 (after a 2 x 2 sum pooling).</li>
 * </ul>
 * {@link #eventDriven()} is a whole engine step of input -&gt; pass-through through the conv projection (input scan,
 * compaction, one stencil add per input spike, the target's read-and-clear); {@link #dense()} the dense way of CPU
 * libraries, im2col and a matrix product over every input (outC x positions x inC x kernel multiply-adds), which does
 * not depend on the density. Both compute the same sums in the same order ({@code ConvEventVsDenseBenchmarkTest}).
 * Sixteen input frames are cycled so that no single spike pattern is learned by the branch predictor.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx2g"})
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
public class ConvEventVsDenseBenchmark
{
    private static final int FRAMES = 16;

    @Param({"conv1", "conv2", "conv3"})
    public String layer;

    @Param({"0.5", "1", "2", "5", "10", "20", "50", "100"})
    public String densityPercent;

    private ConvKernel kernel;
    private double[][] frames;
    private double[] out;
    private double[][] col;
    private double[] wide;
    private Simulator sim;
    private int input;
    private int target;
    private int eventFrame;
    private int denseFrame;

    @Setup(Level.Trial)
    public void setUp()
    {
        kernel = layer(layer, 31);
        frames = frames(kernel.inputSize(), Double.parseDouble(densityPercent) / 100.0, 32);
        out = new double[kernel.outputSize()];
        col = new double[kernel.inChannels() * kernel.kernelElements()][kernel.outputSpatialSize()];
        wide = denseWeights(kernel);
        final Network.Builder b = Network.builder();
        input = b.input("in", kernel.inputSize());
        target = b.passThrough("out", kernel.outputSize());
        b.connect(input, target).conv(kernel);
        sim = new Simulator(b.build());
    }

    @TearDown(Level.Trial)
    public void tearDown()
    {
        sim.close();
    }

    @Benchmark
    public double eventDriven()
    {
        sim.setInput(input, frames[eventFrame++ & (FRAMES - 1)]);
        sim.step();
        return sim.outputs(target)[0];
    }

    @Benchmark
    public double dense()
    {
        convolve(kernel, wide, frames[denseFrame++ & (FRAMES - 1)], col, out);
        return out[0];
    }

    double[] engineOutput()
    {
        return sim.outputs(target);
    }

    double[] denseOutput()
    {
        return out;
    }

    /** The named layer of the spiking CNN, with weights drawn from N(0, 1) (zeros replaced, so none is dropped). */
    static ConvKernel layer(final String name, final long seed)
    {
        final SplittableRandom random = new SplittableRandom(seed);
        return switch (name)
        {
            case "conv1" -> ConvKernel.conv(2, new int[] {34, 34}, 16, new int[] {5, 5}, weights(random, 16 * 2 * 25))
                .stride(2).padding(1).build();
            case "conv2" -> ConvKernel.conv(16, new int[] {16, 16}, 16, new int[] {3, 3}, weights(random, 16 * 16 * 9))
                .padding(1).build();
            case "conv3" -> ConvKernel.conv(16, new int[] {8, 8}, 8, new int[] {3, 3}, weights(random, 8 * 16 * 9))
                .padding(1).build();
            default -> throw new IllegalArgumentException("layer must be conv1, conv2 or conv3, got " + name);
        };
    }

    private static float[] weights(final SplittableRandom random, final int n)
    {
        final float[] w = new float[n];
        for (int i = 0; i < n; i++)
        {
            final float v = (float)random.nextGaussian();
            w[i] = v == 0f ? 1f : v;
        }
        return w;
    }

    /** {@value #FRAMES} binary frames, each unit on with probability {@code density}. */
    static double[][] frames(final int size, final double density, final long seed)
    {
        final SplittableRandom random = new SplittableRandom(seed);
        final double[][] frames = new double[FRAMES][size];
        for (final double[] f : frames)
        {
            for (int i = 0; i < size; i++)
            {
                f[i] = random.nextDouble() < density ? 1.0 : 0.0;
            }
        }
        return frames;
    }

    /**
     * out = conv(in) the way dense CPU libraries do it (2-d kernels, groups 1): im2col, then a matrix product. Row
     * (ci, ky, kx) of {@code col} holds, for every output position, the input its tap reads (0 in the padding); then
     * out[co][p] += w[co][ci, ky, kx] * col[ci, ky, kx][p], inner loop over the output positions (long, contiguous,
     * vectorised). Per output the products arrive in (ci, ky, kx) order, i.e. ascending input unit, as the engine adds
     * its events. {@code col} has (inC x kernel elements) x positions entries.
     */
    static void convolve(final ConvKernel k, final double[] w, final double[] in, final double[][] col, final double[] out)
    {
        final int inC = k.inChannels();
        final int inH = k.inputShape()[0];
        final int inW = k.inputShape()[1];
        final int outH = k.outputShape()[0];
        final int outW = k.outputShape()[1];
        final int kH = k.kernelShape()[0];
        final int kW = k.kernelShape()[1];
        final int sH = k.stride()[0];
        final int sW = k.stride()[1];
        final int pH = k.paddingBefore()[0];
        final int pW = k.paddingBefore()[1];
        final int positions = outH * outW;
        for (int ci = 0; ci < inC; ci++)
        {
            for (int ky = 0; ky < kH; ky++)
            {
                for (int kx = 0; kx < kW; kx++)
                {
                    final double[] row = col[(ci * kH + ky) * kW + kx];
                    for (int oy = 0; oy < outH; oy++)
                    {
                        final int iy = oy * sH - pH + ky;
                        for (int ox = 0; ox < outW; ox++)
                        {
                            final int ix = ox * sW - pW + kx;
                            row[oy * outW + ox] = iy >= 0 && iy < inH && ix >= 0 && ix < inW ? in[(ci * inH + iy) * inW + ix] : 0.0;
                        }
                    }
                }
            }
        }
        final int taps = col.length;
        Arrays.fill(out, 0.0);
        for (int co = 0; co < k.outChannels(); co++)
        {
            final int base = co * positions;
            for (int t = 0; t < taps; t++)
            {
                final double weight = w[co * taps + t];
                final double[] row = col[t];
                for (int p = 0; p < positions; p++)
                {
                    out[base + p] += weight * row[p];
                }
            }
        }
    }

    /** The weights widened to double, [outC][inC x kernel elements] (PyTorch's layout is already this matrix). */
    static double[] denseWeights(final ConvKernel k)
    {
        final float[] w = k.weights();
        final double[] wide = new double[w.length];
        for (int i = 0; i < w.length; i++)
        {
            wide[i] = w[i];
        }
        return wide;
    }
}
