package io.spikering.interop.numpy;

import org.jetbrains.bio.npy.NpyArray;
import org.jetbrains.bio.npy.NpyFile;
import org.jetbrains.bio.npy.NpzFile;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * Reads NumPy arrays from .npy files and .npz archives (np.save, np.savez, np.savez_compressed) with the npy library
 * (org.jetbrains.bio:npy). Numeric dtypes only: bool, int8-64, uint8-64, float32, float64, either byte order. Each
 * array's header is read first (by the library's header parser) and its size checked against the heap before any
 * data is allocated. The library reads unsigned integers as signed ones of the same width; {@link NumpyArray} restores
 * their value. It cannot read Fortran-ordered arrays, 0-d arrays or float16/complex/unicode/object dtypes: those are
 * refused here with the fix.
 */
public final class NumpyReader
{
    private NumpyReader()
    {
    }

    /** The one array of a .npy file, or of a .npz archive holding exactly one array. */
    public static NumpyArray read(final Path file) throws NumpyFormatException
    {
        if (isNpz(file))
        {
            final List<String> names = names(file);
            if (names.size() != 1)
            {
                throw new NumpyFormatException(file + ": holds arrays " + names + "; name the one to use");
            }
            return read(file, names.get(0));
        }
        exists(file);
        final String source = file.toString();
        final byte[] head;
        try (InputStream in = Files.newInputStream(file))
        {
            head = headerBytes(in, source);
        }
        catch (final IOException e)
        {
            throw new NumpyFormatException(source + ": cannot read (" + e.getMessage() + ")", e);
        }
        final NpyFile.Header header = parse(head, source);
        check(header, source, Files.isRegularFile(file) ? size(file) - head.length : -1);
        try
        {
            return convert(NpyFile.read(file, Integer.MAX_VALUE), header, source);
        }
        catch (final RuntimeException e)
        {
            throw new NumpyFormatException(source + ": unreadable NumPy data (" + e + ")", e);
        }
    }

    /** The array {@code name} of a .npz archive (the member {@code name}.npy). */
    public static NumpyArray read(final Path file, final String name) throws NumpyFormatException
    {
        exists(file);
        final String source = file + ":" + name;
        try (ZipFile zip = new ZipFile(file.toFile()))
        {
            final ZipEntry entry = zip.getEntry(name + ".npy");
            if (entry == null)
            {
                throw new NumpyFormatException(file + ": no array '" + name + "'; it holds " + names(zip));
            }
            final byte[] head;
            try (InputStream in = zip.getInputStream(entry))
            {
                head = headerBytes(in, source);
            }
            final NpyFile.Header header = parse(head, source);
            check(header, source, entry.getSize() < 0 ? -1 : entry.getSize() - head.length);
        }
        catch (final IOException e)
        {
            throw new NumpyFormatException(file + ": not a readable .npz (zip) archive (" + e.getMessage() + ")", e);
        }
        try (NpzFile.Reader npz = NpzFile.read(file))
        {
            return convert(npz.get(name, 1 << 18), parseMember(file, name, source), source);
        }
        catch (final RuntimeException e)
        {
            throw new NumpyFormatException(source + ": unreadable NumPy data (" + e + ")", e);
        }
    }

    /** The array names of a .npz archive, sorted. */
    public static List<String> names(final Path file) throws NumpyFormatException
    {
        exists(file);
        try (ZipFile zip = new ZipFile(file.toFile()))
        {
            return names(zip);
        }
        catch (final IOException e)
        {
            throw new NumpyFormatException(file + ": not a readable .npz (zip) archive (" + e.getMessage() + ")", e);
        }
    }

    /** Integer labels: a 1-D integer array (any integer dtype), e.g. np.save("y.npy", y.astype(np.int64)). */
    public static int[] readLabels(final Path file) throws NumpyFormatException
    {
        final NumpyArray a = read(file);
        if (a.rank() != 1)
        {
            throw new NumpyFormatException(a.source() + ": labels must be 1-D [samples], got shape " + Arrays.toString(a.shape()));
        }
        return a.toIntArray();
    }

    public static boolean isNpz(final Path file)
    {
        return file.getFileName().toString().toLowerCase(java.util.Locale.ROOT).endsWith(".npz");
    }

    private static List<String> names(final ZipFile zip)
    {
        final List<String> out = new ArrayList<>();
        for (final ZipEntry e : Collections.list(zip.entries()))
        {
            if (e.getName().endsWith(".npy"))
            {
                out.add(e.getName().substring(0, e.getName().length() - 4));
            }
        }
        Collections.sort(out);
        return out;
    }

    private static NpyFile.Header parseMember(final Path file, final String name, final String source) throws NumpyFormatException
    {
        try (ZipFile zip = new ZipFile(file.toFile()); InputStream in = zip.getInputStream(zip.getEntry(name + ".npy")))
        {
            return parse(headerBytes(in, source), source);
        }
        catch (final IOException e)
        {
            throw new NumpyFormatException(source + ": cannot read (" + e.getMessage() + ")", e);
        }
    }

    private static void exists(final Path file) throws NumpyFormatException
    {
        if (!Files.isRegularFile(file))
        {
            throw new NumpyFormatException(file + ": no such file");
        }
    }

    private static long size(final Path file) throws NumpyFormatException
    {
        try
        {
            return Files.size(file);
        }
        catch (final IOException e)
        {
            throw new NumpyFormatException(file + ": cannot read (" + e.getMessage() + ")", e);
        }
    }

    /** The magic, version, header length and header dictionary: at most 10 + 65,535 bytes (format 1.0) or 12 + 2^32 (2.0). */
    private static byte[] headerBytes(final InputStream in, final String source) throws IOException, NumpyFormatException
    {
        final byte[] start = in.readNBytes(12);
        if (start.length < 10 || start[0] != (byte)0x93 || start[1] != 'N' || start[2] != 'U' || start[3] != 'M'
            || start[4] != 'P' || start[5] != 'Y')
        {
            throw new NumpyFormatException(source + ": not a NumPy .npy array (no \\x93NUMPY magic; save with np.save)");
        }
        final ByteBuffer b = ByteBuffer.wrap(start).order(ByteOrder.LITTLE_ENDIAN);
        final int major = start[6];
        final long length = major == 1 ? b.getShort(8) & 0xFFFF : b.getInt(8) & 0xFFFF_FFFFL;
        final int prefix = major == 1 ? 10 : 12;
        if (length > 1 << 20)
        {
            throw new NumpyFormatException(source + ": header of " + length + " bytes; NumPy headers are short");
        }
        final byte[] all = new byte[prefix + (int)length];
        System.arraycopy(start, 0, all, 0, Math.min(start.length, all.length));
        final byte[] rest = in.readNBytes(all.length - start.length);
        System.arraycopy(rest, 0, all, start.length, rest.length);
        if (start.length + rest.length < all.length)
        {
            throw new NumpyFormatException(source + ": truncated header");
        }
        return all;
    }

    private static NpyFile.Header parse(final byte[] head, final String source) throws NumpyFormatException
    {
        try
        {
            return NpyFile.Header.Companion.read(ByteBuffer.wrap(head));
        }
        catch (final RuntimeException e)
        {
            final String text = new String(head, java.nio.charset.StandardCharsets.ISO_8859_1);
            if (text.contains("'fortran_order': True"))
            {
                throw new NumpyFormatException(source + ": Fortran-ordered array; save np.ascontiguousarray(x) instead");
            }
            throw new NumpyFormatException(source + ": unsupported NumPy header " + text.substring(Math.min(10, text.length())).trim()
                + " (" + e.getMessage() + "); numeric dtypes bool, int, uint, float32 and float64 are read", e);
        }
    }

    /** Refuses non-numeric dtypes, 0-d arrays and sizes the heap cannot hold, before the library allocates. */
    private static void check(final NpyFile.Header header, final String source, final long dataBytes) throws NumpyFormatException
    {
        final char kind = header.getType();
        final int bytes = header.getBytes();
        final boolean numeric = (kind == 'b' && bytes == 1) || ((kind == 'i' || kind == 'u') && (bytes == 1 || bytes == 2
            || bytes == 4 || bytes == 8)) || (kind == 'f' && (bytes == 4 || bytes == 8));
        if (!numeric)
        {
            throw new NumpyFormatException(source + ": dtype " + descr(header) + " is not read; use bool, int8-64, uint8-64,"
                + " float32 or float64 (e.g. x.astype(np.float32))");
        }
        final int[] shape = header.getShape();
        if (shape.length == 0)
        {
            throw new NumpyFormatException(source + ": a 0-d (scalar) array; save np.atleast_1d(x)");
        }
        long size = 1;
        for (final int d : shape)
        {
            size *= d;
            if (d < 0 || size > Integer.MAX_VALUE - 8)
            {
                throw new NumpyFormatException(source + ": shape " + Arrays.toString(shape) + " exceeds a Java array");
            }
        }
        final long need = size * Math.max(bytes, 8); // the array as read plus its double conversion, at least
        final long heap = Runtime.getRuntime().maxMemory();
        if (need > heap / 2)
        {
            throw new NumpyFormatException(source + ": shape " + Arrays.toString(shape) + " needs " + (need >> 20)
                + " MiB, more than half the Java heap (" + (heap >> 20) + " MiB): use fewer samples or raise -Xmx");
        }
        if (dataBytes >= 0 && dataBytes < size * bytes)
        {
            throw new NumpyFormatException(source + ": header declares shape " + Arrays.toString(shape) + " of " + descr(header)
                + " (" + size * bytes + " bytes) but only " + dataBytes + " bytes follow: truncated file");
        }
    }

    private static String descr(final NpyFile.Header h)
    {
        final char order = h.getOrder() == null ? '|' : h.getOrder() == ByteOrder.BIG_ENDIAN ? '>' : '<';
        return "" + order + h.getType() + h.getBytes();
    }

    private static NumpyArray convert(final NpyArray a, final NpyFile.Header header, final String source) throws NumpyFormatException
    {
        final Object data = a.getData();
        if (header.getType() == 'u' && data instanceof long[] v)
        {
            for (int i = 0; i < v.length; i++)
            {
                if (v[i] < 0)
                {
                    throw new NumpyFormatException(source + ": uint64 element " + i + " exceeds 2^63");
                }
            }
        }
        return new NumpyArray(source, a.getShape(), descr(header), data);
    }
}
