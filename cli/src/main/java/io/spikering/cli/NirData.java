package io.spikering.cli;

import io.spikering.interop.nir.NirEvaluation;
import io.spikering.interop.nir.NirNetwork;
import org.jetbrains.bio.npy.NpyArray;
import org.jetbrains.bio.npy.NpyFile;
import org.jetbrains.bio.npy.NpzEntry;
import org.jetbrains.bio.npy.NpzFile;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Input sequences for a NIR run from NumPy files (read with org.jetbrains.bio:npy): an array [samples, steps,
 * features...] of floats, integers or booleans in a .npy file or a .npz archive (its only array, or the one named
 * "x"), and optional integer labels [samples].
 */
final class NirData implements NirEvaluation.Samples
{
    /** Largest input file accepted (it is read into memory as float32). */
    static final long MAX_BYTES = 1L << 31;

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

    static NirData load(final Path input, final Path labelFile) throws IOException
    {
        final NpyArray x = read(input, "--input");
        final int[] shape = x.getShape();
        if (shape.length < 3)
        {
            throw new IllegalArgumentException("--input " + input + ": array of shape " + Arrays.toString(shape) + " has rank " + shape.length +
                "; expected [samples, steps, features...] (rank >= 3; add a trailing axis of 1 for one feature)");
        }
        for (final int d : shape)
        {
            if (d <= 0)
            {
                throw new IllegalArgumentException("--input " + input + ": array of shape " + Arrays.toString(shape) + " is empty");
            }
        }
        final float[] v = floats(x, input);
        int[] labels = null;
        if (labelFile != null)
        {
            final NpyArray y = read(labelFile, "--labels");
            final Object d = y.getData();
            if (y.getShape().length != 1 || !(d instanceof int[] || d instanceof long[] || d instanceof short[] || d instanceof byte[]))
            {
                throw new IllegalArgumentException("--labels " + labelFile + ": expected a rank-1 integer array [samples], got " +
                    d.getClass().getSimpleName() + " of shape " + Arrays.toString(y.getShape()));
            }
            if (y.getShape()[0] != shape[0])
            {
                throw new IllegalArgumentException("--labels " + labelFile + " has " + y.getShape()[0] + " labels but --input " + input + " has " +
                    shape[0] + " samples");
            }
            labels = new int[shape[0]];
            for (int i = 0; i < labels.length; i++)
            {
                final long value = ((Number)java.lang.reflect.Array.get(d, i)).longValue();
                if (value < 0 || value > Integer.MAX_VALUE)
                {
                    throw new IllegalArgumentException("--labels " + labelFile + ": label " + i + " is " + value + "; labels are class indices >= 0");
                }
                labels[i] = (int)value;
            }
        }
        return new NirData(input.toString(), shape, v, labels);
    }

    private static NpyArray read(final Path file, final String option) throws IOException
    {
        if (!Files.isRegularFile(file))
        {
            throw new IllegalArgumentException(option + " " + file + ": no such file");
        }
        if (Files.size(file) > MAX_BYTES)
        {
            throw new IllegalArgumentException(option + " " + file + " has " + Files.size(file) + " bytes; at most " + MAX_BYTES +
                " are read (split the samples into several files)");
        }
        final String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        try
        {
            if (name.endsWith(".npz"))
            {
                try (NpzFile.Reader r = NpzFile.read(file))
                {
                    final List<NpzEntry> entries = r.introspect();
                    String pick = entries.size() == 1 ? entries.get(0).getName() : null;
                    for (final NpzEntry e : entries)
                    {
                        if (e.getName().equals("x") || e.getName().equals("x.npy"))
                        {
                            pick = e.getName();
                        }
                    }
                    if (pick == null)
                    {
                        throw new IllegalArgumentException(option + " " + file + " holds " + entries.size() + " arrays " +
                            entries.stream().map(NpzEntry::getName).toList() + "; name the input 'x' or save one array");
                    }
                    return r.get(pick, 1 << 20);
                }
            }
            return NpyFile.read(file, 1 << 20);
        }
        catch (final IllegalArgumentException | IllegalStateException | UnsupportedOperationException e)
        {
            throw new IllegalArgumentException(option + " " + file + " is not a readable NumPy file: " + e.getMessage(), e);
        }
    }

    private static float[] floats(final NpyArray x, final Path file)
    {
        final Object d = x.getData();
        if (d instanceof float[] f)
        {
            return f;
        }
        if (d instanceof double[] a)
        {
            final float[] f = new float[a.length];
            for (int i = 0; i < a.length; i++)
            {
                f[i] = (float)a[i];
            }
            return f;
        }
        final int n = java.lang.reflect.Array.getLength(d);
        final float[] f = new float[n];
        if (d instanceof boolean[] b)
        {
            for (int i = 0; i < n; i++)
            {
                f[i] = b[i] ? 1f : 0f;
            }
            return f;
        }
        if (d instanceof int[] || d instanceof long[] || d instanceof short[] || d instanceof byte[])
        {
            for (int i = 0; i < n; i++)
            {
                f[i] = ((Number)java.lang.reflect.Array.get(d, i)).floatValue();
            }
            return f;
        }
        throw new IllegalArgumentException("--input " + file + " has dtype " + d.getClass().getSimpleName() +
            "; expected floats, integers (spike counts) or booleans");
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
