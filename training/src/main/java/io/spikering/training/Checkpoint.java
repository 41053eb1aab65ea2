package io.spikering.training;


import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Binary checkpoint of a {@link TrainingState} (big-endian, {@code DataOutputStream}): magic, version, the spec
 * and the config fields that fix the result, the standardization, parameters, Adam moments and step, position,
 * running sums, best models, history and elapsed time. Written to a temporary file and atomically renamed, so a
 * kill never leaves a torn checkpoint.
 */
public final class Checkpoint
{
    public static final String FILE_NAME = "checkpoint.bin";
    private static final long MAGIC = 0x53524B43_4B505431L; // "SRKCKPT1"
    private static final int VERSION = 2;

    private Checkpoint()
    {
    }

    /** Writes {@code state} to {@code dir}/checkpoint.bin and returns that path. */
    public static Path write(final TrainingState state, final Path dir) throws IOException
    {
        return CheckpointIo.writeAtomically(dir, FILE_NAME, out ->
        {
            out.writeLong(MAGIC);
            out.writeInt(VERSION);
            CheckpointIo.writeSpec(out, state.spec);
            CheckpointIo.writeConfig(out, state.config);
            CheckpointIo.writeDoubles(out, state.standardization.mean());
            CheckpointIo.writeDoubles(out, state.standardization.std());
            CheckpointIo.writeFloats(out, state.params.values());
            CheckpointIo.writeFloats(out, state.adam.firstMoments());
            CheckpointIo.writeFloats(out, state.adam.secondMoments());
            out.writeLong(state.adam.step());
            out.writeInt(state.progress.epoch);
            out.writeInt(state.progress.batch);
            out.writeDouble(state.progress.epochLoss);
            out.writeLong(state.progress.epochCorrect);
            out.writeLong(state.progress.epochSeen);
            out.writeDouble(state.progress.lastDt);
            writeBest(out, state.progress.bestNonSpiking, state.progress.bestNonSpikingAccuracy, state.progress.bestNonSpikingEpoch);
            writeBest(out, state.progress.bestSpiking, state.progress.bestSpikingAccuracy, state.progress.bestSpikingEpoch);
            CheckpointIo.writeHistory(out, state.progress.history);
            out.writeDouble(state.progress.elapsedSeconds);
            out.writeLong(MAGIC);
        });
    }

    /**
     * Reads a checkpoint and checks that it belongs to {@code spec} and {@code config} (same shape, seed, schedule,
     * batch and shard sizes; the thread count and checkpoint settings may differ).
     */
    public static TrainingState read(final Path file, final LmuSpec spec, final TrainingConfig config) throws IOException
    {
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file), 1 << 16)))
        {
            if (in.readLong() != MAGIC)
            {
                throw new IOException(file + ": not a spikering checkpoint (bad magic)");
            }
            final int version = in.readInt();
            if (version != VERSION && version != 1)
            {
                throw new IOException(file + ": checkpoint version " + version + ", this build reads versions 1 and " + VERSION);
            }
            final LmuSpec s = CheckpointIo.readSpec(in);
            if (!s.equals(spec))
            {
                throw new IOException(file + ": checkpoint is for model " + s + " but the command asks for " + spec
                    + "; use the same --hidden/--activation/--window or another --checkpoint-dir");
            }
            final int[] epochsWritten = CheckpointIo.readConfig(in, file, config, version >= 2);
            final Standardization standardization = new Standardization(CheckpointIo.readDoubles(in, spec.order()), CheckpointIo.readDoubles(in, spec.order()));
            final LmuParameters params = new LmuParameters(spec);
            CheckpointIo.readFloats(in, params.values());
            final TrainingState state = new TrainingState(spec, config, standardization, params);
            CheckpointIo.readFloats(in, state.adam.firstMoments());
            CheckpointIo.readFloats(in, state.adam.secondMoments());
            state.adam.setStep(in.readLong());
            state.progress.epoch = in.readInt();
            state.progress.batch = in.readInt();
            state.progress.epochLoss = in.readDouble();
            state.progress.epochCorrect = in.readLong();
            state.progress.epochSeen = in.readLong();
            state.progress.lastDt = in.readDouble();
            CheckpointIo.checkScheduleChange(file, epochsWritten, config, state.progress.epoch, state.progress.batch);
            if (in.readBoolean())
            {
                state.progress.bestNonSpiking = new LmuParameters(spec);
                CheckpointIo.readFloats(in, state.progress.bestNonSpiking.values());
            }
            state.progress.bestNonSpikingAccuracy = in.readDouble();
            state.progress.bestNonSpikingEpoch = in.readInt();
            if (in.readBoolean())
            {
                state.progress.bestSpiking = new LmuParameters(spec);
                CheckpointIo.readFloats(in, state.progress.bestSpiking.values());
            }
            state.progress.bestSpikingAccuracy = in.readDouble();
            state.progress.bestSpikingEpoch = in.readInt();
            CheckpointIo.readHistory(in, state.progress.history);
            state.progress.elapsedSeconds = in.readDouble();
            if (in.readLong() != MAGIC)
            {
                throw new IOException(file + ": checkpoint trailer missing (file corrupt)");
            }
            return state;
        }
        catch (final EOFException e)
        {
            throw new IOException(file + ": checkpoint is truncated", e);
        }
    }

    private static void writeBest(final DataOutputStream out, final LmuParameters p, final double acc, final int epoch) throws IOException
    {
        out.writeBoolean(p != null);
        if (p != null)
        {
            CheckpointIo.writeFloats(out, p.values());
        }
        out.writeDouble(acc);
        out.writeInt(epoch);
    }
}
