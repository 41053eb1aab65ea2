package io.spikering.core.data;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Minimal reader of POSIX ustar archives (as written by {@code npm pack}): 512-byte headers, octal
 * sizes, data padded to 512 bytes. Regular files whose names are wanted are returned; everything else
 * (directories, pax headers) is skipped.
 */
final class TarReader
{
    private static final int BLOCK = 512;

    private TarReader()
    {
    }

    /**
     * Reads the regular files named in {@code wanted} (full path inside the archive) from a tar stream; a wanted entry
     * longer than {@code maxEntryBytes} is refused by its header's size, before it is read.
     */
    static Map<String, byte[]> read(final InputStream in, final Set<String> wanted, final String archiveName, final long maxEntryBytes)
        throws IOException
    {
        final Map<String, byte[]> found = new LinkedHashMap<>();
        final byte[] header = new byte[BLOCK];
        while (true)
        {
            if (!readFully(in, header))
            {
                throw new IOException("tar archive " + archiveName + " ends without the end-of-archive blocks (truncated)");
            }
            if (isZero(header))
            {
                return found;
            }
            verifyChecksum(header, archiveName);
            String name = field(header, 0, 100);
            final String prefix = field(header, 345, 155);
            if (!prefix.isEmpty() && "ustar".equals(field(header, 257, 5)))
            {
                name = prefix + "/" + name;
            }
            final long size = octal(header, 124, 12, archiveName, name);
            final byte type = header[156];
            final boolean regular = type == '0' || type == 0;
            if (regular && wanted.contains(name))
            {
                if (size > Math.min(maxEntryBytes, Integer.MAX_VALUE - 8))
                {
                    throw new IOException("tar entry " + name + " in " + archiveName + " is too large: " + size + " bytes, more than the "
                        + maxEntryBytes + " expected");
                }
                final byte[] data = new byte[(int)size];
                if (!readFully(in, data))
                {
                    throw new IOException("tar entry " + name + " in " + archiveName + " is truncated");
                }
                found.put(name, data);
                skip(in, padding(size), archiveName);
            }
            else
            {
                skip(in, size + padding(size), archiveName);
            }
        }
    }

    private static long padding(final long size)
    {
        return (BLOCK - size % BLOCK) % BLOCK;
    }

    private static void verifyChecksum(final byte[] h, final String archiveName) throws IOException
    {
        long sum = 0;
        for (int i = 0; i < BLOCK; i++)
        {
            sum += (i >= 148 && i < 156) ? ' ' : (h[i] & 0xFF);
        }
        final long stored = octal(h, 148, 8, archiveName, "header");
        if (stored != sum)
        {
            throw new IOException("tar archive " + archiveName + " has a header with a bad checksum (corrupt archive)");
        }
    }

    private static String field(final byte[] h, final int off, final int len)
    {
        int end = off;
        while (end < off + len && h[end] != 0)
        {
            end++;
        }
        return new String(h, off, end - off, StandardCharsets.UTF_8);
    }

    private static long octal(final byte[] h, final int off, final int len, final String archive, final String entry)
        throws IOException
    {
        long v = 0;
        for (int i = off; i < off + len; i++)
        {
            final byte b = h[i];
            if (b == 0 || b == ' ')
            {
                continue;
            }
            if (b < '0' || b > '7')
            {
                throw new IOException("tar archive " + archive + ": bad octal field in the header of " + entry);
            }
            v = (v << 3) + (b - '0');
        }
        return v;
    }

    private static boolean isZero(final byte[] b)
    {
        for (final byte x : b)
        {
            if (x != 0)
            {
                return false;
            }
        }
        return true;
    }

    private static boolean readFully(final InputStream in, final byte[] buf) throws IOException
    {
        int off = 0;
        while (off < buf.length)
        {
            final int n = in.read(buf, off, buf.length - off);
            if (n < 0)
            {
                return false;
            }
            off += n;
        }
        return true;
    }

    private static void skip(final InputStream in, final long n, final String archiveName) throws IOException
    {
        final byte[] buf = new byte[8192];
        long left = n;
        while (left > 0)
        {
            final int r = in.read(buf, 0, (int)Math.min(buf.length, left));
            if (r < 0)
            {
                throw new IOException("tar archive " + archiveName + " is truncated");
            }
            left -= r;
        }
    }
}
