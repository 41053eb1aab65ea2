package io.spikering.flink;

import io.spikering.core.stream.StreamModel;

import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.PrimitiveArrayTypeInfo;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

import java.io.IOException;

/**
 * Each key runs its own instance of the model: its state lives in Flink keyed state as the engine's snapshot bytes
 * ({@link StreamModel#writeState}, the model state {@code stream run} puts in its snapshot files) followed by the
 * key's next input ordinal. One engine instance per parallel task serves all its keys: before a step it restores
 * the key's bytes (skipped while consecutive records share a key), after the step it writes them back in place.
 * Per input it does what {@code stream run --on-bad-sample skip} does, so the outputs are the same bit for bit: a
 * sequence start resets the model, a malformed input yields a skipped output (and a {@link #REJECTED} record with
 * the reason) without stepping.
 */
public final class ModelFunction extends KeyedProcessFunction<String, Sample, Output>
{
    private static final long serialVersionUID = 1L;
    public static final OutputTag<Rejected> REJECTED = new OutputTag<>("rejected", TypeInformation.of(Rejected.class));
    private static final byte STATUS_OK = 0;
    private static final byte STATUS_SKIPPED = 1;
    private static final int SEQUENCE_START = 1;
    private static final float[] NONE = new float[0];

    private final ModelSpec spec;
    private transient StreamModel model;
    private transient ValueState<byte[]> state;
    private transient DataOutputSerializer out;
    private transient DataInputDeserializer in;
    private transient byte[] fresh;
    /** The key whose state the engine holds now (null: none). */
    private transient String resident;
    private transient long ordinal;

    public ModelFunction(final ModelSpec spec)
    {
        this.spec = spec;
    }

    public void open(final OpenContext context) throws IOException
    {
        model = spec.open();
        state = getRuntimeContext().getState(new ValueStateDescriptor<>("engine-snapshot", PrimitiveArrayTypeInfo.BYTE_PRIMITIVE_ARRAY_TYPE_INFO));
        out = new DataOutputSerializer(model.simulator().stateSize() + 64);
        in = new DataInputDeserializer();
        model.writeState(out);
        out.writeLong(0);
        fresh = out.getCopyOfBuffer();
        resident = null;
    }

    public void processElement(final Sample s, final Context ctx, final Collector<Output> collector) throws Exception
    {
        final String key = ctx.getCurrentKey();
        byte[] bytes = state.value();
        if (bytes == null)
        {
            bytes = fresh.clone();
            restore(bytes);
        }
        else if (!key.equals(resident))
        {
            restore(bytes);
        }
        resident = key;
        final Output o = new Output();
        o.key = key;
        o.input = ordinal;
        o.createdNanos = s.createdNanos;
        if (s.error != null)
        {
            o.status = STATUS_SKIPPED;
            o.values = NONE;
            final Rejected r = new Rejected();
            r.key = key;
            r.input = ordinal;
            r.reason = s.error;
            r.raw = s.raw;
            ctx.output(REJECTED, r);
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
            o.values = new float[y.length];
            for (int i = 0; i < y.length; i++)
            {
                o.values[i] = (float)y[i];
            }
        }
        ordinal++;
        save(bytes);
        collector.collect(o);
    }

    private void restore(final byte[] bytes) throws IOException
    {
        in.setBuffer(bytes);
        model.readState(in);
        ordinal = in.readLong();
    }

    private void save(final byte[] bytes) throws IOException
    {
        out.clear();
        model.writeState(out);
        out.writeLong(ordinal);
        // the same model always writes the same number of bytes; in place, so a key costs no allocation per record (the
        // heap backend copies a value before a running snapshot could see it change)
        if (out.length() != bytes.length)
        {
            throw new IllegalStateException("engine snapshot changed size: " + out.length() + " vs " + bytes.length + " bytes");
        }
        System.arraycopy(out.getSharedBuffer(), 0, bytes, 0, bytes.length);
        state.update(bytes);
    }

    public void close()
    {
        if (model != null)
        {
            model.close();
        }
    }
}
