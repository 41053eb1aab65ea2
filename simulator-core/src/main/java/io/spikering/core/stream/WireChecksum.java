package io.spikering.core.stream;

import net.openhft.chronicle.bytes.Bytes;

import java.util.zip.CRC32C;

/**
 * The CRC32C that ends every input and output excerpt (docs/streaming.md, "Wire format"), computed without
 * allocating: the excerpt's bytes are copied into a reusable array, so one instance serves one thread.
 */
public final class WireChecksum
{
    private final CRC32C crc = new CRC32C();
    private byte[] scratch = new byte[256];

    /** CRC32C of {@code length} bytes of {@code bytes} from absolute offset {@code from}. */
    public int of(final Bytes<?> bytes, final long from, final int length)
    {
        if (scratch.length < length)
        {
            scratch = new byte[Math.max(length, scratch.length * 2)];
        }
        bytes.read(from, scratch, 0, length);
        crc.reset();
        crc.update(scratch, 0, length);
        return (int)crc.getValue();
    }

    /** Appends the CRC32C of everything written since {@code start}. */
    void append(final Bytes<?> bytes, final long start)
    {
        bytes.writeInt(of(bytes, start, (int)(bytes.writePosition() - start)));
    }

    /**
     * Checks the trailer of the excerpt between the read position and the read limit; null if it matches, else what is
     * wrong. Leaves the read position where it was.
     */
    String verify(final Bytes<?> bytes)
    {
        final long start = bytes.readPosition();
        final int length = (int)(bytes.readLimit() - start - Integer.BYTES);
        final int stored = bytes.readInt(start + length);
        final int computed = of(bytes, start, length);
        return stored == computed ? null : String.format("checksum mismatch (CRC32C stored 0x%08x, computed 0x%08x): the excerpt is damaged",
            stored, computed);
    }
}
