package io.spikering.core.model;

/** Tensor element types supported in model files, with their safetensors names. */
public enum DType
{
    F32(4), F64(8), I32(4), I64(8);

    private final int byteSize;

    DType(final int byteSize)
    {
        this.byteSize = byteSize;
    }

    /** Bytes per element. */
    public int byteSize()
    {
        return byteSize;
    }

    /** True for floating-point types (checked for NaN). */
    public boolean isFloatingPoint()
    {
        return this == F32 || this == F64;
    }

    /** The dtype named {@code name} (safetensors spelling), or null if unsupported. */
    static DType byName(final String name)
    {
        for (final DType d : values())
        {
            if (d.name().equals(name))
            {
                return d;
            }
        }
        return null;
    }
}
