package io.spikering.training;


import java.io.BufferedInputStream;
import java.io.DataInputStream;
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
    private static final int VERSION = 5;

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
            CheckpointIo.writeProgress(out, state, LmuParameters::values);
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
            if (version < 1 || version > VERSION)
            {
                throw new IOException(file + ": checkpoint version " + version + ", this build reads versions 1 to " + VERSION);
            }
            final LmuSpec s = CheckpointIo.readSpec(in);
            if (!s.equals(spec))
            {
                throw new IOException(file + ": checkpoint is for model " + s + " but the command asks for " + spec
                    + "; use the same --hidden/--activation/--window or another --checkpoint-dir");
            }
            final int[] epochsWritten = CheckpointIo.readConfig(in, file, config, version);
            final Standardization standardization = new Standardization(CheckpointIo.readDoubles(in, spec.order()), CheckpointIo.readDoubles(in, spec.order()));
            final LmuParameters params = new LmuParameters(spec);
            CheckpointIo.readFloats(in, params.values());
            final TrainingState state = new TrainingState(spec, config, standardization, params);
            CheckpointIo.readFloats(in, state.adam.firstMoments());
            CheckpointIo.readFloats(in, state.adam.secondMoments());
            state.adam.setStep(in.readLong());
            CheckpointIo.readProgress(in, file, epochsWritten, config, state, () -> new LmuParameters(spec), LmuParameters::values);
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
}
