package io.spikering.core.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SafeTensorsTest
{
    @TempDir
    Path dir;

    static ModelFile sample()
    {
        final Map<String, String> meta = new LinkedHashMap<>();
        meta.put(ModelFile.ARCHITECTURE_KEY, "{\"type\":\"lmu\",\"order\":4,\"note\":\"quote \\\" é\"}");
        meta.put("dataset", "psmnist");
        return ModelFile.create(meta, List.of(
            Tensor.f32("w", new float[][] {{1f, -2.5f, 0f}, {3.25f, Float.MIN_VALUE, -0f}}),
            Tensor.f64("b", new int[] {3}, new double[] {Math.PI, -1e300, 0}),
            Tensor.i32("idx", new int[] {2, 2}, new int[] {Integer.MIN_VALUE, -1, 0, Integer.MAX_VALUE}),
            Tensor.i64("count", new int[] {}, new long[] {Long.MAX_VALUE}),
            Tensor.f32("empty", new int[] {0, 5}, new float[0])));
    }

    @Test
    void roundTripEveryDtype() throws IOException
    {
        final ModelFile m = sample();
        final Path p = dir.resolve("m.safetensors");
        m.write(p);
        final ModelFile r = ModelFile.load(p);
        assertEquals(m.metadata(), r.metadata());
        assertEquals(List.of("format", "format_version", "architecture", "dataset"), List.copyOf(r.metadata().keySet()));
        assertEquals(List.of("w", "b", "idx", "count", "empty"), r.tensors().stream().map(Tensor::name).toList());
        assertArrayEquals(m.tensor("w").floats(), r.floats("w", 2, 3));
        assertEquals(Float.floatToRawIntBits(-0f), Float.floatToRawIntBits(r.tensor("w").floats()[5]));
        assertArrayEquals(m.tensor("b").doubles(), r.tensor("b", 3).doubles());
        assertArrayEquals(m.tensor("idx").ints(), r.tensor("idx", 2, 2).ints());
        assertArrayEquals(new long[] {Long.MAX_VALUE}, r.tensor("count", new int[0]).longs());
        assertArrayEquals(new int[] {0, 5}, r.tensor("empty").shape());
        assertEquals("lmu", r.architecture().getAsJsonObject().get("type").getAsString());
        final long headerLength = ByteBuffer.wrap(Files.readAllBytes(p)).order(ByteOrder.LITTLE_ENDIAN).getLong();
        assertEquals(0, (8 + headerLength) % 8, "data section starts 8-byte aligned");
    }

    /** A file written byte by byte following the safetensors spec, with header padding and two tensors. */
    @Test
    void readsHandWrittenFileAndWriterProducesTheSameBytes() throws IOException
    {
        final String header = "{\"__metadata__\":{\"format\":\"spikering-model\",\"format_version\":\"1\"}," +
            "\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}," +
            "\"n\":{\"dtype\":\"I64\",\"shape\":[1,1],\"data_offsets\":[8,16]}}";
        final byte[] h = header.getBytes(StandardCharsets.US_ASCII);
        final int padded = (h.length + 7) / 8 * 8;
        final byte[] file = new byte[8 + padded + 16];
        file[0] = (byte)padded;                      // little-endian u64 header length
        file[1] = (byte)(padded >>> 8);
        System.arraycopy(h, 0, file, 8, h.length);
        Arrays.fill(file, 8 + h.length, 8 + padded, (byte)' ');
        int o = 8 + padded;
        // 1.0f = 0x3f800000 and -2.5f = 0xc0200000, little-endian
        for (final int b : new int[] {0x00, 0x00, 0x80, 0x3f, 0x00, 0x00, 0x20, 0xc0})
        {
            file[o++] = (byte)b;
        }
        // 258L little-endian
        for (final int b : new int[] {0x02, 0x01, 0, 0, 0, 0, 0, 0})
        {
            file[o++] = (byte)b;
        }
        final ModelFile m = SafeTensors.parse(Path.of("hand.safetensors"), file);
        m.checkFormat();
        assertArrayEquals(new float[] {1f, -2.5f}, m.floats("a", 2));
        assertArrayEquals(new long[] {258L}, m.tensor("n", 1, 1).longs());

        final ModelFile same = ModelFile.create(Map.of(), List.of(
            Tensor.f32("a", new int[] {2}, new float[] {1f, -2.5f}), Tensor.i64("n", new int[] {1, 1}, new long[] {258})));
        assertArrayEquals(file, SafeTensors.toBytes(same));
    }

    /**
     * Bytes written by the reference implementation (Python safetensors 0.8.0, {@code safetensors.numpy.save}
     * of {"x": float32 [[1.5, -2], [0, 4]], "y": int32 [7, -8]} with metadata {"k": "v"}).
     */
    @Test
    void readsReferenceImplementationOutput()
    {
        final byte[] bytes = java.util.HexFormat.of().parseHex(ReferenceBytes.HEX);
        final ModelFile m = SafeTensors.parse(Path.of("reference.safetensors"), bytes);
        assertEquals(Map.of("k", "v"), m.metadata());
        assertArrayEquals(new float[] {1.5f, -2f, 0f, 4f}, m.floats("x", 2, 2));
        assertArrayEquals(new int[] {7, -8}, m.tensor("y", 2).ints());
    }

    private static String message(final byte[] bytes)
    {
        return assertThrows(ModelFormatException.class, () -> SafeTensors.parse(Path.of("bad.safetensors"), bytes))
            .getMessage();
    }

    private static byte[] withHeader(final String json, final int dataBytes)
    {
        final byte[] h = json.getBytes(StandardCharsets.UTF_8);
        final ByteBuffer b = ByteBuffer.allocate(8 + h.length + dataBytes).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(h.length).put(h);
        return b.array();
    }

    @Test
    void truncatedFiles()
    {
        final byte[] good = SafeTensors.toBytes(sample());
        assertTrue(message(Arrays.copyOf(good, 5)).contains("shorter than the 8-byte header length"));
        assertTrue(message(Arrays.copyOf(good, 40)).contains("wrong header length"));
        final String cut = message(Arrays.copyOf(good, good.length - 3));
        assertTrue(cut.contains("bad.safetensors") && cut.contains("'count'") && cut.contains("beyond") &&
            cut.contains("truncated"), cut);
    }

    @Test
    void wrongHeaderLengthAndBadJson()
    {
        final byte[] b = withHeader("{}", 0);
        b[7] = (byte)0x80;                   // absurd length
        assertTrue(message(b).contains("wrong header length"));
        assertTrue(message(withHeader("[1,2]", 0)).contains("does not start with '{'"));
        assertTrue(message(withHeader("{\"a\":", 0)).contains("not valid safetensors JSON"));
        final String extra = message(withHeader("{} x", 0));
        assertTrue(extra.contains("not valid safetensors JSON") || extra.contains("extra content"), extra);
        assertTrue(message(withHeader("{\"__metadata__\":{\"k\":1}}", 0)).contains("not a string"));
        assertTrue(message(withHeader(
            "{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]},\"a\":{\"dtype\":\"F32\",\"shape\":[1]," +
            "\"data_offsets\":[4,8]}}", 8)).contains("key 'a' twice"));
        assertTrue(message(withHeader("{\"a\":{\"dtype\":\"F32\",\"shape\":[1]}}", 0)).contains("lacks"));
        assertTrue(message(withHeader("{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4],\"x\":1}}", 4))
            .contains("unknown header field 'x'"));
    }

    @Test
    void offsetsOverlappingGapOutOfRange()
    {
        final String two = "{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}," +
            "\"b\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[%d,%d]}}";
        assertTrue(message(withHeader(String.format(two, 4, 12), 12)).contains("overlapping"));
        assertTrue(message(withHeader(String.format(two, 12, 20), 20)).contains("gap"));
        final String beyond = message(withHeader(String.format(two, 8, 16), 12));
        assertTrue(beyond.contains("'b'") && beyond.contains("beyond the 12 data bytes"), beyond);
        assertTrue(message(withHeader(String.format(two, 8, 16), 20)).contains("trailing"));
        assertTrue(message(withHeader("{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[8,0]}}", 8))
            .contains("invalid data_offsets"));
    }

    @Test
    void unknownDtypeAndSizeMismatch()
    {
        final String dtype = message(withHeader("{\"a\":{\"dtype\":\"BF16\",\"shape\":[2],\"data_offsets\":[0,4]}}", 4));
        assertTrue(dtype.contains("'a'") && dtype.contains("BF16") && dtype.contains("F32, F64, I32, I64"), dtype);
        final String size = message(withHeader("{\"a\":{\"dtype\":\"F64\",\"shape\":[2,3],\"data_offsets\":[0,24]}}", 24));
        assertTrue(size.contains("'a'") && size.contains("[2, 3]") && size.contains("48 bytes"), size);
    }

    @Test
    void refusesNanNamingTensorAndIndex()
    {
        final ModelFile ok = ModelFile.create(Map.of(), List.of(Tensor.f32("w", new int[] {2, 3}, new float[6])));
        final byte[] bytes = SafeTensors.toBytes(ok);
        final int dataStart = bytes.length - 24;
        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).putFloat(dataStart + 4 * 4, Float.NaN);
        final String msg = message(bytes);
        assertTrue(msg.contains("'w'") && msg.contains("NaN") && msg.contains("[1, 1]") && msg.contains("flat 4"), msg);
        assertThrows(ModelFormatException.class, () -> ModelFile.create(Map.of(),
            List.of(Tensor.f64("d", new int[] {1}, new double[] {Double.POSITIVE_INFINITY}))));
    }

    @Test
    void missingTensorWrongShapeAndVersion() throws IOException
    {
        final Path p = dir.resolve("m.safetensors");
        sample().write(p);
        final ModelFile m = ModelFile.load(p);
        final String missing = assertThrows(ModelFormatException.class, () -> m.tensor("lmu.kernel", 4, 4)).getMessage();
        assertTrue(missing.contains(p.toString()) && missing.contains("'lmu.kernel'") && missing.contains("[4, 4]"),
            missing);
        final String shape = assertThrows(ModelFormatException.class, () -> m.tensor("w", 3, 2)).getMessage();
        assertTrue(shape.contains("'w'") && shape.contains("[2, 3]") && shape.contains("expected [3, 2]"), shape);
        assertTrue(assertThrows(ModelFormatException.class, () -> m.floats("b", 3)).getMessage().contains("F64"));
        assertTrue(assertThrows(ModelFormatException.class, () -> m.metadata("nope")).getMessage().contains("'nope'"));

        final Map<String, String> v2 = new LinkedHashMap<>(m.metadata());
        v2.put(ModelFile.VERSION_KEY, "2");
        final Path p2 = dir.resolve("v2.safetensors");
        new ModelFile(null, v2, m.tensors()).write(p2);
        final String version = assertThrows(ModelFormatException.class, () -> ModelFile.load(p2)).getMessage();
        assertTrue(version.contains(p2.toString()) && version.contains("'2'") && version.contains("version 1"), version);

        final Path plain = dir.resolve("plain.safetensors");
        new ModelFile(null, Map.of(), m.tensors()).write(plain);
        assertTrue(assertThrows(ModelFormatException.class, () -> ModelFile.load(plain)).getMessage()
            .contains("not a spikering model"));
        assertEquals(5, ModelFile.read(plain).tensors().size());
    }

    @Test
    void rejectsDuplicateTensorNamesAndBadShapes()
    {
        assertThrows(ModelFormatException.class, () -> ModelFile.create(Map.of(), List.of(
            Tensor.f32("a", new int[] {1}, new float[1]), Tensor.f32("a", new int[] {1}, new float[1]))));
        assertThrows(IllegalArgumentException.class, () -> Tensor.f32("a", new int[] {2, 2}, new float[3]));
        assertThrows(IllegalArgumentException.class, () -> Tensor.f32("__metadata__", new int[] {1}, new float[1]));
    }
}
