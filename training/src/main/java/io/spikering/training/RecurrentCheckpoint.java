package io.spikering.training;


import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Binary checkpoint of a {@link RecurrentState} (big-endian): magic, version, the spec, options and input count,
 * the config fields that fix the result, a fingerprint of the data, parameters, Adam moments and step, position, running sums, best models,
 * history and elapsed time, trailer. Written to a temporary file and atomically renamed.
 */
public final class RecurrentCheckpoint
{
    public static final String FILE_NAME = "recurrent-checkpoint.bin";
    private static final long MAGIC = 0x53524B52_434B5031L; // "SRKRCKP1"
    private static final int VERSION = 4;

    private RecurrentCheckpoint()
    {
    }

    /** Writes {@code state} to {@code dir}/recurrent-checkpoint.bin and returns that path. */
    public static Path write(final RecurrentState state, final Path dir) throws IOException
    {
        return CheckpointIo.writeAtomically(dir, FILE_NAME, out ->
        {
            out.writeLong(MAGIC);
            out.writeInt(VERSION);
            CheckpointIo.writeSpec(out, state.spec);
            final RecurrentLmu.Options o = state.options;
            out.writeBoolean(o.hiddenToMemory());
            out.writeBoolean(o.memoryToMemory());
            out.writeBoolean(o.inputToHidden());
            out.writeBoolean(o.hiddenRecurrent());
            out.writeInt(state.inputs);
            CheckpointIo.writeConfig(out, state.config);
            out.writeLong(state.dataFingerprint);
            CheckpointIo.writeFloats(out, state.params);
            CheckpointIo.writeFloats(out, state.adam.firstMoments());
            CheckpointIo.writeFloats(out, state.adam.secondMoments());
            out.writeLong(state.adam.step());
            CheckpointIo.writeProgress(out, state, p -> p);
            out.writeLong(MAGIC);
        });
    }

    /**
     * Restores a checkpoint into {@code state} (a fresh state of the same spec, options and inputs; its parameters and
     * Adam state are overwritten in place), checking that the checkpoint belongs to them and to the state's config
     * (seed, schedule, batch and shard sizes, learning rates, clip; threads and checkpoint settings may differ).
     */
    public static void read(final Path file, final RecurrentState state) throws IOException
    {
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file), 1 << 16)))
        {
            if (in.readLong() != MAGIC)
            {
                throw new IOException(file + ": not a spikering recurrent-LMU checkpoint (bad magic)");
            }
            final int version = in.readInt();
            if (version < 1 || version > VERSION)
            {
                throw new IOException(file + ": checkpoint version " + version + ", this build reads versions 1 to " + VERSION);
            }
            final LmuSpec s = CheckpointIo.readSpec(in);
            final RecurrentLmu.Options o = new RecurrentLmu.Options(in.readBoolean(), in.readBoolean(), in.readBoolean(), in.readBoolean());
            final int inputs = in.readInt();
            if (!s.equals(state.spec) || !o.equals(state.options) || inputs != state.inputs)
            {
                throw new IOException(file + ": checkpoint is for model " + s + ", " + o + ", " + inputs + " input(s), but the command asks for "
                    + state.spec + ", " + state.options + ", " + state.inputs
                    + "; use the same --hidden/--activation/--window and connection options, or another --checkpoint-dir");
            }
            final int[] epochsWritten = CheckpointIo.readConfig(in, file, state.config, version + 1); // its v1 already had the memory dt schedule
            state.dataFingerprint = in.readLong();
            CheckpointIo.readFloats(in, state.params);
            CheckpointIo.readFloats(in, state.adam.firstMoments());
            CheckpointIo.readFloats(in, state.adam.secondMoments());
            state.adam.setStep(in.readLong());
            CheckpointIo.readProgress(in, file, epochsWritten, state.config, state, () -> new float[state.params.length], p -> p);
            if (in.readLong() != MAGIC)
            {
                throw new IOException(file + ": checkpoint trailer missing (file corrupt)");
            }
        }
        catch (final EOFException e)
        {
            throw new IOException(file + ": checkpoint is truncated", e);
        }
    }
}
