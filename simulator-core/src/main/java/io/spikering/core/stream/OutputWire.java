package io.spikering.core.stream;

import net.openhft.chronicle.bytes.Bytes;

/**
 * Byte layout of one output excerpt, little-endian (docs/streaming.md): magic "SO" (0x4f53), version 1, status
 * (0 ok, 1 bad input skipped), input ordinal (int64, 0-based position of the input excerpt in its queue), input
 * sequence number (int64), input timestamp (int64), stream id (int32), input flags (int32), synops, row adds,
 * effective MACs of this step (3 × int64), value count m (int32), m float32 values.
 * Everything in it is a deterministic function of the input queue and the model, so a resumed run writes the
 * same bytes as an uninterrupted one.
 */
public final class OutputWire
{
    public static final short MAGIC = 0x4f53;
    public static final byte VERSION = 1;
    public static final byte STATUS_OK = 0;
    public static final byte STATUS_SKIPPED = 1;
    public static final int HEADER_BYTES = 64;

    private OutputWire()
    {
    }

    public static void write(final Bytes<?> bytes, final byte status, final long inputOrdinal, final long sequence,
        final long timestampNanos, final int streamId, final int flags, final long synops, final long rowAdds,
        final long macs, final double[] values, final int m)
    {
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
    }

    /** Decodes; null if well-formed, else what is wrong. */
    public static String read(final Bytes<?> bytes, final Output into)
    {
        if (bytes.readRemaining() < HEADER_BYTES)
        {
            return "excerpt has " + bytes.readRemaining() + " bytes, an output needs at least " + HEADER_BYTES;
        }
        final short magic = bytes.readShort();
        final byte version = bytes.readByte();
        if (magic != MAGIC || version != VERSION)
        {
            return String.format("not an output (magic 0x%04x version %d)", magic & 0xffff, version);
        }
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
        if (m < 0 || (long)m * Float.BYTES != bytes.readRemaining())
        {
            return "value count " + m + " does not match the " + bytes.readRemaining() + " payload bytes left";
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
