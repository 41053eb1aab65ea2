package io.spikering.interop.nir;

import java.util.Arrays;

/**
 * An immutable numeric array of a NIR parameter: a shape and its values in C (row-major) order, held as doubles
 * whatever the file's type (float32, float64 or integers), so a float32 file's values are exact.
 */
public final class NirTensor
{
    /** The most elements one tensor or one node may declare (2^27, 1 GiB of doubles); checked before allocating. */
    public static final long MAX_ELEMENTS = 1L << 27;

    private final int[] shape;
    private final double[] data;

    /** Copies {@code shape} and {@code data}; their sizes must agree. */
    public NirTensor(final int[] shape, final double[] data)
    {
        final long size = checkedSize(shape);
        if (size != data.length)
        {
            throw new IllegalArgumentException("shape " + Arrays.toString(shape) + " holds " + size + " values, got " + data.length);
        }
        this.shape = shape.clone();
        this.data = data.clone();
    }

    /** A tensor of shape [] (one value). */
    public static NirTensor scalar(final double value)
    {
        return new NirTensor(new int[0], new double[] {value});
    }

    /** A one-dimensional tensor holding {@code values}. */
    public static NirTensor vector(final double... values)
    {
        return new NirTensor(new int[] {values.length}, values);
    }

    /** A tensor of the given shape with every value {@code value}. */
    public static NirTensor filled(final int[] shape, final double value)
    {
        final double[] data = new double[(int)checkedSize(shape)];
        Arrays.fill(data, value);
        return new NirTensor(shape, data);
    }

    /** The number of values of {@code shape}; refuses negative dimensions and more than {@link #MAX_ELEMENTS}. */
    public static long checkedSize(final int[] shape)
    {
        long size = 1;
        for (final int d : shape)
        {
            if (d < 0)
            {
                throw new IllegalArgumentException("negative dimension in shape " + Arrays.toString(shape));
            }
            size *= d;
            if (size > MAX_ELEMENTS)
            {
                throw new IllegalArgumentException("shape " + Arrays.toString(shape) + " declares more than "
                    + MAX_ELEMENTS + " elements");
            }
        }
        return size;
    }

    /** The product of {@code shape}'s dimensions (no limit check). */
    public static long sizeOf(final int[] shape)
    {
        long size = 1;
        for (final int d : shape)
        {
            size *= d;
        }
        return size;
    }

    public int[] shape()
    {
        return shape.clone();
    }

    public int rank()
    {
        return shape.length;
    }

    /** Dimension {@code axis}. */
    public int dim(final int axis)
    {
        return shape[axis];
    }

    public int size()
    {
        return data.length;
    }

    /** Value {@code i} in C order. */
    public double get(final int i)
    {
        return data[i];
    }

    /** The one value of a tensor of size 1 (any rank). */
    public double scalar()
    {
        if (data.length != 1)
        {
            throw new IllegalStateException("not a single value: shape " + Arrays.toString(shape));
        }
        return data[0];
    }

    /** A copy of the values in C order. */
    public double[] toArray()
    {
        return data.clone();
    }

    /** The values as float (for engines that compute in float). */
    public float[] toFloatArray()
    {
        final float[] out = new float[data.length];
        for (int i = 0; i < out.length; i++)
        {
            out[i] = (float)data[i];
        }
        return out;
    }

    /** True when every value is the same (a scalar in disguise). */
    public boolean isUniform()
    {
        for (final double v : data)
        {
            if (Double.compare(v, data[0]) != 0)
            {
                return false;
            }
        }
        return true;
    }

    /** This tensor if it already has {@code target} shape; a size-1 tensor repeated to {@code target}; else an error. */
    public NirTensor broadcastTo(final int[] target)
    {
        if (Arrays.equals(shape, target))
        {
            return this;
        }
        if (data.length != 1)
        {
            throw new IllegalArgumentException("cannot broadcast shape " + Arrays.toString(shape) + " to " + Arrays.toString(target));
        }
        return filled(target, data[0]);
    }

    /** The index of the first NaN or infinite value, or -1. */
    public int firstNonFinite()
    {
        for (int i = 0; i < data.length; i++)
        {
            if (!Double.isFinite(data[i]))
            {
                return i;
            }
        }
        return -1;
    }

    @Override
    public boolean equals(final Object o)
    {
        return o instanceof NirTensor t && Arrays.equals(shape, t.shape) && Arrays.equals(data, t.data);
    }

    @Override
    public int hashCode()
    {
        return 31 * Arrays.hashCode(shape) + Arrays.hashCode(data);
    }

    @Override
    public String toString()
    {
        if (data.length <= 6)
        {
            return "tensor" + Arrays.toString(shape) + Arrays.toString(data);
        }
        return "tensor" + Arrays.toString(shape) + "[" + data[0] + ", " + data[1] + ", ... " + data[data.length - 1] + "]";
    }
}
