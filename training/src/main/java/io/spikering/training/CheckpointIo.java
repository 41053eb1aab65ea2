package io.spikering.training;

import io.spikering.core.lmu.LmuFile;
import io.spikering.neuron.Activation;

import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.function.Function;
import java.util.function.Supplier;

/** Binary pieces shared by {@link Checkpoint} and {@link RecurrentCheckpoint}: arrays, progress, history, atomic replacement. */
final class CheckpointIo
{
    /** Writes the body of a checkpoint. */
    interface Body
    {
        void write(DataOutputStream out) throws IOException;
    }

    private CheckpointIo()
    {
    }

    /** Writes {@code dir/name} through a temporary file and an atomic rename, so a kill never leaves a torn file. */
    static Path writeAtomically(final Path dir, final String name, final Body body) throws IOException
    {
        Files.createDirectories(dir);
        final Path file = dir.resolve(name);
        final Path tmp = dir.resolve(name + ".tmp");
        try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(tmp), 1 << 16)))
        {
            body.write(out);
        }
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        return file;
    }

    /** The model shape: order, θ, ZOH, steps, window, hidden units, activation, classes. */
    static void writeSpec(final DataOutputStream out, final LmuSpec s) throws IOException
    {
        out.writeInt(s.order());
        out.writeDouble(s.theta());
        out.writeBoolean(s.zoh());
        out.writeInt(s.steps());
        out.writeInt(s.window());
        out.writeInt(s.hidden());
        out.writeUTF(s.activation().name());
        out.writeInt(s.classes());
    }

    static LmuSpec readSpec(final DataInputStream in) throws IOException
    {
        return new LmuSpec(in.readInt(), in.readDouble(), in.readBoolean(), in.readInt(), in.readInt(), in.readInt(),
            Activation.valueOf(in.readUTF()), in.readInt());
    }

    /** The config fields that fix the result (not threads or checkpoint settings). */
    static void writeConfig(final DataOutputStream out, final TrainingConfig c) throws IOException
    {
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
        final LmuFile.Encoding e = c.encoding();
        out.writeBoolean(e.hiddenDelta());
        out.writeDouble(e.hiddenThreshold());
        out.writeBoolean(e.memoryDelta());
        out.writeDouble(e.memoryThreshold());
        out.writeDouble(c.activityPenalty());
        out.writeDouble(c.dropout());
        out.writeBoolean(c.cosineDecay());
        out.writeInt(c.augmentation().maxShift());
        out.writeDouble(c.augmentation().pixelDropout());
    }

    /**
     * Reads what {@link #writeConfig} wrote and checks it against {@code config}; the epoch counts may differ (see
     * {@link #checkScheduleChange}). Returns the written {epochs, spiking epochs}. Files written before the memory
     * quantizer existed lack its dt schedule, which then means "not quantized"; older files likewise lack the quantizer
     * rules (the paper's) and the activity penalty (none).
     *
     * @param fields which fields the file has: 1 the first ones, 2 + the memory dt schedule, 3 + the quantizer rules,
     *               4 + the activity penalty, dropout and learning-rate decay, 5 + the image augmentation.
     */
    static int[] readConfig(final DataInputStream in, final Path file, final TrainingConfig config, final int fields) throws IOException
    {
        final boolean withMemoryDt = fields >= 2;
        final boolean withEncoding = fields >= 3;
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
        final double memoryDtStart = withMemoryDt ? in.readDouble() : 0.0;
        final double memoryDtEnd = withMemoryDt ? in.readDouble() : 0.0;
        final LmuFile.Encoding encoding = withEncoding ?
            new LmuFile.Encoding(in.readBoolean(), in.readDouble(), in.readBoolean(), in.readDouble()) : LmuFile.Encoding.SIGMA_DELTA;
        final double activityPenalty = fields >= 4 ? in.readDouble() : 0.0;
        final double dropout = fields >= 4 ? in.readDouble() : 0.0;
        final boolean cosine = fields >= 4 && in.readBoolean();
        final Augmentation augmentation = fields >= 5 ? new Augmentation(in.readInt(), in.readDouble()) : Augmentation.NONE;
        if (!augmentation.equals(config.augmentation()))
        {
            throw new IOException(file + ": checkpoint was written with image shift " + augmentation.maxShift() + " and pixel dropout "
                + augmentation.pixelDropout() + "; the options ask for " + config.augmentation().maxShift() + " and "
                + config.augmentation().pixelDropout() + "; resume with the same --augment-shift and --pixel-dropout");
        }
        if (activityPenalty != config.activityPenalty() || dropout != config.dropout() || cosine != config.cosineDecay())
        {
            throw new IOException(file + ": checkpoint was written with activity penalty " + activityPenalty + ", dropout " + dropout
                + ", learning-rate decay " + (cosine ? "cosine" : "none") + "; the options ask for " + config.activityPenalty() + ", "
                + config.dropout() + ", " + (config.cosineDecay() ? "cosine" : "none")
                + "; resume with the same --activity-penalty, --dropout and --lr-decay");
        }
        if (!encoding.equals(config.encoding()))
        {
            throw new IOException(file + ": checkpoint was written with quantizer rules " + encoding + ", the options ask for "
                + config.encoding() + "; resume with the same --encoder, --threshold, --memory-encoder and --memory-threshold");
        }
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
        return new int[] {epochs, spikingEpochs};
    }

    /**
     * Non-spiking epochs depend only on (seed, epoch), not on how many epochs follow: while no spiking batch has run
     * under either schedule, the run equals an uninterrupted run with the new epoch counts. Otherwise they must match.
     */
    static void checkScheduleChange(final Path file, final int[] written, final TrainingConfig config, final int epoch, final int batch)
        throws IOException
    {
        final int epochs = written[0];
        final int spikingEpochs = written[1];
        if (epochs == config.epochs() && spikingEpochs == config.spikingEpochs())
        {
            return;
        }
        final int firstSpiking = Math.min(epochs - spikingEpochs, config.firstSpikingEpoch());
        if (epoch > firstSpiking || (epoch == firstSpiking && batch > 0))
        {
            throw new IOException(file + ": checkpoint was written with " + (epochs - spikingEpochs) + " non-spiking + " + spikingEpochs
                + " spiking epochs and is at epoch " + (epoch + 1) + ", batch " + batch
                + "; the epoch counts can change on resume only before the spiking phase starts");
        }
    }

    /** Writes a run's progress: position, running sums, best of each phase ({@code values} gives its floats), history, wall time. */
    static <P> void writeProgress(final DataOutputStream out, final TrainingProgress<P> p, final Function<P, float[]> values) throws IOException
    {
        out.writeInt(p.epoch);
        out.writeInt(p.batch);
        out.writeDouble(p.epochLoss);
        out.writeLong(p.epochCorrect);
        out.writeLong(p.epochSeen);
        out.writeDouble(p.lastDt);
        writeBest(out, p.bestNonSpiking == null ? null : values.apply(p.bestNonSpiking), p.bestNonSpikingAccuracy, p.bestNonSpikingEpoch);
        writeBest(out, p.bestSpiking == null ? null : values.apply(p.bestSpiking), p.bestSpikingAccuracy, p.bestSpikingEpoch);
        writeHistory(out, p.history);
        out.writeDouble(p.elapsedSeconds);
    }

    /** Reads what {@link #writeProgress} wrote into {@code p}; a stored best is read into {@code fresh.get()}. */
    static <P> void readProgress(final DataInputStream in, final Path file, final int[] epochsWritten, final TrainingConfig config,
        final TrainingProgress<P> p, final Supplier<P> fresh, final Function<P, float[]> values) throws IOException
    {
        p.epoch = in.readInt();
        p.batch = in.readInt();
        p.epochLoss = in.readDouble();
        p.epochCorrect = in.readLong();
        p.epochSeen = in.readLong();
        p.lastDt = in.readDouble();
        checkScheduleChange(file, epochsWritten, config, p.epoch, p.batch);
        p.bestNonSpiking = readBest(in, fresh, values);
        p.bestNonSpikingAccuracy = in.readDouble();
        p.bestNonSpikingEpoch = in.readInt();
        p.bestSpiking = readBest(in, fresh, values);
        p.bestSpikingAccuracy = in.readDouble();
        p.bestSpikingEpoch = in.readInt();
        p.history.clear();
        readHistory(in, p.history);
        p.elapsedSeconds = in.readDouble();
    }

    private static void writeBest(final DataOutputStream out, final float[] values, final double acc, final int epoch) throws IOException
    {
        out.writeBoolean(values != null);
        if (values != null)
        {
            writeFloats(out, values);
        }
        out.writeDouble(acc);
        out.writeInt(epoch);
    }

    private static <P> P readBest(final DataInputStream in, final Supplier<P> fresh, final Function<P, float[]> values) throws IOException
    {
        if (!in.readBoolean())
        {
            return null;
        }
        final P best = fresh.get();
        readFloats(in, values.apply(best));
        return best;
    }

    static void writeHistory(final DataOutputStream out, final List<EpochRecord> history) throws IOException
    {
        out.writeInt(history.size());
        for (final EpochRecord r : history)
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
    }

    static void readHistory(final DataInputStream in, final List<EpochRecord> into) throws IOException
    {
        final int records = in.readInt();
        for (int i = 0; i < records; i++)
        {
            into.add(new EpochRecord(in.readInt(), in.readDouble(), in.readDouble(), in.readDouble(), in.readDouble(),
                in.readDouble(), in.readDouble(), in.readDouble()));
        }
    }

    static void writeFloats(final DataOutputStream out, final float[] v) throws IOException
    {
        out.writeInt(v.length);
        for (final float f : v)
        {
            out.writeFloat(f);
        }
    }

    static void writeDoubles(final DataOutputStream out, final double[] v) throws IOException
    {
        out.writeInt(v.length);
        for (final double d : v)
        {
            out.writeDouble(d);
        }
    }

    static void readFloats(final DataInputStream in, final float[] into) throws IOException
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

    static double[] readDoubles(final DataInputStream in, final int expected) throws IOException
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
