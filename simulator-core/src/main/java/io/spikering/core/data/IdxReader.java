package io.spikering.core.data;

import io.spikering.core.InputFiles;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPInputStream;

/**
 * Reads IDX files (the MNIST container: big-endian magic {@code 0x0000TTDD} with data type TT and
 * DD dimensions, then DD big-endian int32 sizes, then the data). Only unsigned bytes (type 0x08) are
 * supported, which is what MNIST uses. Gzipped files (magic 1f 8b) are decompressed transparently.
 * Every structural problem is reported naming the file and what is wrong.
 */
public final class IdxReader
{
    /** IDX data type code of unsigned bytes. */
    public static final int UNSIGNED_BYTE = 0x08;

    private IdxReader()
    {
    }

    /** The content of an IDX file: its dimensions and its unsigned-byte data (row-major). */
    public record IdxArray(Path file, int[] dims, byte[] data)
    {
        /** Number of elements, the product of the dimensions. */
        public long elementCount()
        {
            long n = 1;
            for (final int d : dims)
            {
                n *= d;
            }
            return n;
        }
    }

    /** Reads a file (plain or gzipped) and validates its header against its length. */
    public static IdxArray read(final Path file) throws IOException
    {
        return parse(file, readMaybeGzipped(file, maxBytes(),
            "more than fits in memory; raise the heap with SPIKERING_JAVA_OPTS=-Xmx... if the file is genuine"));
    }

    /** Reads an IDX file of {@code expectedCount} images of rows × cols unsigned bytes. */
    public static IdxArray readImages(final Path file, final int expectedCount, final int rows, final int cols)
        throws IOException
    {
        final IdxArray a = read(file);
        if (!Arrays.equals(a.dims(), new int[] {expectedCount, rows, cols}))
        {
            throw new IOException("IDX file " + file + ": expected " + expectedCount + " images of " + rows + "x" + cols +
                " (dimensions [" + expectedCount + ", " + rows + ", " + cols + "]) but the header says " +
                Arrays.toString(a.dims()));
        }
        return a;
    }

    /** Reads an IDX file of {@code expectedCount} labels, each in [0, classes). */
    public static IdxArray readLabels(final Path file, final int expectedCount, final int classes) throws IOException
    {
        final IdxArray a = read(file);
        if (!Arrays.equals(a.dims(), new int[] {expectedCount}))
        {
            throw new IOException("IDX file " + file + ": expected " + expectedCount +
                " labels (dimensions [" + expectedCount + "]) but the header says " + Arrays.toString(a.dims()));
        }
        final byte[] d = a.data();
        for (int i = 0; i < d.length; i++)
        {
            final int label = d[i] & 0xFF;
            if (label >= classes)
            {
                throw new IOException("IDX file " + file + ": label " + label + " at index " + i +
                    " is outside [0, " + classes + ")");
            }
        }
        return a;
    }

    /** Parses IDX bytes; {@code file} is only used in messages. */
    public static IdxArray parse(final Path file, final byte[] bytes) throws IOException
    {
        if (bytes.length < 4)
        {
            throw new IOException("IDX file " + file + " is truncated: " + bytes.length +
                " bytes, shorter than the 4-byte magic number");
        }
        if (bytes[0] != 0 || bytes[1] != 0)
        {
            throw new IOException(String.format(
                "IDX file %s has a wrong magic number 0x%02x%02x%02x%02x: an IDX file starts with two zero bytes " +
                "(is it an IDX file?)", file, bytes[0], bytes[1], bytes[2], bytes[3]));
        }
        final int type = bytes[2] & 0xFF;
        if (type != UNSIGNED_BYTE)
        {
            throw new IOException(String.format(
                "IDX file %s has data type 0x%02x; only unsigned bytes (0x08, as in MNIST) are supported", file, type));
        }
        final int rank = bytes[3] & 0xFF;
        if (rank == 0)
        {
            throw new IOException("IDX file " + file + " declares 0 dimensions in its magic number");
        }
        final int headerLength = 4 + 4 * rank;
        if (bytes.length < headerLength)
        {
            throw new IOException("IDX file " + file + " is truncated: " + bytes.length + " bytes, shorter than its " +
                headerLength + "-byte header (" + rank + " dimensions)");
        }
        final int[] dims = new int[rank];
        long count = 1;
        for (int i = 0; i < rank; i++)
        {
            final int off = 4 + 4 * i;
            dims[i] = ((bytes[off] & 0xFF) << 24) | ((bytes[off + 1] & 0xFF) << 16) | ((bytes[off + 2] & 0xFF) << 8) |
                (bytes[off + 3] & 0xFF);
            if (dims[i] < 0)
            {
                throw new IOException("IDX file " + file + ": dimension " + i + " is negative (" + dims[i] + ")");
            }
            count *= dims[i];
        }
        final long expected = headerLength + count;
        if (bytes.length != expected)
        {
            throw new IOException("IDX file " + file + (bytes.length < expected ? " is truncated" : " has trailing bytes") +
                ": dimensions " + Arrays.toString(dims) + " need " + expected + " bytes (header " + headerLength +
                " + data " + count + ") but the file has " + bytes.length);
        }
        return new IdxArray(file, dims, Arrays.copyOfRange(bytes, headerLength, bytes.length));
    }

    /**
     * The most bytes an IDX file (or its gunzipped content) may have: what a Java array holds, and at most a quarter of
     * the heap, so a file too large for memory is refused before it is read instead of ending in an OutOfMemoryError.
     */
    public static long maxBytes()
    {
        return Math.min(Integer.MAX_VALUE - 8L, Runtime.getRuntime().maxMemory() / 4);
    }

    /**
     * Whole content of a file, gunzipped if it starts with the gzip magic; the file and its gunzipped content are
     * refused once they exceed {@code maxBytes} ({@code why} says why) (the file by its size before reading, the content while inflating: a
     * gzip bomb stops there).
     */
    static byte[] readMaybeGzipped(final Path file, final long maxBytes, final String why) throws IOException
    {
        InputFiles.requireSize("IDX file", file, maxBytes, why);
        final byte[] raw = Files.readAllBytes(file);
        if (raw.length >= 2 && (raw[0] & 0xFF) == 0x1f && (raw[1] & 0xFF) == 0x8b)
        {
            try (InputStream in = new GZIPInputStream(new java.io.ByteArrayInputStream(raw), 1 << 16))
            {
                final byte[] content = in.readNBytes((int)Math.min(maxBytes + 1, Integer.MAX_VALUE - 8L));
                if (content.length > maxBytes)
                {
                    throw new IOException("gzipped file " + file + " inflates to more than " + maxBytes + " bytes (" + why + ")");
                }
                return content;
            }
            catch (final java.io.EOFException | java.util.zip.ZipException e)
            {
                throw new IOException("gzipped file " + file + " is corrupt or truncated: " + e.getMessage(), e);
            }
        }
        return raw;
    }
}
