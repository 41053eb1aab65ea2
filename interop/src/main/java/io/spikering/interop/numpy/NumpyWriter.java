package io.spikering.interop.numpy;

import org.jetbrains.bio.npy.NpyFile;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/** Writes .npy files (little-endian, C order) with the npy library, through a temporary file so a reader never sees half. */
public final class NumpyWriter
{
    private NumpyWriter()
    {
    }

    /** float32 values of {@code shape}. */
    public static void write(final Path file, final float[] data, final int[] shape) throws IOException
    {
        checkSize(data.length, shape);
        final Path tmp = temp(file);
        NpyFile.write(tmp, data, shape);
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
    }

    /** float64 values of {@code shape}. */
    public static void write(final Path file, final double[] data, final int[] shape) throws IOException
    {
        checkSize(data.length, shape);
        final Path tmp = temp(file);
        NpyFile.write(tmp, data, shape);
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
    }

    /** int32 values of {@code shape} (spike counts, labels). */
    public static void write(final Path file, final int[] data, final int[] shape) throws IOException
    {
        checkSize(data.length, shape);
        final Path tmp = temp(file);
        NpyFile.write(tmp, data, shape);
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
    }

    private static Path temp(final Path file) throws IOException
    {
        if (file.getParent() != null)
        {
            Files.createDirectories(file.getParent());
        }
        return file.resolveSibling(file.getFileName() + ".tmp");
    }

    private static void checkSize(final int length, final int[] shape)
    {
        long size = 1;
        for (final int d : shape)
        {
            size *= d;
        }
        if (size != length)
        {
            throw new IllegalArgumentException("shape " + java.util.Arrays.toString(shape) + " holds " + size + " values, got " + length);
        }
    }
}
