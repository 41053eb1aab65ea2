package io.spikering.core.stream;

import net.openhft.chronicle.bytes.Bytes;

/**
 * Byte layout of one input excerpt (one time step of one stream), little-endian, as documented in
 * docs/streaming.md: magic "SI" (0x4953 as int16), version 2, flags, stream id (int32), sequence number (int64),
 * timestamp (int64 epoch nanos), label (int32, −1 if none), vector length n (int32), n float32 values, CRC32C of all
 * preceding bytes (int32). Version 1 (no checksum) is refused.
 */
public final class SampleWire
{
    public static final short MAGIC = 0x4953;
    public static final byte VERSION = 2;
    /** First sample of a sequence: models that reset at sequence boundaries reset before it. */
    public static final int FLAG_SEQUENCE_START = 1;
    /** Last sample of a sequence. */
    public static final int FLAG_SEQUENCE_END = 2;
    /** Last sample of the stream: {@code stream run} stops after it. */
    public static final int FLAG_END_OF_STREAM = 4;
    public static final int HEADER_BYTES = 32;
    /** Header, no values, checksum. */
    public static final int MIN_BYTES = HEADER_BYTES + Integer.BYTES;
    public static final int MAX_VALUES = 1 << 20;

    private SampleWire()
    {
    }

    public static void write(final Bytes<?> bytes, final WireChecksum checksum, final int flags, final int streamId, final long sequence,
        final long timestampNanos, final int label, final float[] values, final int n)
    {
        final long start = bytes.writePosition();
        bytes.writeShort(MAGIC);
        bytes.writeByte(VERSION);
        bytes.writeByte((byte)flags);
        bytes.writeInt(streamId);
        bytes.writeLong(sequence);
        bytes.writeLong(timestampNanos);
        bytes.writeInt(label);
        bytes.writeInt(n);
        for (int i = 0; i < n; i++)
        {
            bytes.writeFloat(values[i]);
        }
        checksum.append(bytes, start);
    }

    /** A decoded input excerpt; {@link #read} fills it in place (no allocation unless the vector grows). */
    public static final class Sample
    {
        public int flags;
        public int streamId;
        public long sequence;
        public long timestampNanos;
        public int label;
        public int length;
        public float[] values = new float[16];
        private final WireChecksum checksum = new WireChecksum();

        public boolean sequenceStart()
        {
            return (flags & FLAG_SEQUENCE_START) != 0;
        }

        public boolean endOfStream()
        {
            return (flags & FLAG_END_OF_STREAM) != 0;
        }
    }

    /**
     * Decodes one excerpt into {@code into}; returns null if well-formed, else a description of what is wrong
     * (the caller adds the excerpt index).
     */
    public static String read(final Bytes<?> bytes, final Sample into)
    {
        final long available = bytes.readRemaining();
        if (available < MIN_BYTES)
        {
            return "excerpt has " + available + " bytes, an input sample needs at least " + MIN_BYTES;
        }
        final String wrong = Queues.checkVersion(bytes, MAGIC, VERSION, "input sample", "stream feed");
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
        into.flags = bytes.readByte() & 0xff;
        into.streamId = bytes.readInt();
        into.sequence = bytes.readLong();
        into.timestampNanos = bytes.readLong();
        into.label = bytes.readInt();
        final int n = bytes.readInt();
        if (n < 0 || n > MAX_VALUES || (long)n * Float.BYTES + Integer.BYTES != bytes.readRemaining())
        {
            return "vector length field " + n + " does not match the " + bytes.readRemaining() + " bytes left (values and checksum)";
        }
        if (into.values.length < n)
        {
            into.values = new float[Math.max(n, into.values.length * 2)];
        }
        for (int i = 0; i < n; i++)
        {
            into.values[i] = bytes.readFloat();
        }
        into.length = n;
        return null;
    }
}
