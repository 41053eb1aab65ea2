package io.spikering.cli;

import io.spikering.interop.nir.NirEvaluation;
import io.spikering.interop.nir.NirNetwork;
import io.spikering.interop.numpy.NumpyArray;
import io.spikering.interop.numpy.NumpyFormatException;
import io.spikering.interop.numpy.NumpyReader;

import java.nio.file.Path;
import java.util.Arrays;

/**
 * Input sequences for a NIR run from NumPy files ({@link NumpyReader}): an array [samples, steps, features...] of
 * floats, integers or booleans in a .npy file or a .npz archive (its only array, or the one named "x"), and optional
 * integer labels [samples].
 */
final class NirData implements NirEvaluation.Samples
{
    private final String source;
    private final int[] shape;
    private final float[] values;
    private final int[] labels;
    private final int features;

    private NirData(final String source, final int[] shape, final float[] values, final int[] labels)
    {
        this.source = source;
        this.shape = shape;
        this.values = values;
        this.labels = labels;
        int f = 1;
        for (int d = 2; d < shape.length; d++)
        {
            f *= shape[d];
        }
        features = f;
    }

    static NirData load(final Path input, final Path labelFile)
    {
        try
        {
            final NumpyArray x = NumpyReader.isNpz(input) && NumpyReader.names(input).contains("x") ? NumpyReader.read(input, "x") :
                NumpyReader.read(input);
            final int[] shape = x.shape();
            if (shape.length < 3)
            {
                throw new IllegalArgumentException("--input " + x.source() + ": array of shape " + Arrays.toString(shape) + " has rank " +
                    shape.length + "; expected [samples, steps, features...] (rank >= 3; add a trailing axis of 1 for one feature)");
            }
            for (final int d : shape)
            {
                if (d <= 0)
                {
                    throw new IllegalArgumentException("--input " + x.source() + ": array of shape " + Arrays.toString(shape) + " is empty");
                }
            }
            int[] labels = null;
            if (labelFile != null)
            {
                labels = NumpyReader.readLabels(labelFile);
                if (labels.length != shape[0])
                {
                    throw new IllegalArgumentException("--labels " + labelFile + " has " + labels.length + " labels but --input " + x.source() +
                        " has " + shape[0] + " samples");
                }
                for (int i = 0; i < labels.length; i++)
                {
                    if (labels[i] < 0)
                    {
                        throw new IllegalArgumentException("--labels " + labelFile + ": label " + i + " is " + labels[i] +
                            "; labels are class indices >= 0");
                    }
                }
            }
            return new NirData(x.source(), shape, x.toFloatArray(), labels);
        }
        catch (final NumpyFormatException e)
        {
            throw new IllegalArgumentException((labelFile != null && e.getMessage().startsWith(labelFile.toString()) ? "--labels " : "--input ") +
                e.getMessage(), e);
        }
    }

    /** Refuses data whose per-step values do not match the graph's Input node. */
    void requireMatches(final NirNetwork net)
    {
        final int[] in = net.inputShape();
        final int[] trailing = Arrays.copyOfRange(shape, 2, shape.length);
        if (features != net.inputSize() || (trailing.length == in.length && !Arrays.equals(trailing, in) && trailing.length > 1))
        {
            throw new IllegalArgumentException("--input " + source + ": per-step shape " + Arrays.toString(trailing) + " (" + features +
                " values) does not match the Input of " + net.source() + ", shape " + Arrays.toString(in) + " (" + net.inputSize() + " values)");
        }
    }

    String source()
    {
        return source;
    }

    public int size()
    {
        return shape[0];
    }

    public int steps()
    {
        return shape[1];
    }

    public int features()
    {
        return features;
    }

    public void copy(final int sample, final float[] dst)
    {
        System.arraycopy(values, sample * steps() * features, dst, 0, steps() * features);
    }

    public int label(final int sample)
    {
        return labels == null ? -1 : labels[sample];
    }
}
