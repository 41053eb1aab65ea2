package io.spikering.core.engine;

import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Event-driven convolution (the kernel's stencil expanded into sparse rows, delivered event by event) against a dense
 * convolution written here from PyTorch's definition, on random shapes, strides, paddings, dilations and groups.
 */
final class ConvProjectionTest
{
    @Test
    void eventDrivenConvolutionEqualsDenseConvolution()
    {
        final SplittableRandom random = new SplittableRandom(42);
        int checked = 0;
        for (int trial = 0; trial < 200; trial++)
        {
            final Shape s = Shape.random(random);
            final ConvKernel k = s.toKernel();
            final double[] input = new double[k.inputSize()];
            final double density = new double[] {0.02, 0.2, 1.0}[trial % 3];
            for (int i = 0; i < input.length; i++)
            {
                input[i] = random.nextDouble() < density ? (random.nextBoolean() ? 1.0 : random.nextDouble(-2, 2)) : 0.0;
            }
            final double[] expected = s.dense(input);
            for (final int threads : new int[] {0, 1, 2, 4})
            {
                final double[] actual = run(k, input, threads);
                for (int j = 0; j < expected.length; j++)
                {
                    // same products added in the same order (ascending input unit) as the loop here: equal, not close
                    if (expected[j] != actual[j])
                    {
                        fail(k + " threads " + threads + " output " + j + ": dense " + expected[j] + ", event-driven " + actual[j]);
                    }
                }
            }
            checked++;
        }
        assertEquals(200, checked);
    }

    @Test
    void poolingIsADepthwiseKernelOfOnesOrOfTheAverage()
    {
        final ConvKernel sum = ConvKernel.sumPool2d(2, 5, 6, new int[] {2, 3}, new int[] {2, 3}, new int[] {1, 0});
        assertArrayEquals(new int[] {3, 2}, sum.outputShape());
        final double[] input = new double[sum.inputSize()];
        for (int i = 0; i < input.length; i++)
        {
            input[i] = i + 1;
        }
        final double[] out = run(sum, input, 0);
        // channel 0, output (0, 0): the top row is padding, so input row 0, columns 0..2: 1 + 2 + 3
        assertEquals(6.0, out[0]);
        // channel 1, output (1, 1): input rows 1..2, columns 3..5 of channel 1; input (c, y, x) holds 30c + 6y + x + 1
        assertEquals((40 + 41 + 42) + (46 + 47 + 48), out[6 + 1 * 2 + 1]);
        final ConvKernel avg = ConvKernel.avgPool2d(2, 5, 6, new int[] {2, 3}, new int[] {2, 3}, new int[] {1, 0});
        assertEquals(6.0 * (float)(1.0 / 6), run(avg, input, 0)[0], 1e-15, "count_include_pad: the padded row counts");
        assertEquals(3L * 2 * 2 * 6, sum.denseMacsPerStep());
    }

    @Test
    void oversizedExpansionsAndMismatchedShapesAreRefused()
    {
        final Network.Builder b = Network.builder();
        final int in = b.input("in", 2 * 4 * 4);
        final int out = b.passThrough("out", 3 * 3 * 3);
        final ConvKernel k = ConvKernel.conv(2, new int[] {4, 4}, 3, new int[] {3, 3}, new float[3 * 2 * 9]).build();
        final IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
            () -> b.connect(in, out).name("c1").conv(k));
        assertTrue(e.getMessage().contains("'c1'") && e.getMessage().contains("12 outputs") && e.getMessage().contains("27 inputs"), e.getMessage());
        final Network.Builder big = Network.builder();
        final int bigIn = big.input("in", 64 * 128 * 128);
        final int bigOut = big.passThrough("out", 64 * 128 * 128);
        final float[] ones = new float[64 * 64 * 9];
        java.util.Arrays.fill(ones, 1f);
        final ConvKernel huge = ConvKernel.conv(64, new int[] {128, 128}, 64, new int[] {3, 3}, ones).padding(1).build();
        final IllegalArgumentException tooBig = assertThrows(IllegalArgumentException.class,
            () -> big.connect(bigIn, bigOut).name("huge").conv(huge));
        assertTrue(tooBig.getMessage().contains("'huge'") && tooBig.getMessage().contains("limit"), tooBig.getMessage());
        assertThrows(IllegalArgumentException.class, () -> ConvKernel.conv(4, new int[] {5}, 6, new int[] {3}, new float[6 * 2 * 3])
            .groups(3).build(), "groups must divide the channels");
        assertThrows(IllegalArgumentException.class, () -> ConvKernel.conv(1, new int[] {2, 2}, 1, new int[] {3, 3}, new float[9])
            .build(), "kernel larger than the input");
        assertThrows(IllegalArgumentException.class, () -> ConvKernel.conv(1, new int[] {5}, 1, new int[] {3}, new float[3])
            .stride(2).paddingSame().build(), "'same' needs stride 1");
    }

    @Test
    void samePaddingKeepsTheShapeWithTheSmallerHalfBefore()
    {
        final ConvKernel k = ConvKernel.conv(1, new int[] {5, 6}, 1, new int[] {4, 3}, new float[12]).paddingSame().build();
        assertArrayEquals(new int[] {5, 6}, k.outputShape());
        assertArrayEquals(new int[] {1, 1}, k.paddingBefore());
        assertArrayEquals(new int[] {2, 1}, k.paddingAfter());
    }

    /** Input values into a pass-through population through the conv projection, one step. */
    static double[] run(final ConvKernel k, final double[] input, final int threads)
    {
        final Network.Builder b = Network.builder();
        final int in = b.input("in", k.inputSize());
        final int out = b.passThrough("out", k.outputSize());
        b.connect(in, out).conv(k);
        final Network network = b.build();
        assertEquals(k.stencilEntries(), network.projection(0).nonZeroWeights(), "entries counted before expanding");
        assertEquals(k, network.projection(0).convKernel());
        try (Simulator sim = new Simulator(network, threads))
        {
            sim.setInput(in, input);
            sim.step();
            return sim.outputs(out).clone();
        }
    }

    /** A random Conv1d/Conv2d configuration, with a dense convolution written out from PyTorch's definition. */
    record Shape(int dims, int inC, int outC, int groups, int[] in, int[] kernel, int[] stride, int[] pad, int[] dil, float[] w,
                 boolean same)
    {
        static Shape random(final SplittableRandom random)
        {
            final int dims = 1 + random.nextInt(2);
            final int groups = 1 + random.nextInt(3);
            final int inC = groups * (1 + random.nextInt(2));
            final int outC = groups * (1 + random.nextInt(3));
            final int[] in = new int[dims];
            final int[] kernel = new int[dims];
            final int[] stride = new int[dims];
            final int[] pad = new int[dims];
            final int[] dil = new int[dims];
            final boolean same = random.nextInt(5) == 0;
            for (int d = 0; d < dims; d++)
            {
                in[d] = 3 + random.nextInt(8);
                kernel[d] = 1 + random.nextInt(4);
                dil[d] = 1 + random.nextInt(2);
                stride[d] = same ? 1 : 1 + random.nextInt(3);
                pad[d] = random.nextInt(3);
                while (dil[d] * (kernel[d] - 1) + 1 > in[d] + 2 * pad[d])
                {
                    kernel[d]--;
                }
            }
            final float[] w = new float[outC * (inC / groups) * kernel[0] * (dims == 2 ? kernel[1] : 1)];
            for (int i = 0; i < w.length; i++)
            {
                w[i] = random.nextDouble() < 0.1 ? 0f : (float)random.nextGaussian();
            }
            return new Shape(dims, inC, outC, groups, in, kernel, stride, pad, dil, w, same);
        }

        ConvKernel toKernel()
        {
            final ConvKernel.Builder b = ConvKernel.conv(inC, in, outC, kernel, w).stride(stride).dilation(dil).groups(groups);
            return (same ? b.paddingSame() : b.padding(pad)).build();
        }

        /** out[co][o] = sum over ci in co's group, kernel offsets k of w[co][ci][k] * in[ci][o * stride - padBefore + k * dil]. */
        double[] dense(final double[] input)
        {
            final int inH = dims == 2 ? in[0] : 1;
            final int inW = in[dims - 1];
            final int kH = dims == 2 ? kernel[0] : 1;
            final int kW = kernel[dims - 1];
            final int sH = dims == 2 ? stride[0] : 1;
            final int sW = stride[dims - 1];
            final int dH = dims == 2 ? dil[0] : 1;
            final int dW = dil[dims - 1];
            // PyTorch 'same': total dilation * (kernel - 1), floor half before
            final int pH = dims == 2 ? (same ? dH * (kH - 1) / 2 : pad[0]) : 0;
            final int pW = same ? dW * (kW - 1) / 2 : pad[dims - 1];
            final int pHAfter = dims == 2 ? (same ? dH * (kH - 1) - pH : pH) : 0;
            final int pWAfter = same ? dW * (kW - 1) - pW : pW;
            final int outH = (inH + pH + pHAfter - dH * (kH - 1) - 1) / sH + 1;
            final int outW = (inW + pW + pWAfter - dW * (kW - 1) - 1) / sW + 1;
            final int inPerGroup = inC / groups;
            final double[] out = new double[outC * outH * outW];
            for (int co = 0; co < outC; co++)
            {
                final int g = co / (outC / groups);
                for (int oy = 0; oy < outH; oy++)
                {
                    for (int ox = 0; ox < outW; ox++)
                    {
                        double sum = 0.0;
                        for (int c = 0; c < inPerGroup; c++)
                        {
                            for (int ky = 0; ky < kH; ky++)
                            {
                                for (int kx = 0; kx < kW; kx++)
                                {
                                    final int y = oy * sH - pH + ky * dH;
                                    final int x = ox * sW - pW + kx * dW;
                                    if (y >= 0 && y < inH && x >= 0 && x < inW)
                                    {
                                        final float weight = w[((co * inPerGroup + c) * kH + ky) * kW + kx];
                                        final double a = input[((g * inPerGroup + c) * inH + y) * inW + x];
                                        if (a != 0.0 && weight != 0f)
                                        {
                                            sum += a * weight;
                                        }
                                    }
                                }
                            }
                        }
                        out[(co * outH + oy) * outW + ox] = sum;
                    }
                }
            }
            return out;
        }
    }
}
