package io.spikering.flink;

import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.PrimitiveArrayTypeInfo;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

import java.io.IOException;

/**
 * Each key runs its own instance of the model: its state lives in Flink keyed state ({@code ValueState<byte[]>}, the
 * bytes of {@link KeyedEngine}: the engine's snapshot and the key's next input ordinal), checkpointed with the job
 * and restored on failover. One {@link KeyedEngine} per parallel task serves all its keys. A malformed input yields a
 * skipped output (as {@code stream run --on-bad-sample skip}) and a {@link #REJECTED} record with the reason.
 */
public final class ModelFunction extends KeyedProcessFunction<String, Sample, Output>
{
    private static final long serialVersionUID = 1L;
    public static final OutputTag<Rejected> REJECTED = new OutputTag<>("rejected", TypeInformation.of(Rejected.class));

    private final ModelSpec spec;
    private transient KeyedEngine engine;
    private transient ValueState<byte[]> state;

    public ModelFunction(final ModelSpec spec)
    {
        this.spec = spec;
    }

    public void open(final OpenContext context) throws IOException
    {
        engine = new KeyedEngine(spec.open());
        state = getRuntimeContext().getState(new ValueStateDescriptor<>("engine-snapshot", PrimitiveArrayTypeInfo.BYTE_PRIMITIVE_ARRAY_TYPE_INFO));
    }

    public void processElement(final Sample s, final Context ctx, final Collector<Output> collector) throws Exception
    {
        byte[] bytes = state.value();
        if (bytes == null)
        {
            bytes = engine.freshState();
        }
        final Output o = new Output();
        engine.process(ctx.getCurrentKey(), bytes, s, o);
        // in place: the heap backend hands out a copy of a value that a running snapshot still needs
        state.update(bytes);
        if (s.error != null)
        {
            final Rejected r = new Rejected();
            r.key = o.key;
            r.input = o.input;
            r.reason = s.error;
            r.raw = s.raw;
            ctx.output(REJECTED, r);
        }
        collector.collect(o);
    }

    public void close()
    {
        if (engine != null)
        {
            engine.close();
        }
    }
}
