package io.spikering.interop.numpy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** .npy bytes are built here by hand, as np.save writes them (format 1.0: magic, header dict padded to 64, data). */
class NumpyReaderTest
{
    @TempDir
    Path dir;

    static byte[] npy(final String descr, final String shape, final byte[] data)
    {
        return npy(descr, shape, false, data);
    }

    static byte[] npy(final String descr, final String shape, final boolean fortran, final byte[] data)
    {
        String dict = "{'descr': '" + descr + "', 'fortran_order': " + (fortran ? "True" : "False") + ", 'shape': " + shape + ", }";
        final int pad = 64 - (10 + dict.length() + 1) % 64;
        dict = dict + " ".repeat(pad % 64) + "\n";
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(new byte[] {(byte)0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0});
        out.write(dict.length() & 0xFF);
        out.write(dict.length() >> 8);
        out.writeBytes(dict.getBytes(StandardCharsets.US_ASCII));
        out.writeBytes(data);
        return out.toByteArray();
    }

    static byte[] floats(final ByteOrder order, final float... v)
    {
        final ByteBuffer b = ByteBuffer.allocate(4 * v.length).order(order);
        for (final float f : v)
        {
            b.putFloat(f);
        }
        return b.array();
    }

    static byte[] doubles(final double... v)
    {
        final ByteBuffer b = ByteBuffer.allocate(8 * v.length).order(ByteOrder.LITTLE_ENDIAN);
        for (final double d : v)
        {
            b.putDouble(d);
        }
        return b.array();
    }

    static byte[] longs(final long... v)
    {
        final ByteBuffer b = ByteBuffer.allocate(8 * v.length).order(ByteOrder.LITTLE_ENDIAN);
        for (final long l : v)
        {
            b.putLong(l);
        }
        return b.array();
    }

    private Path file(final String name, final byte[] bytes) throws IOException
    {
        final Path p = dir.resolve(name);
        Files.write(p, bytes);
        return p;
    }

    @Test
    void readsFloat32InputsOfShapeSamplesStepsFeatures() throws Exception
    {
        final float[] v = {0.5f, -1f, 2f, 0f, 1e-3f, 7f, 8f, 9f, 10f, 11f, 12f, 13f};
        final NumpyArray a = NumpyReader.read(file("x.npy", npy("<f4", "(2, 3, 2)", floats(ByteOrder.LITTLE_ENDIAN, v))));
        assertArrayEquals(new int[] {2, 3, 2}, a.shape());
        assertEquals("<f4", a.dtype());
        assertArrayEquals(v, a.toFloatArray());
        assertEquals(1e-3f, a.toDoubleArray()[4]);
        assertFalse(a.isIntegral());
        a.requireShape("[samples, steps, 2]", -1, -1, 2);
        final NumpyFormatException e = assertThrows(NumpyFormatException.class, () -> a.requireShape("[samples, steps, 12]", -1, -1, 12));
        assertEquals(dir.resolve("x.npy") + ": shape [2, 3, 2] (dtype <f4), expected [samples, steps, 12]", e.getMessage());
    }

    @Test
    void readsBigEndianFloat32AndFloat64() throws Exception
    {
        assertArrayEquals(new double[] {1.5, -2.25}, NumpyReader.read(file("be.npy", npy(">f4", "(2,)",
            floats(ByteOrder.BIG_ENDIAN, 1.5f, -2.25f)))).toDoubleArray());
        assertArrayEquals(new double[] {Math.PI, -1e-300}, NumpyReader.read(file("d.npy", npy("<f8", "(1, 2)",
            doubles(Math.PI, -1e-300)))).toDoubleArray());
    }

    @Test
    void uint8SpikeCountsKeepValuesAbove127AndBoolsAreZeroOne() throws Exception
    {
        final NumpyArray counts = NumpyReader.read(file("u8.npy", npy("|u1", "(4,)", new byte[] {0, 1, (byte)200, (byte)255})));
        assertArrayEquals(new float[] {0, 1, 200, 255}, counts.toFloatArray());
        assertTrue(counts.isIntegral());
        final NumpyArray spikes = NumpyReader.read(file("b.npy", npy("|b1", "(3,)", new byte[] {1, 0, 1})));
        assertArrayEquals(new double[] {1, 0, 1}, spikes.toDoubleArray());
        final NumpyArray signed = NumpyReader.read(file("i1.npy", npy("|i1", "(2,)", new byte[] {-3, 4})));
        assertArrayEquals(new double[] {-3, 4}, signed.toDoubleArray());
    }

    @Test
    void labelsAreOneDimensionalIntegers() throws Exception
    {
        assertArrayEquals(new int[] {3, 0, 9}, NumpyReader.readLabels(file("y.npy", npy("<i8", "(3,)", longs(3, 0, 9)))));
        NumpyFormatException e = assertThrows(NumpyFormatException.class,
            () -> NumpyReader.readLabels(file("yf.npy", npy("<f8", "(2,)", doubles(1, 2)))));
        assertTrue(e.getMessage().contains("yf.npy: dtype <f8 holds floats; integer values were expected"), e.getMessage());
        e = assertThrows(NumpyFormatException.class,
            () -> NumpyReader.readLabels(file("y2.npy", npy("<i8", "(1, 2)", longs(1, 2)))));
        assertTrue(e.getMessage().contains("labels must be 1-D [samples], got shape [1, 2]"), e.getMessage());
    }

    @Test
    void refusesWrongDtypesFortranOrderScalarsAndTruncatedFiles() throws Exception
    {
        NumpyFormatException e = assertThrows(NumpyFormatException.class,
            () -> NumpyReader.read(file("h.npy", npy("<f2", "(2,)", new byte[4]))));
        assertTrue(e.getMessage().contains("h.npy: dtype <f2 is not read"), e.getMessage());
        e = assertThrows(NumpyFormatException.class,
            () -> NumpyReader.read(file("u.npy", npy("<U3", "(2,)", new byte[24]))));
        assertTrue(e.getMessage().contains("u.npy: unsupported NumPy header") || e.getMessage().contains("is not read"), e.getMessage());
        e = assertThrows(NumpyFormatException.class,
            () -> NumpyReader.read(file("f.npy", npy("<f8", "(2, 2)", true, doubles(1, 2, 3, 4)))));
        assertTrue(e.getMessage().contains("f.npy: Fortran-ordered array"), e.getMessage());
        e = assertThrows(NumpyFormatException.class,
            () -> NumpyReader.read(file("s.npy", npy("<f8", "()", doubles(1)))));
        assertTrue(e.getMessage().contains("s.npy: a 0-d (scalar) array"), e.getMessage());
        e = assertThrows(NumpyFormatException.class,
            () -> NumpyReader.read(file("t.npy", npy("<f8", "(100,)", doubles(1, 2)))));
        assertTrue(e.getMessage().contains("t.npy: header declares shape [100]") && e.getMessage().contains("truncated"), e.getMessage());
        e = assertThrows(NumpyFormatException.class, () -> NumpyReader.read(file("txt.npy", "hello".getBytes(StandardCharsets.US_ASCII))));
        assertTrue(e.getMessage().contains("txt.npy: not a NumPy .npy array"), e.getMessage());
    }

    @Test
    void aHugeDeclaredShapeIsRefusedBeforeAllocating() throws Exception
    {
        final NumpyFormatException e = assertThrows(NumpyFormatException.class,
            () -> NumpyReader.read(file("huge.npy", npy("<f4", "(60000, 1000, 1000)", new byte[16]))));
        assertTrue(e.getMessage().contains("huge.npy: shape [60000, 1000, 1000] exceeds a Java array"), e.getMessage());
        final NumpyFormatException heap = assertThrows(NumpyFormatException.class,
            () -> NumpyReader.read(file("big.npy", npy("<f8", "(2000, 1000, 1000)", new byte[16]))));
        assertTrue(heap.getMessage().contains("big.npy: shape [2000, 1000, 1000] needs") && heap.getMessage().contains("Java heap"),
            heap.getMessage());
    }

    @Test
    void readsNpzArchivesStoredAndCompressed() throws Exception
    {
        for (final boolean compressed : new boolean[] {false, true})
        {
            final Path p = dir.resolve("data" + compressed + ".npz");
            try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(p)))
            {
                put(zip, "x.npy", npy("<f4", "(2, 2)", floats(ByteOrder.LITTLE_ENDIAN, 1, 2, 3, 4)), compressed);
                put(zip, "y.npy", npy("<i8", "(2,)", longs(1, 0)), compressed);
            }
            assertEquals(List.of("x", "y"), NumpyReader.names(p));
            final NumpyArray x = NumpyReader.read(p, "x");
            assertEquals(p + ":x", x.source());
            assertArrayEquals(new float[] {1, 2, 3, 4}, x.toFloatArray());
            assertArrayEquals(new int[] {1, 0}, NumpyReader.read(p, "y").toIntArray());
            final NumpyFormatException e = assertThrows(NumpyFormatException.class, () -> NumpyReader.read(p, "z"));
            assertTrue(e.getMessage().contains("no array 'z'; it holds [x, y]"), e.getMessage());
            final NumpyFormatException two = assertThrows(NumpyFormatException.class, () -> NumpyReader.read(p));
            assertTrue(two.getMessage().contains("holds arrays [x, y]; name the one to use"), two.getMessage());
        }
    }

    @Test
    void whatNumpyWriterWritesReadsBack() throws Exception
    {
        final Path p = dir.resolve("out/v.npy");
        NumpyWriter.write(p, new float[] {1, 2, 3, 4, 5, 6}, new int[] {2, 3});
        final NumpyArray a = NumpyReader.read(p);
        assertArrayEquals(new int[] {2, 3}, a.shape());
        assertArrayEquals(new float[] {1, 2, 3, 4, 5, 6}, a.toFloatArray());
        NumpyWriter.write(p, new int[] {7, 8}, new int[] {2});
        assertArrayEquals(new int[] {7, 8}, NumpyReader.readLabels(p));
    }

    private static void put(final ZipOutputStream zip, final String name, final byte[] bytes, final boolean compressed) throws IOException
    {
        final ZipEntry e = new ZipEntry(name);
        if (!compressed)
        {
            e.setMethod(ZipEntry.STORED);
            e.setSize(bytes.length);
            final CRC32 crc = new CRC32();
            crc.update(bytes);
            e.setCrc(crc.getValue());
        }
        zip.putNextEntry(e);
        final OutputStream out = zip;
        out.write(bytes);
        zip.closeEntry();
    }
}
