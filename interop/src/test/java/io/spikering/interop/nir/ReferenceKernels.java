package io.spikering.interop.nir;

/**
 * The dense, obvious loops of the independent NIR reference: matrix-vector products, PyTorch-style cross-correlation
 * and pooling over channels-first C-order arrays. Written without the engine, in double precision.
 */
final class ReferenceKernels
{
    private ReferenceKernels()
    {
    }

    /** y[o] = sum_i w[o][i] x[i] for a C-order weight of shape [out, in]. */
    static double[] matVec(final double[] w, final int out, final int in, final double[] x)
    {
        final double[] y = new double[out];
        for (int o = 0; o < out; o++)
        {
            double s = 0.0;
            for (int i = 0; i < in; i++)
            {
                s += w[o * in + i] * x[i];
            }
            y[o] = s;
        }
        return y;
    }

    /** Output length of one convolution or pooling axis (PyTorch's formula). */
    static int outLength(final int in, final int kernel, final int stride, final int padding, final int dilation)
    {
        return (in + 2 * padding - dilation * (kernel - 1) - 1) / stride + 1;
    }

    /**
     * Conv2d: x [cin, h, w], weight [cout, cin / groups, kh, kw]; y[o, i, j] = sum_{c, a, b} weight[o, c, a, b] *
     * x[g * cin/groups + c, i*sh - ph + a*dh, j*sw - pw + b*dw] (zero outside), plus bias[o] if bias is not null.
     */
    static double[] conv2d(final double[] x, final int cin, final int h, final int w, final double[] weight, final int cout,
        final int kh, final int kw, final int sh, final int sw, final int ph, final int pw, final int dh, final int dw, final int groups,
        final double[] bias)
    {
        final int oh = outLength(h, kh, sh, ph, dh);
        final int ow = outLength(w, kw, sw, pw, dw);
        final int cinG = cin / groups;
        final int coutG = cout / groups;
        final double[] y = new double[cout * oh * ow];
        for (int o = 0; o < cout; o++)
        {
            final int g = o / coutG;
            for (int i = 0; i < oh; i++)
            {
                for (int j = 0; j < ow; j++)
                {
                    double s = bias == null ? 0.0 : bias[o];
                    for (int c = 0; c < cinG; c++)
                    {
                        final int ci = g * cinG + c;
                        for (int a = 0; a < kh; a++)
                        {
                            final int r = i * sh - ph + a * dh;
                            if (r < 0 || r >= h)
                            {
                                continue;
                            }
                            for (int b = 0; b < kw; b++)
                            {
                                final int q = j * sw - pw + b * dw;
                                if (q < 0 || q >= w)
                                {
                                    continue;
                                }
                                s += weight[((o * cinG + c) * kh + a) * kw + b] * x[(ci * h + r) * w + q];
                            }
                        }
                    }
                    y[(o * oh + i) * ow + j] = s;
                }
            }
        }
        return y;
    }

    /** Conv1d as a Conv2d of height 1. */
    static double[] conv1d(final double[] x, final int cin, final int l, final double[] weight, final int cout, final int k,
        final int stride, final int padding, final int dilation, final int groups, final double[] bias)
    {
        return conv2d(x, cin, 1, l, weight, cout, 1, k, 1, stride, 0, padding, 1, dilation, groups, bias);
    }

    /** Sum pooling per channel over [c, h, w] (zero padding); average divides by kh * kw (padding counted, as PyTorch). */
    static double[] pool2d(final double[] x, final int c, final int h, final int w, final int kh, final int kw, final int sh,
        final int sw, final int ph, final int pw, final boolean average)
    {
        final int oh = outLength(h, kh, sh, ph, 1);
        final int ow = outLength(w, kw, sw, pw, 1);
        final double[] y = new double[c * oh * ow];
        for (int ch = 0; ch < c; ch++)
        {
            for (int i = 0; i < oh; i++)
            {
                for (int j = 0; j < ow; j++)
                {
                    double s = 0.0;
                    for (int a = 0; a < kh; a++)
                    {
                        for (int b = 0; b < kw; b++)
                        {
                            final int r = i * sh - ph + a;
                            final int q = j * sw - pw + b;
                            if (r >= 0 && r < h && q >= 0 && q < w)
                            {
                                s += x[(ch * h + r) * w + q];
                            }
                        }
                    }
                    y[(ch * oh + i) * ow + j] = average ? s / (kh * kw) : s;
                }
            }
        }
        return y;
    }
}
