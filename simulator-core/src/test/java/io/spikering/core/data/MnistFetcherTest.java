package io.spikering.core.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MnistFetcherTest
{
    @TempDir
    Path dir;

    @Test
    void sha256OfKnownString()
    {
        assertEquals("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
            MnistFetcher.sha256("abc".getBytes(StandardCharsets.US_ASCII)));
    }

    @Test
    void fromDirectoryRejectsWrongFileNamingIt() throws IOException
    {
        for (final MnistFile f : MnistFile.values())
        {
            Files.write(dir.resolve(f.fileName()), IdxReaderTest.idx(0x08, new int[] {3}, 3));
        }
        final IOException e = assertThrows(IOException.class, () -> MnistFetcher.fromDirectory(dir));
        assertTrue(e.getMessage().contains("train-images-idx3-ubyte") && e.getMessage().contains("SHA-256"),
            e.getMessage());
    }

    @Test
    void fromDirectoryReportsMissingFile() throws IOException
    {
        final IOException e = assertThrows(IOException.class, () -> MnistFetcher.fromDirectory(dir));
        assertTrue(e.getMessage().contains("not found"), e.getMessage());
        final IOException notDir = assertThrows(IOException.class, () -> MnistFetcher.fromDirectory(dir.resolve("x")));
        assertTrue(notDir.getMessage().contains("not a directory"), notDir.getMessage());
    }

    @Test
    void emptyCacheIsIncompleteAndLoadSaysHowToFetch() throws IOException
    {
        final MnistFetcher fetcher = new MnistFetcher(dir, new PrintStream(new ByteArrayOutputStream()));
        assertFalse(fetcher.isComplete());
        final IOException e = assertThrows(IOException.class, () -> MnistDataset.load(dir));
        assertTrue(e.getMessage().contains("./spikering data fetch mnist"), e.getMessage());
    }

    @Test
    void tarReaderExtractsWantedEntriesOnly() throws IOException
    {
        final ByteArrayOutputStream tar = new ByteArrayOutputStream();
        tar.write(header("package/a.txt", 3));
        tar.write(pad("abc".getBytes(StandardCharsets.US_ASCII)));
        tar.write(header("package/data/b", 600));
        tar.write(pad(new byte[600]));
        tar.write(new byte[1024]);
        final Map<String, byte[]> m = TarReader.read(new ByteArrayInputStream(tar.toByteArray()),
            Set.of("package/data/b"), "test.tar", 1000);
        assertEquals(Set.of("package/data/b"), m.keySet());
        assertArrayEquals(new byte[600], m.get("package/data/b"));

        final byte[] truncated = java.util.Arrays.copyOf(tar.toByteArray(), 512 + 512 + 100);
        assertThrows(IOException.class, () -> TarReader.read(new ByteArrayInputStream(truncated),
            Set.of("package/data/b"), "cut.tar", 1000));
        // an entry longer than the caller expects is refused by its header, before its bytes are read
        assertTrue(assertThrows(IOException.class, () -> TarReader.read(new ByteArrayInputStream(tar.toByteArray()),
            Set.of("package/data/b"), "big.tar", 599)).getMessage().contains("too large: 600 bytes"));
        final byte[] corrupt = tar.toByteArray();
        corrupt[3] ^= 1;
        assertTrue(assertThrows(IOException.class, () -> TarReader.read(new ByteArrayInputStream(corrupt),
            Set.of(), "bad.tar", 1000)).getMessage().contains("checksum"));
    }

    private static byte[] pad(final byte[] data)
    {
        return java.util.Arrays.copyOf(data, (data.length + 511) / 512 * 512);
    }

    private static byte[] header(final String name, final int size)
    {
        final byte[] h = new byte[512];
        final byte[] n = name.getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(n, 0, h, 0, n.length);
        put(h, 100, "0000644");
        put(h, 124, String.format("%011o", size));
        h[156] = '0';
        put(h, 257, "ustar");
        java.util.Arrays.fill(h, 148, 156, (byte)' ');
        long sum = 0;
        for (final byte b : h)
        {
            sum += b & 0xFF;
        }
        put(h, 148, String.format("%06o", sum));
        h[154] = 0;
        return h;
    }

    private static void put(final byte[] h, final int off, final String s)
    {
        final byte[] b = s.getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(b, 0, h, off, b.length);
    }
}
