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
 * compaction, one stencil add per input spike, the target's read-and-clear); {@link #dense()} a direct convolution over
 * every input (outC x positions x inC x kernel multiply-adds, contiguous inner loop over output columns), which does not
 * depend on the density. Both compute the same sums in the same order ({@code ConvEventVsDenseBenchmarkTest}).
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
        convolve(kernel, frames[denseFrame++ & (FRAMES - 1)], out);
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
     * out = conv(in), 2-d kernels with groups 1 and symmetric padding: for each output channel, input channel and
     * kernel offset, the valid output rows and columns (hoisted bounds) get w * in; per output the products arrive in
     * input channel, kernel row, kernel column order, i.e. ascending input unit, as the engine adds its events.
     */
    static void convolve(final ConvKernel k, final double[] in, final double[] out)
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
        final float[] w = k.weights();
        Arrays.fill(out, 0.0);
        for (int co = 0; co < k.outChannels(); co++)
        {
            final int outBase = co * outH * outW;
            for (int ci = 0; ci < inC; ci++)
            {
                final int inBase = ci * inH * inW;
                for (int ky = 0; ky < kH; ky++)
                {
                    for (int kx = 0; kx < kW; kx++)
                    {
                        final double weight = w[((co * inC + ci) * kH + ky) * kW + kx];
                        // output columns whose input column ox * sW - pW + kx lies in [0, inW)
                        final int oxFrom = Math.max(0, (pW - kx + sW - 1) / sW);
                        final int oxUntil = Math.min(outW, (inW - 1 + pW - kx) / sW + 1);
                        for (int oy = 0; oy < outH; oy++)
                        {
                            final int iy = oy * sH - pH + ky;
                            if (iy < 0 || iy >= inH)
                            {
                                continue;
                            }
                            final int row = inBase + iy * inW - pW + kx;
                            final int o = outBase + oy * outW;
                            for (int ox = oxFrom; ox < oxUntil; ox++)
                            {
                                out[o + ox] += weight * in[row + ox * sW];
                            }
                        }
                    }
                }
            }
        }
    }
}
