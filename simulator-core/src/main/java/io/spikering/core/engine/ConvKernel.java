package io.spikering.core.engine;

import java.util.Arrays;

/**
 * An immutable Conv1d / Conv2d or 2-d sum / average pooling, in PyTorch's conventions: channels-first tensors
 * flattened row-major ((C, H, W) or (C, L)), cross-correlation (no kernel flip), weights
 * {@code [outChannels][inChannels / groups][kernel...]} flattened row-major, zero padding, output size per dimension
 * {@code floor((in + padBefore + padAfter - dilation * (kernel - 1) - 1) / stride) + 1}. Projection source units are
 * the flattened input, target units the flattened output ({@link Network.ProjectionBuilder#conv}). A bias (one value per
 * output channel) is not part of the kernel: give the target population {@link #expandBias(float[])} as its bias.
 *
 * <p>Pooling is a depthwise kernel (groups = channels) of ones (sum) or of 1 / (kH * kW) (average, PyTorch's default
 * {@code count_include_pad = true}: padded zeros count in the divisor; the weight is rounded to float, so an average
 * differs from a float32 division by at most a few ulps).
 */
public final class ConvKernel
{
    /** Most stencil entries (non-zero source-target weights) one projection may expand to: 2^25 (≈ 270 MB as rows). */
    public static final long MAX_STENCIL_ENTRIES = 1L << 25;

    /** What the kernel came from (for export and reports; delivery is the same for all). */
    public enum Kind
    {
        CONV,
        SUM_POOL,
        AVG_POOL
    }

    private final Kind kind;
    private final int dims;
    private final int inChannels;
    private final int outChannels;
    private final int groups;
    // spatial sizes as 2-d (a 1-d kernel has height 1): index 0 = height, 1 = width
    private final int[] in;
    private final int[] kernel;
    private final int[] stride;
    private final int[] padBefore;
    private final int[] padAfter;
    private final int[] dilation;
    private final int[] out;
    private final float[] weights;

    private ConvKernel(final Builder b, final int[] out)
    {
        kind = b.kind;
        dims = b.dims;
        inChannels = b.inChannels;
        outChannels = b.outChannels;
        groups = b.groups;
        in = b.in;
        kernel = b.kernel;
        stride = b.stride;
        padBefore = b.padBefore;
        padAfter = b.padAfter;
        dilation = b.dilation;
        this.out = out;
        weights = b.weights;
    }

    /**
     * A convolution: {@code inputShape} and {@code kernelShape} have 1 (Conv1d: length) or 2 (Conv2d: height, width)
     * entries; {@code weights} (copied) has outChannels * (inChannels / groups) * (kernel elements) entries in PyTorch
     * layout. Stride, dilation 1, padding 0 and groups 1 unless set on the builder.
     */
    public static Builder conv(
        final int inChannels, final int[] inputShape, final int outChannels, final int[] kernelShape, final float[] weights)
    {
        return new Builder(Kind.CONV, inChannels, inputShape, outChannels, kernelShape, weights);
    }

    /** 2-d sum pooling of {@code channels} channels (kernel, stride, padding: {height, width} each). */
    public static ConvKernel sumPool2d(
        final int channels, final int inH, final int inW, final int[] kernel, final int[] stride, final int[] padding)
    {
        return pool(Kind.SUM_POOL, channels, inH, inW, kernel, stride, padding);
    }

    /** 2-d average pooling, divisor kH * kW everywhere (PyTorch's {@code count_include_pad = true}). */
    public static ConvKernel avgPool2d(
        final int channels, final int inH, final int inW, final int[] kernel, final int[] stride, final int[] padding)
    {
        return pool(Kind.AVG_POOL, channels, inH, inW, kernel, stride, padding);
    }

    private static ConvKernel pool(
        final Kind kind, final int channels, final int inH, final int inW, final int[] kernel, final int[] stride,
        final int[] padding)
    {
        if (kernel == null || kernel.length != 2 || kernel[0] <= 0 || kernel[1] <= 0 || (long)kernel[0] * kernel[1] > 1 << 20)
        {
            throw new IllegalArgumentException(kind + ": kernel must be {height, width} with entries in [1, 1048576], got " +
                Arrays.toString(kernel));
        }
        if (channels <= 0)
        {
            throw new IllegalArgumentException(kind + ": channels must be > 0, got " + channels);
        }
        final int elements = kernel[0] * kernel[1];
        if ((long)channels * elements > Integer.MAX_VALUE)
        {
            throw new IllegalArgumentException(kind + ": channels x kernel elements is too large");
        }
        final float[] w = new float[channels * elements];
        Arrays.fill(w, kind == Kind.SUM_POOL ? 1.0f : (float)(1.0 / elements));
        final Builder b = new Builder(kind, channels, new int[] {inH, inW}, channels, kernel, w);
        return b.groups(channels).stride(stride).padding(padding).build();
    }

    public Kind kind()
    {
        return kind;
    }

    /** Spatial dimensions: 1 (Conv1d) or 2. */
    public int dims()
    {
        return dims;
    }

    public int inChannels()
    {
        return inChannels;
    }

    public int outChannels()
    {
        return outChannels;
    }

    public int groups()
    {
        return groups;
    }

    /** Input spatial shape (1 or 2 entries). */
    public int[] inputShape()
    {
        return spatial(in);
    }

    /** Output spatial shape (1 or 2 entries). */
    public int[] outputShape()
    {
        return spatial(out);
    }

    public int[] kernelShape()
    {
        return spatial(kernel);
    }

    public int[] stride()
    {
        return spatial(stride);
    }

    public int[] dilation()
    {
        return spatial(dilation);
    }

    /** Zero padding before (top, left) each spatial dimension. */
    public int[] paddingBefore()
    {
        return spatial(padBefore);
    }

    /** Zero padding after (bottom, right) each spatial dimension; differs from before only for PyTorch's "same". */
    public int[] paddingAfter()
    {
        return spatial(padAfter);
    }

    /** The weights, PyTorch layout (copy). */
    public float[] weights()
    {
        return weights.clone();
    }

    /** Weight of output channel {@code co}, input channel {@code ciInGroup} of its group, kernel row/column (1-d: ky = 0). */
    public float weight(final int co, final int ciInGroup, final int ky, final int kx)
    {
        return weights[((co * (inChannels / groups) + ciInGroup) * kernel[0] + ky) * kernel[1] + kx];
    }

    /** Kernel elements per (output, input) channel pair. */
    public int kernelElements()
    {
        return kernel[0] * kernel[1];
    }

    /** Source units: inChannels x input spatial size. */
    public int inputSize()
    {
        return inChannels * in[0] * in[1];
    }

    /** Target units: outChannels x output spatial size. */
    public int outputSize()
    {
        return outChannels * out[0] * out[1];
    }

    /** Spatial size of one output channel. */
    public int outputSpatialSize()
    {
        return out[0] * out[1];
    }

    /**
     * Multiply-accumulates of a dense implementation per step: outChannels x output positions x (inChannels / groups) x
     * kernel elements (pooling: output elements x kernel elements), padded positions included.
     */
    public long denseMacsPerStep()
    {
        return (long)outChannels * out[0] * out[1] * (inChannels / groups) * kernel[0] * kernel[1];
    }

    /** A per-output-channel bias broadcast over the output positions: the target population's bias. */
    public float[] expandBias(final float[] perChannel)
    {
        if (perChannel == null || perChannel.length != outChannels)
        {
            throw new IllegalArgumentException(kind + " bias: expected " + outChannels + " values (one per output channel), got " +
                (perChannel == null ? "null" : perChannel.length));
        }
        final int positions = outputSpatialSize();
        final float[] bias = new float[outputSize()];
        for (int c = 0; c < outChannels; c++)
        {
            Arrays.fill(bias, c * positions, (c + 1) * positions, perChannel[c]);
        }
        return bias;
    }

    /**
     * Non-zero (source, target) weights the stencil expands to, counted without expanding: each non-zero weight
     * (co, ci, ky, kx) connects once per output position whose tap (ky, kx) lands inside the input.
     */
    public long stencilEntries()
    {
        final long[] rows = inside(0);
        final long[] columns = inside(1);
        final int inPerGroup = inChannels / groups;
        long entries = 0;
        for (int co = 0; co < outChannels; co++)
        {
            for (int c = 0; c < inPerGroup; c++)
            {
                for (int ky = 0; ky < kernel[0]; ky++)
                {
                    for (int kx = 0; kx < kernel[1]; kx++)
                    {
                        entries += weight(co, c, ky, kx) != 0.0f ? rows[ky] * columns[kx] : 0;
                    }
                }
            }
        }
        return entries;
    }

    /** Per kernel offset along dimension d: how many output positions read an input (not padding) through it. */
    private long[] inside(final int d)
    {
        final long[] count = new long[kernel[d]];
        for (int k = 0; k < kernel[d]; k++)
        {
            for (int o = 0; o < out[d]; o++)
            {
                final long i = (long)o * stride[d] - padBefore[d] + (long)k * dilation[d];
                count[k] += i >= 0 && i < in[d] ? 1 : 0;
            }
        }
        return count;
    }

    /**
     * The stencil as sparse rows: for source unit i, {@code targets[i]} and {@code weights[i]} (zero weights left out).
     * Callers check {@link #stencilEntries()} against a limit first.
     */
    void expand(final int[][] targets, final float[][] rowWeights)
    {
        final int inPerGroup = inChannels / groups;
        for (int ci = 0; ci < inChannels; ci++)
        {
            for (int y = 0; y < in[0]; y++)
            {
                for (int x = 0; x < in[1]; x++)
                {
                    final int n = row(ci, y, x, null, null, inPerGroup);
                    final int[] t = new int[n];
                    final float[] w = new float[n];
                    row(ci, y, x, t, w, inPerGroup);
                    final int i = (ci * in[0] + y) * in[1] + x;
                    targets[i] = t;
                    rowWeights[i] = w;
                }
            }
        }
    }

    /**
     * The outputs input (ci, y, x) contributes to: output (co, oy, ox) reads input (oy * s - padBefore + ky * dilation)
     * per dimension, so oy = (y + padBefore - ky * dilation) / s when that divides and lies in range. Fills t and w if
     * non-null; returns the number of non-zero entries.
     */
    private int row(final int ci, final int y, final int x, final int[] t, final float[] w, final int inPerGroup)
    {
        final int g = ci / inPerGroup;
        final int outPerGroup = outChannels / groups;
        int n = 0;
        for (int co = g * outPerGroup; co < (g + 1) * outPerGroup; co++)
        {
            for (int ky = 0; ky < kernel[0]; ky++)
            {
                final int ny = y + padBefore[0] - ky * dilation[0];
                if (ny < 0 || ny % stride[0] != 0 || ny / stride[0] >= out[0])
                {
                    continue;
                }
                for (int kx = 0; kx < kernel[1]; kx++)
                {
                    final int nx = x + padBefore[1] - kx * dilation[1];
                    if (nx < 0 || nx % stride[1] != 0 || nx / stride[1] >= out[1])
                    {
                        continue;
                    }
                    final float value = weight(co, ci - g * inPerGroup, ky, kx);
                    if (value != 0.0f)
                    {
                        if (t != null)
                        {
                            t[n] = (co * out[0] + ny / stride[0]) * out[1] + nx / stride[1];
                            w[n] = value;
                        }
                        n++;
                    }
                }
            }
        }
        return n;
    }

    private int[] spatial(final int[] twoD)
    {
        return dims == 1 ? new int[] {twoD[1]} : twoD.clone();
    }

    @Override
    public String toString()
    {
        return kind + (kind == Kind.CONV ? dims + "d" : "") + " " + inChannels + "x" + Arrays.toString(inputShape()) + " -> " +
            outChannels + "x" + Arrays.toString(outputShape()) + ", kernel " + Arrays.toString(kernelShape()) + ", stride " +
            Arrays.toString(stride()) + ", padding " + Arrays.toString(paddingBefore()) +
            (Arrays.equals(padBefore, padAfter) ? "" : "/" + Arrays.toString(paddingAfter())) + ", dilation " +
            Arrays.toString(dilation()) + ", groups " + groups;
    }

    /** Options of a convolution; every value is checked, and {@link #build()} checks the shapes fit together. */
    public static final class Builder
    {
        private final Kind kind;
        private final int dims;
        private final int inChannels;
        private final int outChannels;
        private final int[] in;
        private final int[] kernel;
        private final float[] weights;
        private int groups = 1;
        private int[] stride = {1, 1};
        private int[] padBefore = {0, 0};
        private int[] padAfter = {0, 0};
        private int[] dilation = {1, 1};
        private boolean same;

        private Builder(
            final Kind kind, final int inChannels, final int[] inputShape, final int outChannels, final int[] kernelShape,
            final float[] weights)
        {
            this.kind = kind;
            if (inputShape == null || (inputShape.length != 1 && inputShape.length != 2))
            {
                throw new IllegalArgumentException(kind + ": input shape must have 1 or 2 spatial dimensions, got " +
                    Arrays.toString(inputShape));
            }
            dims = inputShape.length;
            if (kernelShape == null || kernelShape.length != dims)
            {
                throw new IllegalArgumentException(kind + ": kernel shape " + Arrays.toString(kernelShape) + " must have " +
                    dims + " entries like the input shape " + Arrays.toString(inputShape));
            }
            if (inChannels <= 0 || outChannels <= 0)
            {
                throw new IllegalArgumentException(kind + ": channels must be > 0, got in " + inChannels + ", out " + outChannels);
            }
            in = twoD(inputShape, 1, "input shape", 1);
            kernel = twoD(kernelShape, 1, "kernel shape", 1);
            final long spatialIn = (long)in[0] * in[1];
            if (spatialIn * inChannels > Integer.MAX_VALUE / 2)
            {
                throw new IllegalArgumentException(kind + ": input of " + inChannels + " x " + Arrays.toString(inputShape) +
                    " is too large");
            }
            if ((long)kernel[0] * kernel[1] > 1 << 20)
            {
                throw new IllegalArgumentException(kind + ": kernel " + Arrays.toString(kernelShape) + " is too large");
            }
            this.inChannels = inChannels;
            this.outChannels = outChannels;
            if (weights == null)
            {
                throw new IllegalArgumentException(kind + ": weights must not be null");
            }
            this.weights = weights.clone();
            for (int k = 0; k < this.weights.length; k++)
            {
                if (!Float.isFinite(this.weights[k]))
                {
                    throw new IllegalArgumentException(kind + ": weight[" + k + "] is " + this.weights[k] + "; must be finite");
                }
            }
        }

        /** Stride per spatial dimension (one value: all dimensions), each &gt;= 1; default 1. */
        public Builder stride(final int... values)
        {
            stride = twoD(values, 1, "stride", 1);
            return this;
        }

        /** Symmetric zero padding per spatial dimension (one value: all dimensions), each &gt;= 0; default 0. */
        public Builder padding(final int... values)
        {
            padBefore = twoD(values, 0, "padding", 0);
            padAfter = padBefore.clone();
            same = false;
            return this;
        }

        /**
         * PyTorch's {@code padding = "same"}: total padding dilation * (kernel - 1) per dimension, the smaller half
         * before (so asymmetric for even kernels); the output has the input's shape. Requires stride 1.
         */
        public Builder paddingSame()
        {
            same = true;
            return this;
        }

        /** Dilation per spatial dimension (one value: all dimensions), each &gt;= 1; default 1. */
        public Builder dilation(final int... values)
        {
            dilation = twoD(values, 1, "dilation", 1);
            return this;
        }

        /** Groups: inChannels and outChannels must both be multiples; default 1. */
        public Builder groups(final int value)
        {
            if (value <= 0)
            {
                throw new IllegalArgumentException(kind + ": groups must be > 0, got " + value);
            }
            groups = value;
            return this;
        }

        public ConvKernel build()
        {
            if (inChannels % groups != 0 || outChannels % groups != 0)
            {
                throw new IllegalArgumentException(kind + ": groups " + groups + " must divide in channels " + inChannels +
                    " and out channels " + outChannels);
            }
            final long expected = (long)outChannels * (inChannels / groups) * kernel[0] * kernel[1];
            if (weights.length != expected)
            {
                throw new IllegalArgumentException(kind + ": weights have " + weights.length + " entries, expected " + expected +
                    " = out channels " + outChannels + " x in channels per group " + (inChannels / groups) + " x kernel " +
                    spatial(kernel));
            }
            if (same)
            {
                if (stride[0] != 1 || stride[1] != 1)
                {
                    throw new IllegalArgumentException(kind + ": padding 'same' needs stride 1 (as in PyTorch), got " +
                        spatial(stride));
                }
                for (int d = 0; d < 2; d++)
                {
                    final int total = dilation[d] * (kernel[d] - 1);
                    padBefore[d] = total / 2;
                    padAfter[d] = total - total / 2;
                }
            }
            final int[] out = new int[2];
            for (int d = 0; d < 2; d++)
            {
                final long span = (long)in[d] + padBefore[d] + padAfter[d] - (long)dilation[d] * (kernel[d] - 1) - 1;
                if (span < 0)
                {
                    throw new IllegalArgumentException(kind + ": the dilated kernel " + spatial(kernel) + " (dilation " +
                        spatial(dilation) + ") is larger than the padded input " + spatial(in) + " (padding " +
                        spatial(padBefore) + ")");
                }
                out[d] = (int)(span / stride[d] + 1);
            }
            if ((long)outChannels * out[0] * out[1] > Integer.MAX_VALUE / 2)
            {
                throw new IllegalArgumentException(kind + ": output of " + outChannels + " x " + spatial(out) + " is too large");
            }
            return new ConvKernel(this, out);
        }

        private String spatial(final int[] twoD)
        {
            return Arrays.toString(dims == 1 ? new int[] {twoD[1]} : twoD);
        }

        /** Values for the spatial dimensions as {height, width}; a 1-d kernel gets height {@code fill}. */
        private int[] twoD(final int[] values, final int min, final String what, final int fill)
        {
            if (values == null || (values.length != dims && values.length != 1))
            {
                throw new IllegalArgumentException(kind + ": " + what + " must have 1 or " + dims + " entries, got " +
                    Arrays.toString(values));
            }
            for (final int v : values)
            {
                if (v < min || v > 1 << 24)
                {
                    throw new IllegalArgumentException(kind + ": " + what + " " + Arrays.toString(values) + " must be in [" + min +
                        ", 16777216]");
                }
            }
            final int last = values[values.length - 1];
            return dims == 1 ? new int[] {fill, last} : new int[] {values[0], last};
        }
    }
}
