package io.spikering.interop.numpy;

import java.util.Arrays;

/**
 * A numeric array read from a .npy file or a .npz member: its shape (C order), NumPy dtype ("<f4", "|u1", "|b1") and
 * values, converted on request to double or float (booleans are 0/1, unsigned integers keep their value).
 */
public final class NumpyArray
{
    private final String source;
    private final int[] shape;
    private final String dtype;
    private final Object data;

    NumpyArray(final String source, final int[] shape, final String dtype, final Object data)
    {
        this.source = source;
        this.shape = shape.clone();
        this.dtype = dtype;
        this.data = data;
    }

    /** "file.npy" or "file.npz:name", as messages name it. */
    public String source()
    {
        return source;
    }

    public int[] shape()
    {
        return shape.clone();
    }

    public int rank()
    {
        return shape.length;
    }

    public int dim(final int axis)
    {
        return shape[axis];
    }

    /** NumPy's descr, e.g. "<f4", "<i8", "|u1", "|b1". */
    public String dtype()
    {
        return dtype;
    }

    public int size()
    {
        return java.lang.reflect.Array.getLength(data);
    }

    /** Whether the values are integers or booleans (spike counts, labels) rather than floats. */
    public boolean isIntegral()
    {
        return !(data instanceof float[] || data instanceof double[]);
    }

    /** The values in C order as doubles (a new array). */
    public double[] toDoubleArray()
    {
        final int n = size();
        final double[] out = new double[n];
        if (data instanceof double[] d)
        {
            System.arraycopy(d, 0, out, 0, n);
        }
        else if (data instanceof float[] f)
        {
            for (int i = 0; i < n; i++)
            {
                out[i] = f[i];
            }
        }
        else
        {
            for (int i = 0; i < n; i++)
            {
                out[i] = integerAt(i);
            }
        }
        return out;
    }

    /** The values in C order as floats (a new array; float64 values are rounded). */
    public float[] toFloatArray()
    {
        final int n = size();
        final float[] out = new float[n];
        if (data instanceof float[] f)
        {
            System.arraycopy(f, 0, out, 0, n);
        }
        else if (data instanceof double[] d)
        {
            for (int i = 0; i < n; i++)
            {
                out[i] = (float)d[i];
            }
        }
        else
        {
            for (int i = 0; i < n; i++)
            {
                out[i] = integerAt(i);
            }
        }
        return out;
    }

    /** Integer values (labels) as int; refuses floats and values outside the int range. */
    public int[] toIntArray() throws NumpyFormatException
    {
        if (!isIntegral())
        {
            throw new NumpyFormatException(source + ": dtype " + dtype + " holds floats; integer values were expected"
                + " (save with .astype(np.int64))");
        }
        final int n = size();
        final int[] out = new int[n];
        for (int i = 0; i < n; i++)
        {
            final long v = integerAt(i);
            if (v != (int)v)
            {
                throw new NumpyFormatException(source + ": element " + i + " is " + v + ", outside the int range");
            }
            out[i] = (int)v;
        }
        return out;
    }

    private long integerAt(final int i)
    {
        final boolean unsigned = dtype.charAt(1) == 'u';
        if (data instanceof boolean[] b)
        {
            return b[i] ? 1 : 0;
        }
        if (data instanceof byte[] b)
        {
            return unsigned ? b[i] & 0xFFL : b[i];
        }
        if (data instanceof short[] s)
        {
            return unsigned ? s[i] & 0xFFFFL : s[i];
        }
        if (data instanceof int[] v)
        {
            return unsigned ? v[i] & 0xFFFF_FFFFL : v[i];
        }
        return ((long[])data)[i]; // uint64 above 2^63 is refused when read
    }

    /**
     * Refuses another shape: {@code expected} has one entry per dimension, -1 for any size; {@code names} describes
     * them for the message, e.g. "[samples, steps, 12]".
     */
    public NumpyArray requireShape(final String names, final int... expected) throws NumpyFormatException
    {
        boolean ok = expected.length == shape.length;
        for (int i = 0; ok && i < expected.length; i++)
        {
            ok = expected[i] < 0 || expected[i] == shape[i];
        }
        if (!ok)
        {
            throw new NumpyFormatException(source + ": shape " + Arrays.toString(shape) + " (dtype " + dtype + "), expected "
                + names);
        }
        return this;
    }

    @Override
    public String toString()
    {
        return source + " " + dtype + Arrays.toString(shape);
    }
}
