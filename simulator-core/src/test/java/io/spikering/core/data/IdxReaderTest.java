package io.spikering.core.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IdxReaderTest
{
    @TempDir
    Path dir;

    static byte[] idx(final int type, final int[] dims, final int dataBytes)
    {
        final ByteBuffer b = ByteBuffer.allocate(4 + 4 * dims.length + dataBytes);
        b.put((byte)0).put((byte)0).put((byte)type).put((byte)dims.length);
        for (final int d : dims)
        {
            b.putInt(d);
        }
        for (int i = 0; i < dataBytes; i++)
        {
            b.put((byte)i);
        }
        return b.array();
    }

    private Path write(final String name, final byte[] bytes) throws IOException
    {
        return Files.write(dir.resolve(name), bytes);
    }

    @Test
    void readsValidFilePlainAndGzipped() throws IOException
    {
        final byte[] bytes = idx(0x08, new int[] {2, 3, 4}, 24);
        final IdxReader.IdxArray a = IdxReader.read(write("ok", bytes));
        assertArrayEquals(new int[] {2, 3, 4}, a.dims());
        assertEquals(24, a.elementCount());
        assertArrayEquals(Arrays.copyOfRange(bytes, 16, 40), a.data());

        final ByteArrayOutputStream gz = new ByteArrayOutputStream();
        try (GZIPOutputStream out = new GZIPOutputStream(gz))
        {
            out.write(bytes);
        }
        assertArrayEquals(a.data(), IdxReader.read(write("ok.gz", gz.toByteArray())).data());
    }

    @Test
    void truncatedDataNamesFileAndSizes() throws IOException
    {
        final byte[] bytes = idx(0x08, new int[] {2, 3, 4}, 24);
        final Path p = write("short", Arrays.copyOf(bytes, bytes.length - 1));
        final IOException e = assertThrows(IOException.class, () -> IdxReader.read(p));
        assertTrue(e.getMessage().contains(p.toString()), e.getMessage());
        assertTrue(e.getMessage().contains("truncated") && e.getMessage().contains("40") &&
            e.getMessage().contains("39"), e.getMessage());
    }

    @Test
    void truncatedHeader() throws IOException
    {
        final Path p = write("hdr", Arrays.copyOf(idx(0x08, new int[] {2, 3, 4}, 24), 10));
        assertTrue(assertThrows(IOException.class, () -> IdxReader.read(p)).getMessage().contains("header"));
        final Path tiny = write("tiny", new byte[] {0, 0});
        assertTrue(assertThrows(IOException.class, () -> IdxReader.read(tiny)).getMessage().contains("magic"));
    }

    @Test
    void trailingBytes() throws IOException
    {
        final byte[] bytes = idx(0x08, new int[] {5}, 5);
        final Path p = write("long", Arrays.copyOf(bytes, bytes.length + 3));
        assertTrue(assertThrows(IOException.class, () -> IdxReader.read(p)).getMessage().contains("trailing"));
    }

    @Test
    void wrongMagicAndType() throws IOException
    {
        final byte[] bytes = idx(0x08, new int[] {5}, 5);
        bytes[0] = 0x1;
        final Path p = write("magic", bytes);
        assertTrue(assertThrows(IOException.class, () -> IdxReader.read(p)).getMessage().contains("wrong magic"));
        final Path f = write("float", idx(0x0D, new int[] {1}, 4));
        assertTrue(assertThrows(IOException.class, () -> IdxReader.read(f)).getMessage().contains("0x0d"));
    }

    @Test
    void wrongDimensionsForMnist() throws IOException
    {
        final Path p = write("img", idx(0x08, new int[] {2, 28, 27}, 2 * 28 * 27));
        final IOException e = assertThrows(IOException.class, () -> IdxReader.readImages(p, 2, 28, 28));
        assertTrue(e.getMessage().contains("[2, 28, 27]"), e.getMessage());
        final byte[] labels = idx(0x08, new int[] {3}, 0);
        final byte[] withData = Arrays.copyOf(labels, labels.length + 3);
        withData[labels.length + 2] = 10;
        final Path l = write("lab", withData);
        assertTrue(assertThrows(IOException.class, () -> IdxReader.readLabels(l, 3, 10)).getMessage()
            .contains("label 10 at index 2"));
    }

    @Test
    void truncatedGzip() throws IOException
    {
        final ByteArrayOutputStream gz = new ByteArrayOutputStream();
        try (GZIPOutputStream out = new GZIPOutputStream(gz))
        {
            out.write(idx(0x08, new int[] {1000}, 1000));
        }
        final byte[] full = gz.toByteArray();
        final Path p = write("cut.gz", Arrays.copyOf(full, full.length / 2));
        final IOException e = assertThrows(IOException.class, () -> IdxReader.read(p));
        assertTrue(e.getMessage().contains(p.toString()), e.getMessage());
    }

    @Test
    void missingFile()
    {
        final IOException e = assertThrows(IOException.class, () -> IdxReader.read(dir.resolve("nope")));
        assertTrue(e.getMessage().contains("nope"));
    }

    @Test
    void fileLargerThanMemoryAllowsIsRefusedBySizeBeforeReading() throws IOException
    {
        // a sparse 3 GB file: nothing is read, the size alone refuses it (it would be an OutOfMemoryError otherwise)
        final Path huge = dir.resolve("huge-idx3-ubyte");
        try (java.io.RandomAccessFile f = new java.io.RandomAccessFile(huge.toFile(), "rw"))
        {
            f.setLength(3_000_000_000L);
        }
        final IOException e = assertThrows(IOException.class, () -> IdxReader.read(huge));
        assertTrue(e.getMessage().contains("huge-idx3-ubyte has 3000000000 bytes, more than the " + IdxReader.maxBytes() + " allowed"),
            e.getMessage());
        assertTrue(e.getMessage().contains("-Xmx"), e.getMessage());
        final IOException dirError = assertThrows(IOException.class, () -> IdxReader.read(dir));
        assertTrue(dirError.getMessage().contains("is a directory, not a file"), dirError.getMessage());
        final IOException absent = assertThrows(IOException.class, () -> IdxReader.read(dir.resolve("absent")));
        assertTrue(absent.getMessage().contains("does not exist"), absent.getMessage());
    }

    @Test
    void gzipBombStopsAtTheLimitWhileInflating() throws IOException
    {
        // 64 MiB of zeros compress to about 64 kB; with a 1 MiB limit inflating stops after 1 MiB + 1 byte
        final ByteArrayOutputStream gz = new ByteArrayOutputStream();
        try (GZIPOutputStream out = new GZIPOutputStream(gz))
        {
            final byte[] zeros = new byte[1 << 20];
            for (int i = 0; i < 64; i++)
            {
                out.write(zeros);
            }
        }
        final Path bomb = write("bomb.gz", gz.toByteArray());
        assertTrue(Files.size(bomb) < (1 << 20));
        final IOException e = assertThrows(IOException.class, () -> IdxReader.readMaybeGzipped(bomb, 1 << 20, "test limit"));
        assertTrue(e.getMessage().contains("inflates to more than 1048576 bytes (test limit)"), e.getMessage());
        // MNIST's own files: the limit is the genuine file's length
        final Path mnistDir = Files.createDirectories(dir.resolve("from"));
        Files.write(mnistDir.resolve(MnistFile.TRAIN_IMAGES.fileName() + ".gz"), gz.toByteArray());
        final IOException m = assertThrows(IOException.class, () -> MnistFetcher.fromDirectory(mnistDir));
        assertTrue(m.getMessage().contains("inflates to more than " + MnistFile.TRAIN_IMAGES.length() + " bytes"), m.getMessage());
    }
}
