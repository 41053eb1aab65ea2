package io.spikering.training;

import io.spikering.neuron.Activation;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

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
        Files.createDirectories(dir);
        final Path file = dir.resolve(FILE_NAME);
        final Path tmp = dir.resolve(FILE_NAME + ".tmp");
        try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(tmp), 1 << 16)))
        {
            out.writeLong(MAGIC);
            out.writeInt(VERSION);
            final LmuSpec s = state.spec;
            out.writeInt(s.order());
            out.writeDouble(s.theta());
            out.writeBoolean(s.zoh());
            out.writeInt(s.steps());
            out.writeInt(s.window());
            out.writeInt(s.hidden());
            out.writeUTF(s.activation().name());
            out.writeInt(s.classes());
            final TrainingConfig c = state.config;
            out.writeLong(c.seed());
            out.writeInt(c.epochs());
            out.writeInt(c.spikingEpochs());
            out.writeDouble(c.dtStart());
            out.writeDouble(c.dtEnd());
            out.writeBoolean(c.annealPerBatch());
            out.writeInt(c.batchSize());
            out.writeInt(c.shardSize());
            out.writeDouble(c.learningRate());
            out.writeDouble(c.spikingLearningRate());
            out.writeDouble(c.clipNorm());
            out.writeDouble(c.memoryDtStart());
            out.writeDouble(c.memoryDtEnd());
            writeDoubles(out, state.standardization.mean());
            writeDoubles(out, state.standardization.std());
            writeFloats(out, state.params.values());
            writeFloats(out, state.adam.firstMoments());
            writeFloats(out, state.adam.secondMoments());
            out.writeLong(state.adam.step());
            out.writeInt(state.epoch);
            out.writeInt(state.batch);
            out.writeDouble(state.epochLoss);
            out.writeLong(state.epochCorrect);
            out.writeLong(state.epochSeen);
            out.writeDouble(state.lastDt);
            writeBest(out, state.bestNonSpiking, state.bestNonSpikingAccuracy, state.bestNonSpikingEpoch);
            writeBest(out, state.bestSpiking, state.bestSpikingAccuracy, state.bestSpikingEpoch);
            out.writeInt(state.history.size());
            for (final EpochRecord r : state.history)
            {
                out.writeInt(r.epoch());
                out.writeDouble(r.trainDt());
                out.writeDouble(r.trainLoss());
                out.writeDouble(r.trainAccuracy());
                out.writeDouble(r.validationDt());
                out.writeDouble(r.validationLoss());
                out.writeDouble(r.validationAccuracy());
                out.writeDouble(r.seconds());
            }
            out.writeDouble(state.elapsedSeconds);
            out.writeLong(MAGIC);
        }
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        return file;
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
            final LmuSpec s = new LmuSpec(in.readInt(), in.readDouble(), in.readBoolean(), in.readInt(), in.readInt(), in.readInt(),
                Activation.valueOf(in.readUTF()), in.readInt());
            if (!s.equals(spec))
            {
                throw new IOException(file + ": checkpoint is for model " + s + " but the command asks for " + spec
                    + "; use the same --hidden/--activation/--window or another --checkpoint-dir");
            }
            final long seed = in.readLong();
            final int epochs = in.readInt();
            final int spikingEpochs = in.readInt();
            final double dtStart = in.readDouble();
            final double dtEnd = in.readDouble();
            final boolean perBatch = in.readBoolean();
            final int batch = in.readInt();
            final int shard = in.readInt();
            final double lr = in.readDouble();
            final double slr = in.readDouble();
            final double clip = in.readDouble();
            final double memoryDtStart = version >= 2 ? in.readDouble() : 0.0;
            final double memoryDtEnd = version >= 2 ? in.readDouble() : 0.0;
            final boolean scheduleChanged = epochs != config.epochs() || spikingEpochs != config.spikingEpochs();
            if (seed != config.seed() || dtStart != config.dtStart()
                || dtEnd != config.dtEnd() || perBatch != config.annealPerBatch() || batch != config.batchSize()
                || shard != config.shardSize() || lr != config.learningRate() || slr != config.spikingLearningRate() || clip != config.clipNorm()
                || memoryDtStart != config.memoryDtStart() || memoryDtEnd != config.memoryDtEnd())
            {
                throw new IOException(file + ": checkpoint was written with seed " + seed + ", epochs " + epochs + ", spiking epochs "
                    + spikingEpochs + ", dt " + dtStart + "→" + dtEnd + (perBatch ? " per batch" : " per epoch") + ", batch " + batch
                    + ", shard " + shard + ", lr " + lr + "/" + slr + ", clip " + clip + ", memory dt " + memoryDtStart + "→" + memoryDtEnd
                    + "; resume with the same options");
            }
            final Standardization standardization = new Standardization(readDoubles(in, spec.order()), readDoubles(in, spec.order()));
            final LmuParameters params = new LmuParameters(spec);
            readFloats(in, params.values());
            final TrainingState state = new TrainingState(spec, config, standardization, params);
            readFloats(in, state.adam.firstMoments());
            readFloats(in, state.adam.secondMoments());
            state.adam.setStep(in.readLong());
            state.epoch = in.readInt();
            state.batch = in.readInt();
            state.epochLoss = in.readDouble();
            state.epochCorrect = in.readLong();
            state.epochSeen = in.readLong();
            state.lastDt = in.readDouble();
            if (scheduleChanged)
            {
                // Non-spiking epochs depend only on (seed, epoch), not on how many epochs follow: while no spiking batch has run
                // under either schedule, the run equals an uninterrupted run with the new epoch counts.
                final int firstSpiking = Math.min(epochs - spikingEpochs, config.firstSpikingEpoch());
                if (state.epoch > firstSpiking || (state.epoch == firstSpiking && state.batch > 0))
                {
                    throw new IOException(file + ": checkpoint was written with " + (epochs - spikingEpochs) + " non-spiking + " + spikingEpochs
                        + " spiking epochs and is at epoch " + (state.epoch + 1) + ", batch " + state.batch
                        + "; the epoch counts can change on resume only before the spiking phase starts");
                }
            }
            if (in.readBoolean())
            {
                state.bestNonSpiking = new LmuParameters(spec);
                readFloats(in, state.bestNonSpiking.values());
            }
            state.bestNonSpikingAccuracy = in.readDouble();
            state.bestNonSpikingEpoch = in.readInt();
            if (in.readBoolean())
            {
                state.bestSpiking = new LmuParameters(spec);
                readFloats(in, state.bestSpiking.values());
            }
            state.bestSpikingAccuracy = in.readDouble();
            state.bestSpikingEpoch = in.readInt();
            final int records = in.readInt();
            for (int i = 0; i < records; i++)
            {
                state.history.add(new EpochRecord(in.readInt(), in.readDouble(), in.readDouble(), in.readDouble(), in.readDouble(),
                    in.readDouble(), in.readDouble(), in.readDouble()));
            }
            state.elapsedSeconds = in.readDouble();
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
            writeFloats(out, p.values());
        }
        out.writeDouble(acc);
        out.writeInt(epoch);
    }

    private static void writeFloats(final DataOutputStream out, final float[] v) throws IOException
    {
        out.writeInt(v.length);
        for (final float f : v)
        {
            out.writeFloat(f);
        }
    }

    private static void writeDoubles(final DataOutputStream out, final double[] v) throws IOException
    {
        out.writeInt(v.length);
        for (final double d : v)
        {
            out.writeDouble(d);
        }
    }

    private static void readFloats(final DataInputStream in, final float[] into) throws IOException
    {
        final int n = in.readInt();
        if (n != into.length)
        {
            throw new IOException("checkpoint array has " + n + " entries, expected " + into.length);
        }
        for (int i = 0; i < n; i++)
        {
            into[i] = in.readFloat();
        }
    }

    private static double[] readDoubles(final DataInputStream in, final int expected) throws IOException
    {
        final int n = in.readInt();
        if (n != expected)
        {
            throw new IOException("checkpoint array has " + n + " entries, expected " + expected);
        }
        final double[] v = new double[n];
        for (int i = 0; i < n; i++)
        {
            v[i] = in.readDouble();
        }
        return v;
    }
}
