package io.spikering.core.model;

import io.spikering.core.InputFiles;
import com.google.gson.Strictness;
import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonToken;
import com.google.gson.stream.JsonWriter;
import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads and writes the safetensors container (huggingface/safetensors): an unsigned little-endian
 * 64-bit header length N, N bytes of UTF-8 JSON (an object mapping each tensor name to
 * {@code {"dtype", "shape", "data_offsets": [begin, end]}}, plus an optional {@code "__metadata__"}
 * object of strings), then the little-endian tensor data; offsets are relative to the end of the header.
 * Reading is strict, as in the reference implementation: the tensors must tile the data buffer exactly
 * (no gap, no overlap), and each byte range must equal shape × dtype size. NaN or infinite values are
 * refused.
 */
public final class SafeTensors
{
    /** The reference implementation's limit on the header size. */
    public static final long MAX_HEADER_BYTES = 100_000_000L;
    static final String METADATA_KEY = "__metadata__";

    private SafeTensors()
    {
    }

    /** Reads a safetensors file (container only: no spikering format check, see {@link ModelFile#load}). */
    public static ModelFile read(final Path file) throws IOException
    {
        InputFiles.requireRegular("model file", file, "");
        final long size = Files.size(file);
        if (size > Integer.MAX_VALUE - 8)
        {
            throw new ModelFormatException("model file " + file + " is too large (" + size + " bytes; limit 2 GiB)");
        }
        return parse(file, Files.readAllBytes(file));
    }

    /** Parses the bytes of a safetensors file; {@code file} is only used in messages. */
    public static ModelFile parse(final Path file, final byte[] bytes)
    {
        if (bytes.length < 8)
        {
            throw error(file, "is truncated: " + bytes.length + " bytes, shorter than the 8-byte header length " +
                "(not a safetensors file?)");
        }
        final ByteBuffer buf = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        final long headerLength = buf.getLong(0);
        if (headerLength < 2 || headerLength > MAX_HEADER_BYTES || headerLength > bytes.length - 8L)
        {
            throw error(file, "has a wrong header length " + Long.toUnsignedString(headerLength) + ": the file has " +
                (bytes.length - 8) + " bytes after the length field and the header must be 2.." + MAX_HEADER_BYTES +
                " bytes (truncated file, or not a safetensors file)");
        }
        final String json;
        try
        {
            json = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT)
                .decode(ByteBuffer.wrap(bytes, 8, (int)headerLength)).toString();
        }
        catch (final CharacterCodingException e)
        {
            throw error(file, "has a header that is not valid UTF-8");
        }
        if (json.charAt(0) != '{')
        {
            throw error(file, "has a header that does not start with '{' (not a safetensors file?)");
        }
        final int dataStart = 8 + (int)headerLength;
        final int dataLength = bytes.length - dataStart;
        final Map<String, String> metadata = new LinkedHashMap<>();
        final List<Entry> entries = new ArrayList<>();
        parseHeader(file, json, metadata, entries);

        final List<Entry> byOffset = new ArrayList<>(entries);
        byOffset.sort(Comparator.comparingLong((Entry e) -> e.begin).thenComparingLong(e -> e.end));
        long expectedBegin = 0;
        for (final Entry e : byOffset)
        {
            if (e.begin != expectedBegin)
            {
                throw error(file, "tensor '" + e.name + "' has data_offsets [" + e.begin + ", " + e.end + "] " +
                    (e.begin < expectedBegin ? "overlapping the previous tensor" : "leaving a gap") +
                    " (expected it to begin at " + expectedBegin + ")");
            }
            if (e.end > dataLength)
            {
                throw error(file, "tensor '" + e.name + "' has data_offsets [" + e.begin + ", " + e.end +
                    "] beyond the " + dataLength + " data bytes (truncated file?)");
            }
            expectedBegin = e.end;
        }
        if (expectedBegin != dataLength)
        {
            throw error(file, "has " + dataLength + " data bytes but its tensors cover " + expectedBegin +
                (expectedBegin < dataLength ? " (trailing bytes)" : ""));
        }
        final List<Tensor> tensors = new ArrayList<>(entries.size());
        for (final Entry e : entries)
        {
            tensors.add(decode(e, buf, dataStart + (int)e.begin));
        }
        return new ModelFile(file, metadata, tensors);
    }

    private static final class Entry
    {
        String name;
        DType dtype;
        int[] shape;
        long begin = -1;
        long end = -1;
    }

    private static void parseHeader(final Path file, final String json, final Map<String, String> metadata,
        final List<Entry> entries)
    {
        try (JsonReader r = new JsonReader(new StringReader(json)))
        {
            r.setStrictness(Strictness.STRICT);
            r.beginObject();
            final java.util.Set<String> seen = new java.util.HashSet<>();
            while (r.hasNext())
            {
                final String key = r.nextName();
                if (!seen.add(key))
                {
                    throw error(file, "has a header with the key '" + key + "' twice");
                }
                if (METADATA_KEY.equals(key))
                {
                    parseMetadata(file, r, metadata);
                }
                else
                {
                    entries.add(parseEntry(file, key, r));
                }
            }
            r.endObject();
            if (r.peek() != JsonToken.END_DOCUMENT)
            {
                throw error(file, "has extra content after the header's JSON object");
            }
        }
        catch (final ModelFormatException e)
        {
            throw e;
        }
        catch (final IOException | IllegalStateException | NumberFormatException e)
        {
            throw error(file, "has a header that is not valid safetensors JSON: " + e.getMessage());
        }
    }

    private static void parseMetadata(final Path file, final JsonReader r, final Map<String, String> metadata)
        throws IOException
    {
        if (r.peek() != JsonToken.BEGIN_OBJECT)
        {
            throw error(file, "has a __metadata__ that is not an object of strings");
        }
        r.beginObject();
        while (r.hasNext())
        {
            final String k = r.nextName();
            if (r.peek() != JsonToken.STRING)
            {
                throw error(file, "has a __metadata__ value for '" + k + "' that is not a string " +
                    "(safetensors metadata maps strings to strings; encode JSON values as strings)");
            }
            if (metadata.put(k, r.nextString()) != null)
            {
                throw error(file, "has the __metadata__ key '" + k + "' twice");
            }
        }
        r.endObject();
    }

    private static Entry parseEntry(final Path file, final String name, final JsonReader r) throws IOException
    {
        final Entry e = new Entry();
        e.name = name;
        if (r.peek() != JsonToken.BEGIN_OBJECT)
        {
            throw error(file, "tensor '" + name + "': header entry is not an object");
        }
        r.beginObject();
        while (r.hasNext())
        {
            final String field = r.nextName();
            switch (field)
            {
                case "dtype":
                    final String dtype = r.nextString();
                    e.dtype = DType.byName(dtype);
                    if (e.dtype == null)
                    {
                        throw error(file, "tensor '" + name + "' has dtype '" + dtype + "', which is unknown or " +
                            "unsupported; supported: " + Arrays.toString(DType.values()) + " (convert the tensor)");
                    }
                    break;
                case "shape":
                    final List<Integer> dims = new ArrayList<>();
                    r.beginArray();
                    while (r.hasNext())
                    {
                        final long d = r.nextLong();
                        if (d < 0 || d > Integer.MAX_VALUE)
                        {
                            throw error(file, "tensor '" + name + "' has an invalid dimension " + d + " in its shape");
                        }
                        dims.add((int)d);
                    }
                    r.endArray();
                    e.shape = dims.stream().mapToInt(Integer::intValue).toArray();
                    break;
                case "data_offsets":
                    r.beginArray();
                    e.begin = r.hasNext() ? r.nextLong() : -1;
                    e.end = r.hasNext() ? r.nextLong() : -1;
                    if (r.hasNext() || e.begin < 0 || e.end < e.begin)
                    {
                        throw error(file, "tensor '" + name + "' has invalid data_offsets (need [begin, end] with " +
                            "0 <= begin <= end)");
                    }
                    r.endArray();
                    break;
                default:
                    throw error(file, "tensor '" + name + "' has an unknown header field '" + field +
                        "' (expected dtype, shape, data_offsets)");
            }
        }
        r.endObject();
        if (e.dtype == null || e.shape == null || e.begin < 0)
        {
            throw error(file, "tensor '" + name + "' lacks one of dtype, shape, data_offsets in the header");
        }
        final long count;
        try
        {
            count = Tensor.checkedCount(name, e.shape);
        }
        catch (final IllegalArgumentException ex)
        {
            throw error(file, ex.getMessage());
        }
        if (count * e.dtype.byteSize() != e.end - e.begin)
        {
            throw error(file, "tensor '" + name + "' has shape " + Arrays.toString(e.shape) + " and dtype " + e.dtype +
                " (" + count * e.dtype.byteSize() + " bytes) but data_offsets [" + e.begin + ", " + e.end + "] span " +
                (e.end - e.begin) + " bytes");
        }
        return e;
    }

    private static Tensor decode(final Entry e, final ByteBuffer buf, final int start)
    {
        final int n = (int)((e.end - e.begin) / e.dtype.byteSize());
        final Tensor t;
        switch (e.dtype)
        {
            case F32:
            {
                final float[] a = new float[n];
                buf.slice(start, n * 4).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(a);
                t = Tensor.f32(e.name, e.shape, a);
                break;
            }
            case F64:
            {
                final double[] a = new double[n];
                buf.slice(start, n * 8).order(ByteOrder.LITTLE_ENDIAN).asDoubleBuffer().get(a);
                t = Tensor.f64(e.name, e.shape, a);
                break;
            }
            case I32:
            {
                final int[] a = new int[n];
                buf.slice(start, n * 4).order(ByteOrder.LITTLE_ENDIAN).asIntBuffer().get(a);
                t = Tensor.i32(e.name, e.shape, a);
                break;
            }
            default:
            {
                final long[] a = new long[n];
                buf.slice(start, n * 8).order(ByteOrder.LITTLE_ENDIAN).asLongBuffer().get(a);
                t = Tensor.i64(e.name, e.shape, a);
                break;
            }
        }
        return t;
    }

    /** Writes a file: header JSON with __metadata__ first and tensors in order, padded with spaces to 8 bytes. */
    public static void write(final ModelFile model, final Path file) throws IOException
    {
        final byte[] bytes = toBytes(model);
        final Path parent = file.toAbsolutePath().getParent();
        if (parent != null)
        {
            Files.createDirectories(parent);
        }
        final Path tmp = Files.createTempFile(parent, file.getFileName().toString(), ".part");
        try
        {
            Files.write(tmp, bytes);
            if (Files.getFileStore(tmp).supportsFileAttributeView("posix"))
            {
                // createTempFile makes it owner-only (0600); a model file is meant to be read by everyone, like the shipped ones
                Files.setPosixFilePermissions(tmp, java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
            }
            Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        }
        finally
        {
            Files.deleteIfExists(tmp);
        }
    }

    /** The bytes of the safetensors encoding of a model. */
    public static byte[] toBytes(final ModelFile model)
    {
        final StringWriter sw = new StringWriter();
        long offset = 0;
        try (JsonWriter w = new JsonWriter(sw))
        {
            w.setHtmlSafe(false);
            w.beginObject();
            if (!model.metadata().isEmpty())
            {
                w.name(METADATA_KEY).beginObject();
                for (final Map.Entry<String, String> m : model.metadata().entrySet())
                {
                    w.name(m.getKey()).value(m.getValue());
                }
                w.endObject();
            }
            for (final Tensor t : model.tensors())
            {
                final long bytes = (long)t.elementCount() * t.dtype().byteSize();
                w.name(t.name()).beginObject();
                w.name("dtype").value(t.dtype().name());
                w.name("shape").beginArray();
                for (final int d : t.shape())
                {
                    w.value(d);
                }
                w.endArray();
                w.name("data_offsets").beginArray().value(offset).value(offset + bytes).endArray();
                w.endObject();
                offset += bytes;
            }
            w.endObject();
        }
        catch (final IOException e)
        {
            throw new IllegalStateException(e);
        }
        final byte[] header = sw.toString().getBytes(StandardCharsets.UTF_8);
        final int padded = (header.length + 7) / 8 * 8;
        if (8L + padded + offset > Integer.MAX_VALUE - 8)
        {
            throw new IllegalArgumentException("model is too large to write (" + offset + " data bytes; limit 2 GiB)");
        }
        final ByteBuffer out = ByteBuffer.allocate(8 + padded + (int)offset).order(ByteOrder.LITTLE_ENDIAN);
        out.putLong(padded).put(header);
        for (int i = header.length; i < padded; i++)
        {
            out.put((byte)' ');
        }
        for (final Tensor t : model.tensors())
        {
            final int n = t.elementCount();
            final ByteBuffer slice = out.slice(out.position(), n * t.dtype().byteSize()).order(ByteOrder.LITTLE_ENDIAN);
            switch (t.dtype())
            {
                case F32: slice.asFloatBuffer().put(t.floats()); break;
                case F64: slice.asDoubleBuffer().put(t.doubles()); break;
                case I32: slice.asIntBuffer().put(t.ints()); break;
                default: slice.asLongBuffer().put(t.longs()); break;
            }
            out.position(out.position() + n * t.dtype().byteSize());
        }
        return out.array();
    }

    private static ModelFormatException error(final Path file, final String what)
    {
        return new ModelFormatException("model file " + file + (what.startsWith("tensor") ? ": " : " ") + what);
    }
}
