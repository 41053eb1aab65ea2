package io.spikering.core.model;

import java.util.Arrays;

/**
 * A named, row-major tensor of a model file. The data array is held as given (not copied): treat the
 * arrays returned by {@link #floats()} etc. as read-only.
 */
public final class Tensor
{
    private final String name;
    private final DType dtype;
    private final int[] shape;
    private final Object data;
    private final int elementCount;

    private Tensor(final String name, final DType dtype, final int[] shape, final Object data, final int length)
    {
        if (name == null || name.isEmpty())
        {
            throw new IllegalArgumentException("tensor name must be non-empty");
        }
        if ("__metadata__".equals(name))
        {
            throw new IllegalArgumentException("tensor name __metadata__ is reserved by the safetensors format");
        }
        this.name = name;
        this.dtype = dtype;
        this.shape = shape.clone();
        this.elementCount = checkedCount(name, shape);
        if (length != elementCount)
        {
            throw new IllegalArgumentException("tensor '" + name + "' has shape " + Arrays.toString(shape) + " (" +
                elementCount + " elements) but " + length + " values");
        }
        this.data = data;
    }

    static int checkedCount(final String name, final int[] shape)
    {
        long n = 1;
        for (final int d : shape)
        {
            if (d < 0)
            {
                throw new IllegalArgumentException("tensor '" + name + "' has a negative dimension in shape " +
                    Arrays.toString(shape));
            }
            n *= d;
            if (n > Integer.MAX_VALUE - 8)
            {
                throw new IllegalArgumentException("tensor '" + name + "' with shape " + Arrays.toString(shape) +
                    " is too large (more than 2^31 elements)");
            }
        }
        return (int)n;
    }

    public static Tensor f32(final String name, final int[] shape, final float[] data)
    {
        return new Tensor(name, DType.F32, shape, data, data.length);
    }

    public static Tensor f64(final String name, final int[] shape, final double[] data)
    {
        return new Tensor(name, DType.F64, shape, data, data.length);
    }

    public static Tensor i32(final String name, final int[] shape, final int[] data)
    {
        return new Tensor(name, DType.I32, shape, data, data.length);
    }

    public static Tensor i64(final String name, final int[] shape, final long[] data)
    {
        return new Tensor(name, DType.I64, shape, data, data.length);
    }

    /** A float32 matrix of {@code rows} rows, flattened row-major. */
    public static Tensor f32(final String name, final float[][] matrix)
    {
        final int rows = matrix.length;
        final int cols = rows == 0 ? 0 : matrix[0].length;
        final float[] flat = new float[rows * cols];
        for (int r = 0; r < rows; r++)
        {
            if (matrix[r].length != cols)
            {
                throw new IllegalArgumentException("tensor '" + name + "': row " + r + " has " + matrix[r].length +
                    " columns, row 0 has " + cols);
            }
            System.arraycopy(matrix[r], 0, flat, r * cols, cols);
        }
        return f32(name, new int[] {rows, cols}, flat);
    }

    public String name()
    {
        return name;
    }

    public DType dtype()
    {
        return dtype;
    }

    /** The shape (a copy). */
    public int[] shape()
    {
        return shape.clone();
    }

    /** Number of elements (product of the shape; 1 for a scalar). */
    public int elementCount()
    {
        return elementCount;
    }

    /** Row-major float32 data; throws if the dtype is not F32. */
    public float[] floats()
    {
        return (float[])as(DType.F32);
    }

    /** Row-major float64 data; throws if the dtype is not F64. */
    public double[] doubles()
    {
        return (double[])as(DType.F64);
    }

    /** Row-major int32 data; throws if the dtype is not I32. */
    public int[] ints()
    {
        return (int[])as(DType.I32);
    }

    /** Row-major int64 data; throws if the dtype is not I64. */
    public long[] longs()
    {
        return (long[])as(DType.I64);
    }

    /** Element {@code i} (row-major) as a double, whatever the dtype. */
    public double getAsDouble(final int i)
    {
        switch (dtype)
        {
            case F32: return ((float[])data)[i];
            case F64: return ((double[])data)[i];
            case I32: return ((int[])data)[i];
            default: return ((long[])data)[i];
        }
    }

    /** A new double array holding every element, whatever the dtype. */
    public double[] toDoubleArray()
    {
        final double[] out = new double[elementCount];
        for (int i = 0; i < elementCount; i++)
        {
            out[i] = getAsDouble(i);
        }
        return out;
    }

    /** The multi-index of flat (row-major) index {@code flat}, e.g. "[2, 5]". */
    public String indexOf(final int flat)
    {
        final int[] idx = new int[shape.length];
        int rest = flat;
        for (int d = shape.length - 1; d >= 0; d--)
        {
            idx[d] = rest % shape[d];
            rest /= shape[d];
        }
        return Arrays.toString(idx);
    }

    /** Index of the first NaN or infinite element, or -1. */
    public int firstNonFinite()
    {
        if (dtype == DType.F32)
        {
            final float[] f = (float[])data;
            for (int i = 0; i < f.length; i++)
            {
                if (!Float.isFinite(f[i]))
                {
                    return i;
                }
            }
        }
        else if (dtype == DType.F64)
        {
            final double[] f = (double[])data;
            for (int i = 0; i < f.length; i++)
            {
                if (!Double.isFinite(f[i]))
                {
                    return i;
                }
            }
        }
        return -1;
    }

    Object data()
    {
        return data;
    }

    private Object as(final DType wanted)
    {
        if (dtype != wanted)
        {
            throw new ModelFormatException("tensor '" + name + "' has dtype " + dtype + ", not " + wanted);
        }
        return data;
    }

    @Override
    public String toString()
    {
        return name + " " + dtype + " " + Arrays.toString(shape);
    }
}
