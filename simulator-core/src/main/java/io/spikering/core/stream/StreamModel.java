package io.spikering.core.stream;

import io.spikering.core.engine.OpCounter;
import io.spikering.core.engine.Simulator;
import io.spikering.core.lmu.LmuFile;
import io.spikering.core.lmu.LmuModelNetwork;
import io.spikering.core.model.ModelFile;
import java.nio.file.Path;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * A model running in the event engine, one step per input sample: an {@link LmuPredictor} (e.g. Mackey-Glass), or a
 * psMNIST LMU classifier file (the trainer's format, built by {@link LmuModelNetwork}; reset at every sequence start,
 * outputs = the readout's running logits, the class is their argmax at the sequence's last step). Optionally autonomous: from step
 * {@code autonomousAfter} of each sequence on, the network's input is its own previous prediction (NeuroBench's
 * Mackey-Glass test protocol) and the samples only pace the steps. Its full state (engine state plus the step in
 * the sequence and the fed-back value) can be saved and restored.
 */
public final class StreamModel implements AutoCloseable
{
    private final LmuPredictor model;
    private final Simulator sim;
    private final int[] inputs;
    private final int output;
    private final int outputs;
    private final boolean reset;
    private final int autonomousAfter;
    private final double[] input = new double[1];
    private final ByteBuffer state;
    private long stepInSequence;
    private double feedback;
    private long synops;
    private long rowAdds;
    private long macs;

    public StreamModel(final LmuPredictor model, final int threads, final int autonomousAfter)
    {
        if (autonomousAfter >= 0 && model.outputs != 1)
        {
            throw new IllegalArgumentException("autonomous mode feeds the prediction back as input, so the model needs exactly 1 output; it has " +
                model.outputs);
        }
        this.model = model;
        this.sim = new Simulator(model.buildNetwork(), threads);
        this.inputs = new int[] {LmuPredictor.INPUT};
        this.output = LmuPredictor.OUTPUT;
        this.outputs = model.outputs;
        this.reset = model.resetAtSequenceStart();
        this.autonomousAfter = autonomousAfter;
        this.state = ByteBuffer.allocate(sim.stateSize());
    }

    private StreamModel(final LmuModelNetwork lmu, final int threads)
    {
        this.model = null;
        this.sim = new Simulator(lmu.network(), threads);
        this.inputs = new int[] {lmu.pixel(), lmu.pixelDirect()};
        this.output = lmu.readout();
        this.outputs = lmu.model().classes();
        this.reset = true;
        this.autonomousAfter = -1;
        this.state = ByteBuffer.allocate(sim.stateSize());
    }

    /**
     * Opens a model file: {@code lmu-predictor} files as predictors, the trainer's psMNIST {@code lmu} files through
     * {@link LmuModelNetwork} with the given memory mode ({@code recurrence}, {@code filter} or {@code fused}).
     */
    public static StreamModel open(final Path file, final int threads, final int autonomousAfter, final String memoryMode)
        throws java.io.IOException
    {
        return open(file, threads, autonomousAfter, memoryMode, "deferred");
    }

    /**
     * As {@link #open(Path, int, int, String)} with the schedule of an event-driven memory ({@code eager} or
     * {@code deferred}, {@link LmuModelNetwork.MemorySchedule}); the same outputs bit for bit either way.
     */
    public static StreamModel open(final Path file, final int threads, final int autonomousAfter, final String memoryMode,
        final String memorySchedule) throws java.io.IOException
    {
        final LmuModelNetwork.MemorySchedule schedule = LmuModelNetwork.MemorySchedule.parse(memorySchedule);
        final ModelFile mf = ModelFile.load(file);
        if (LmuPredictor.isPredictor(mf))
        {
            return new StreamModel(LmuPredictor.read(file), threads, autonomousAfter);
        }
        if (autonomousAfter >= 0)
        {
            throw new IllegalArgumentException("--autonomous-after needs an lmu-predictor model; " + file + " is a classifier");
        }
        final LmuFile lmu = LmuFile.of(mf);
        return new StreamModel(LmuModelNetwork.build(lmu, lmu.hiddenQuantized(), Double.NaN, Double.NaN,
            LmuModelNetwork.MemoryMode.parse(memoryMode), schedule), threads);
    }

    public int inputWidth()
    {
        return 1;
    }

    public int outputWidth()
    {
        return outputs;
    }

    /** The predictor, or null for a classifier. */
    public LmuPredictor model()
    {
        return model;
    }

    public Simulator simulator()
    {
        return sim;
    }

    /** Starts a new sequence: resets the network if the model asks for it; autonomous counting restarts. */
    public void startSequence()
    {
        if (reset)
        {
            sim.reset();
        }
        stepInSequence = 0;
    }

    /** One step on sample value {@code x}; returns the live output array. Op counts of this step in the getters. */
    public double[] step(final double x)
    {
        final boolean autonomous = autonomousAfter >= 0 && stepInSequence > autonomousAfter;
        input[0] = autonomous ? feedback : x;
        final OpCounter ops = sim.ops();
        final long s0 = ops.total(OpCounter.Op.SYNOPS);
        final long r0 = ops.total(OpCounter.Op.ROW_ADDS);
        final long m0 = ops.total(OpCounter.Op.MACS_EFFECTIVE);
        for (final int id : inputs)
        {
            sim.setInput(id, input);
        }
        sim.step();
        synops = ops.total(OpCounter.Op.SYNOPS) - s0;
        rowAdds = ops.total(OpCounter.Op.ROW_ADDS) - r0;
        macs = ops.total(OpCounter.Op.MACS_EFFECTIVE) - m0;
        final double[] out = sim.outputs(output);
        feedback = out[0];
        stepInSequence++;
        return out;
    }

    public long lastSynops()
    {
        return synops;
    }

    public long lastRowAdds()
    {
        return rowAdds;
    }

    public long lastMacs()
    {
        return macs;
    }

    /** The engine state ({@link Simulator#saveState}), then the step in the sequence and the fed-back value. */
    public void writeState(final DataOutput out) throws IOException
    {
        state.clear();
        sim.saveState(state);
        out.writeInt(state.position());
        out.write(state.array(), 0, state.position());
        out.writeLong(stepInSequence);
        out.writeDouble(feedback);
    }

    public void readState(final DataInput in) throws IOException
    {
        final int n = in.readInt();
        if (n != state.capacity())
        {
            throw new IOException("snapshot holds an engine state of " + n + " bytes, this model's network needs " + state.capacity());
        }
        state.clear();
        in.readFully(state.array(), 0, n);
        try
        {
            sim.restoreState(state);
        }
        catch (final IllegalArgumentException e)
        {
            throw new IOException("snapshot does not fit this model's network: " + e.getMessage(), e);
        }
        stepInSequence = in.readLong();
        feedback = in.readDouble();
    }

    public void close()
    {
        sim.close();
    }
}
