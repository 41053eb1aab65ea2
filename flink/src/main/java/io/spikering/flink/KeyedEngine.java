package io.spikering.flink;

import io.spikering.core.stream.StreamModel;

import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;

import java.io.IOException;

/**
 * One model instance serving many keys, each key's state held outside it as bytes: the engine's snapshot
 * ({@link StreamModel#writeState}, the model state of {@code stream run}'s snapshot files) followed by the key's next
 * input ordinal. {@link #process} restores the key's bytes (skipped while consecutive records share a key), does
 * what {@code stream run --on-bad-sample skip} does for one input, and writes the bytes back in place. Allocates
 * nothing when {@code out.values} already has the model's width.
 */
public final class KeyedEngine implements AutoCloseable
{
    private static final byte STATUS_OK = 0;
    private static final byte STATUS_SKIPPED = 1;
    private static final int SEQUENCE_START = 1;
    private static final float[] NONE = new float[0];

    private final StreamModel model;
    private final DataOutputSerializer out;
    private final DataInputDeserializer in = new DataInputDeserializer();
    private final byte[] fresh;
    /** The key whose state the engine holds now (null: none). */
    private String resident;
    private long ordinal;

    public KeyedEngine(final StreamModel model) throws IOException
    {
        this.model = model;
        this.out = new DataOutputSerializer(model.simulator().stateSize() + 64);
        model.writeState(out);
        out.writeLong(0);
        this.fresh = out.getCopyOfBuffer();
    }

    /** The state bytes of a key not seen before: the model as opened, next input 0. */
    public byte[] freshState()
    {
        return fresh.clone();
    }

    /** Steps {@code key}'s model on {@code s} (state in {@code bytes}, updated in place) and fills {@code o}. */
    public void process(final String key, final byte[] bytes, final Sample s, final Output o) throws IOException
    {
        if (!key.equals(resident))
        {
            in.setBuffer(bytes);
            model.readState(in);
            ordinal = in.readLong();
            resident = key;
        }
        o.key = key;
        o.input = ordinal;
        o.createdNanos = s.createdNanos;
        if (s.error != null)
        {
            o.status = STATUS_SKIPPED;
            o.synops = 0;
            o.rowAdds = 0;
            o.macs = 0;
            o.values = NONE;
        }
        else
        {
            if ((s.flags & SEQUENCE_START) != 0)
            {
                model.startSequence();
            }
            final double[] y = model.step(s.value);
            o.status = STATUS_OK;
            o.synops = model.lastSynops();
            o.rowAdds = model.lastRowAdds();
            o.macs = model.lastMacs();
            if (o.values == null || o.values.length != y.length)
            {
                o.values = new float[y.length];
            }
            for (int i = 0; i < y.length; i++)
            {
                o.values[i] = (float)y[i];
            }
        }
        ordinal++;
        out.clear();
        model.writeState(out);
        out.writeLong(ordinal);
        if (out.length() != bytes.length)
        {
            throw new IllegalStateException("key " + key + ": state of " + bytes.length + " bytes, this model's is " + out.length() +
                " (a state written by another model?)");
        }
        System.arraycopy(out.getSharedBuffer(), 0, bytes, 0, bytes.length);
    }

    public void close()
    {
        model.close();
    }
}
