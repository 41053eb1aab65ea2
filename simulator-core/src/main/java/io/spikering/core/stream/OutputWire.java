package io.spikering.core.stream;

import net.openhft.chronicle.bytes.Bytes;

/**
 * Byte layout of one output excerpt, little-endian (docs/streaming.md): magic "SO" (0x4f53), version 2, status
 * (0 ok, 1 bad input skipped), input ordinal (int64, 0-based position of the input excerpt in its queue), input
 * sequence number (int64), input timestamp (int64), stream id (int32), input flags (int32), synops, row adds,
 * effective MACs of this step (3 × int64), value count m (int32), m float32 values, CRC32C of all preceding bytes (int32).
 * Everything in it is a deterministic function of the input queue and the model, so a resumed run writes the
 * same bytes as an uninterrupted one.
 */
public final class OutputWire
{
    public static final short MAGIC = 0x4f53;
    public static final byte VERSION = 2;
    public static final byte STATUS_OK = 0;
    public static final byte STATUS_SKIPPED = 1;
    public static final int HEADER_BYTES = 64;
    /** Header, no values, checksum. */
    public static final int MIN_BYTES = HEADER_BYTES + Integer.BYTES;

    private OutputWire()
    {
    }

    public static void write(final Bytes<?> bytes, final WireChecksum checksum, final byte status, final long inputOrdinal, final long sequence,
        final long timestampNanos, final int streamId, final int flags, final long synops, final long rowAdds,
        final long macs, final double[] values, final int m)
    {
        final long start = bytes.writePosition();
        bytes.writeShort(MAGIC);
        bytes.writeByte(VERSION);
        bytes.writeByte(status);
        bytes.writeLong(inputOrdinal);
        bytes.writeLong(sequence);
        bytes.writeLong(timestampNanos);
        bytes.writeInt(streamId);
        bytes.writeInt(flags);
        bytes.writeLong(synops);
        bytes.writeLong(rowAdds);
        bytes.writeLong(macs);
        bytes.writeInt(m);
        for (int i = 0; i < m; i++)
        {
            bytes.writeFloat((float)values[i]);
        }
        checksum.append(bytes, start);
    }

    /** A decoded output excerpt. */
    public static final class Output
    {
        public int status;
        public long inputOrdinal;
        public long sequence;
        public long timestampNanos;
        public int streamId;
        public int flags;
        public long synops;
        public long rowAdds;
        public long macs;
        public int length;
        public float[] values = new float[16];
        private final WireChecksum checksum = new WireChecksum();
    }

    /** Decodes; null if well-formed, else what is wrong. */
    public static String read(final Bytes<?> bytes, final Output into)
    {
        if (bytes.readRemaining() < MIN_BYTES)
        {
            return "excerpt has " + bytes.readRemaining() + " bytes, an output needs at least " + MIN_BYTES;
        }
        final String wrong = Queues.checkVersion(bytes, MAGIC, VERSION, "output", "stream run");
        if (wrong != null)
        {
            return wrong;
        }
        final String damaged = into.checksum.verify(bytes);
        if (damaged != null)
        {
            return damaged;
        }
        bytes.readSkip(3);
        into.status = bytes.readByte();
        into.inputOrdinal = bytes.readLong();
        into.sequence = bytes.readLong();
        into.timestampNanos = bytes.readLong();
        into.streamId = bytes.readInt();
        into.flags = bytes.readInt();
        into.synops = bytes.readLong();
        into.rowAdds = bytes.readLong();
        into.macs = bytes.readLong();
        final int m = bytes.readInt();
        if (m < 0 || (long)m * Float.BYTES + Integer.BYTES != bytes.readRemaining())
        {
            return "value count " + m + " does not match the " + bytes.readRemaining() + " bytes left (values and checksum)";
        }
        if (into.values.length < m)
        {
            into.values = new float[Math.max(m, into.values.length * 2)];
        }
        for (int i = 0; i < m; i++)
        {
            into.values[i] = bytes.readFloat();
        }
        into.length = m;
        return null;
    }
}
