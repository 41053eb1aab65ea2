package io.spikering.interop.nir;

import java.util.Arrays;

/** Shape arithmetic as NIR's own code does it (nir/ir/utils.py), for convolution, pooling and flatten. */
public final class Shapes
{
    private Shapes()
    {
    }

    /** PyTorch's (and NIR's calculate_conv_output) output length: floor((n + 2p - d(k-1) - 1) / s) + 1. */
    public static int convOutput(final int n, final int kernel, final int stride, final int padding, final int dilation)
    {
        return Math.floorDiv(n + 2 * padding - dilation * (kernel - 1) - 1, stride) + 1;
    }

    /** NIR's calc_flatten_output: dimensions startDim..endDim (negative counts from the end) multiplied into one. */
    public static int[] flatten(final int[] in, final int startDim, final int endDim)
    {
        final int rank = in.length;
        final int start = startDim < 0 ? startDim + rank : startDim;
        final int end = endDim < 0 ? endDim + rank : endDim;
        if (start < 0 || end >= rank || start > end)
        {
            throw new IllegalArgumentException("start_dim " + startDim + " and end_dim " + endDim
                + " do not fit input shape " + Arrays.toString(in));
        }
        final int[] out = new int[rank - (end - start)];
        long middle = 1;
        for (int i = start; i <= end; i++)
        {
            middle *= in[i];
        }
        System.arraycopy(in, 0, out, 0, start);
        out[start] = Math.toIntExact(middle);
        System.arraycopy(in, end + 1, out, start + 1, rank - end - 1);
        return out;
    }

    /** The shape without its size-1 dimensions: [1, 1, 5] and [5] describe the same vector. */
    public static int[] squeeze(final int[] shape)
    {
        return Arrays.stream(shape).filter(d -> d != 1).toArray();
    }

    /** Whether two shapes describe the same data: equal once size-1 dimensions are dropped. */
    public static boolean compatible(final int[] a, final int[] b)
    {
        return Arrays.equals(squeeze(a), squeeze(b));
    }

    /** "[2, 34, 34]", or "unknown" for null. */
    public static String format(final int[] shape)
    {
        return shape == null ? "unknown" : Arrays.toString(shape);
    }

    /** The shape of the largest tensor; every other must have that shape or a single value. */
    static int[] common(final String what, final NirTensor... tensors)
    {
        NirTensor widest = null;
        for (final NirTensor t : tensors)
        {
            if (t != null && (widest == null || t.size() > widest.size()))
            {
                widest = t;
            }
        }
        final int[] shape = widest.shape();
        for (final NirTensor t : tensors)
        {
            if (t != null && t.size() != 1 && !Arrays.equals(t.shape(), shape))
            {
                throw new IllegalArgumentException(what + ": parameter shapes differ, " + Arrays.toString(t.shape())
                    + " and " + Arrays.toString(shape) + " (each must be the node's shape or a scalar)");
            }
        }
        return shape;
    }

    /** {@code values} of length 1 repeated to {@code dims}, or {@code values} itself when it has {@code dims}. */
    static int[] perDimension(final String name, final int[] values, final int dims)
    {
        if (values.length == dims)
        {
            return values.clone();
        }
        if (values.length == 1)
        {
            final int[] out = new int[dims];
            Arrays.fill(out, values[0]);
            return out;
        }
        throw new IllegalArgumentException(name + " has " + values.length + " values, expected 1 or " + dims);
    }
}
