package io.spikering.training;

import io.spikering.core.lmu.LmuFile;
import java.nio.file.Path;

/**
 * Hyper-parameters of one training run. The last {@code spikingEpochs} of {@code epochs} are spiking-aware
 * (sigma-delta quantized hidden units, straight-through gradient) with dt annealed exponentially from
 * {@code dtStart} to {@code dtEnd}; the epochs before them are non-spiking.
 *
 * @param epochs             total epochs (≥ 1).
 * @param spikingEpochs      how many of the last epochs train spiking-aware (0..epochs).
 * @param dtStart            dt at the start of the spiking phase (> 0).
 * @param dtEnd              target dt, reached at the start of the last spiking epoch (> 0).
 * @param annealPerBatch     true: dt changes every batch; false: once per epoch.
 * @param batchSize          samples per Adam step.
 * @param shardSize          samples per parallel task; with the seed it fixes the result, whatever the thread count.
 * @param learningRate       Adam step size for the non-spiking epochs.
 * @param spikingLearningRate Adam step size for the spiking epochs.
 * @param clipNorm           global gradient-norm clip (≤ 0: off).
 * @param seed               seed of initialization, shuffling and initial voltages.
 * @param threads            worker threads (does not change the result).
 * @param checkpointDir      where checkpoints go, or null for none.
 * @param checkpointMinutes  also checkpoint mid-epoch when this many minutes passed since the last one.
 * @param memoryDtStart      dt of the memory-output quantizer at the start of the spiking phase, 0 = memory not quantized.
 * @param memoryDtEnd        its target dt, annealed like the hidden dt (0 = not quantized; both 0 or both positive).
 * @param encoding           the rule of each quantizer: the paper's sigma-delta or Loihi 2's delta encoder, whose threshold
 *                           stays fixed in counts, so annealing dt anneals its threshold in activation units, threshold/dt.
 * @param activityPenalty    λ ≥ 0: each training sample's loss gains λ · mean |h| over the window steps and hidden units, h the
 *                           hidden output (f(z) non-spiking, count/dt spiking), so the hidden layer learns to send fewer events.
 * @param dropout            probability in [0, 1) of dropping each unit of the readout's input (the window mean of h) in a
 *                           training sample, the kept ones scaled by 1/(1 − p); never at evaluation.
 * @param cosineDecay        true: the non-spiking epochs' learning rate falls from {@code learningRate} to 0 along a half
 *                           cosine, batch by batch; false: constant. The spiking epochs keep {@code spikingLearningRate}.
 * @param augmentation       perturbations of the training images, drawn afresh every epoch ({@link Augmentation#NONE}: none).
 */
public record TrainingConfig(int epochs, int spikingEpochs, double dtStart, double dtEnd, boolean annealPerBatch, int batchSize,
    int shardSize, double learningRate, double spikingLearningRate, double clipNorm, long seed, int threads, Path checkpointDir,
    double checkpointMinutes, double memoryDtStart, double memoryDtEnd, LmuFile.Encoding encoding, double activityPenalty, double dropout, boolean cosineDecay,
    Augmentation augmentation)
{
    /** With the paper's sigma-delta rule for both quantizers. */
    public TrainingConfig(final int epochs, final int spikingEpochs, final double dtStart, final double dtEnd, final boolean annealPerBatch,
        final int batchSize, final int shardSize, final double learningRate, final double spikingLearningRate, final double clipNorm, final long seed,
        final int threads, final Path checkpointDir, final double checkpointMinutes, final double memoryDtStart, final double memoryDtEnd)
    {
        this(epochs, spikingEpochs, dtStart, dtEnd, annealPerBatch, batchSize, shardSize, learningRate, spikingLearningRate, clipNorm, seed, threads,
            checkpointDir, checkpointMinutes, memoryDtStart, memoryDtEnd, LmuFile.Encoding.SIGMA_DELTA, 0.0, 0.0, false, Augmentation.NONE);
    }

    public TrainingConfig
    {
        if (augmentation == null)
        {
            throw new IllegalArgumentException("augmentation must not be null (Augmentation.NONE for none)");
        }
        if (encoding == null)
        {
            throw new IllegalArgumentException("encoding must not be null (LmuFile.Encoding.SIGMA_DELTA for the paper's rule)");
        }
        if (epochs < 1 || epochs > 100_000)
        {
            throw new IllegalArgumentException("epochs must be in 1..100000, got " + epochs);
        }
        if (spikingEpochs < 0 || spikingEpochs > epochs)
        {
            throw new IllegalArgumentException("spiking epochs must be in 0..epochs (" + epochs + "), got " + spikingEpochs);
        }
        if (!(dtStart > 0.0) || !(dtEnd > 0.0) || Double.isInfinite(dtStart) || Double.isInfinite(dtEnd))
        {
            throw new IllegalArgumentException("dt-start and dt-end must be positive and finite, got " + dtStart + " and " + dtEnd);
        }
        if (batchSize < 1 || shardSize < 1 || shardSize > batchSize)
        {
            throw new IllegalArgumentException("need 1 <= shard size <= batch size, got shard " + shardSize + ", batch " + batchSize);
        }
        if (!(learningRate > 0.0) || !(spikingLearningRate > 0.0))
        {
            throw new IllegalArgumentException("learning rates must be positive, got " + learningRate + " and " + spikingLearningRate);
        }
        if (threads < 1 || threads > 1024)
        {
            throw new IllegalArgumentException("threads must be in 1..1024, got " + threads);
        }
        if (!(checkpointMinutes > 0.0))
        {
            throw new IllegalArgumentException("checkpoint interval must be positive minutes, got " + checkpointMinutes);
        }
        if (!(activityPenalty >= 0.0) || Double.isInfinite(activityPenalty))
        {
            throw new IllegalArgumentException("activity penalty must be a finite number >= 0, got " + activityPenalty);
        }
        if (activityPenalty > 0.0 && encoding.hiddenDelta())
        {
            throw new IllegalArgumentException("the activity penalty acts on the hidden rates, which the delta encoder does not send (it sends"
                + " their changes); use it with the sigma-delta hidden quantizer");
        }
        if (!(dropout >= 0.0 && dropout < 1.0))
        {
            throw new IllegalArgumentException("dropout must be a probability in [0, 1), got " + dropout);
        }
        final boolean off = memoryDtStart == 0.0 && memoryDtEnd == 0.0;
        if (!off && (!(memoryDtStart > 0.0) || !(memoryDtEnd > 0.0) || Double.isInfinite(memoryDtStart) || Double.isInfinite(memoryDtEnd)))
        {
            throw new IllegalArgumentException("memory dt-start and dt-end must both be 0 (memory not quantized) or both positive and finite, got "
                + memoryDtStart + " and " + memoryDtEnd);
        }
    }

    /** Defaults: batch 100, shards of 10, Adam 1e-3, clip 5, dt 16 → 1 per batch, checkpoints every 5 minutes. */
    public static TrainingConfig defaults(final int epochs, final int spikingEpochs, final long seed, final int threads)
    {
        return new TrainingConfig(epochs, spikingEpochs, 16.0, 1.0, true, 100, 10, 1e-3, 1e-3, 5.0, seed, threads, null, 5.0, 0.0, 0.0);
    }

    public TrainingConfig withCheckpoints(final Path dir)
    {
        return new TrainingConfig(epochs, spikingEpochs, dtStart, dtEnd, annealPerBatch, batchSize, shardSize, learningRate,
            spikingLearningRate, clipNorm, seed, threads, dir, checkpointMinutes, memoryDtStart, memoryDtEnd, encoding, activityPenalty, dropout, cosineDecay, augmentation);
    }

    public TrainingConfig withThreads(final int t)
    {
        return new TrainingConfig(epochs, spikingEpochs, dtStart, dtEnd, annealPerBatch, batchSize, shardSize, learningRate,
            spikingLearningRate, clipNorm, seed, t, checkpointDir, checkpointMinutes, memoryDtStart, memoryDtEnd, encoding, activityPenalty, dropout, cosineDecay, augmentation);
    }

    public TrainingConfig withDt(final double start, final double end, final boolean perBatch)
    {
        return new TrainingConfig(epochs, spikingEpochs, start, end, perBatch, batchSize, shardSize, learningRate,
            spikingLearningRate, clipNorm, seed, threads, checkpointDir, checkpointMinutes, memoryDtStart, memoryDtEnd, encoding, activityPenalty, dropout, cosineDecay, augmentation);
    }

    public TrainingConfig withBatch(final int batch, final int shard)
    {
        return new TrainingConfig(epochs, spikingEpochs, dtStart, dtEnd, annealPerBatch, batch, shard, learningRate,
            spikingLearningRate, clipNorm, seed, threads, checkpointDir, checkpointMinutes, memoryDtStart, memoryDtEnd, encoding, activityPenalty, dropout, cosineDecay, augmentation);
    }

    public TrainingConfig withLearningRates(final double lr, final double spikingLr, final double clip)
    {
        return new TrainingConfig(epochs, spikingEpochs, dtStart, dtEnd, annealPerBatch, batchSize, shardSize, lr,
            spikingLr, clip, seed, threads, checkpointDir, checkpointMinutes, memoryDtStart, memoryDtEnd, encoding, activityPenalty, dropout, cosineDecay, augmentation);
    }

    /** With the memory-output quantizer annealed from {@code start} to {@code end} (0, 0: memory not quantized). */
    public TrainingConfig withMemoryDt(final double start, final double end)
    {
        return new TrainingConfig(epochs, spikingEpochs, dtStart, dtEnd, annealPerBatch, batchSize, shardSize, learningRate,
            spikingLearningRate, clipNorm, seed, threads, checkpointDir, checkpointMinutes, start, end, encoding, activityPenalty, dropout, cosineDecay, augmentation);
    }

    /** With the given quantizer rules (Loihi 2's delta encoder for the hidden and/or memory quantizer). */
    public TrainingConfig withEncoding(final LmuFile.Encoding e)
    {
        return new TrainingConfig(epochs, spikingEpochs, dtStart, dtEnd, annealPerBatch, batchSize, shardSize, learningRate,
            spikingLearningRate, clipNorm, seed, threads, checkpointDir, checkpointMinutes, memoryDtStart, memoryDtEnd, e, activityPenalty, dropout, cosineDecay, augmentation);
    }

    /** With the hidden layer's activity penalty λ (0: none). */
    public TrainingConfig withActivityPenalty(final double lambda)
    {
        return new TrainingConfig(epochs, spikingEpochs, dtStart, dtEnd, annealPerBatch, batchSize, shardSize, learningRate,
            spikingLearningRate, clipNorm, seed, threads, checkpointDir, checkpointMinutes, memoryDtStart, memoryDtEnd, encoding, lambda, dropout, cosineDecay, augmentation);
    }

    /** With dropout p on the readout's input and, if {@code cosine}, the non-spiking learning rate decayed along a half cosine. */
    public TrainingConfig withRegularization(final double p, final boolean cosine)
    {
        return new TrainingConfig(epochs, spikingEpochs, dtStart, dtEnd, annealPerBatch, batchSize, shardSize, learningRate,
            spikingLearningRate, clipNorm, seed, threads, checkpointDir, checkpointMinutes, memoryDtStart, memoryDtEnd, encoding,
            activityPenalty, p, cosine, augmentation);
    }

    /** With the training images perturbed every epoch by {@code a}. */
    public TrainingConfig withAugmentation(final Augmentation a)
    {
        return new TrainingConfig(epochs, spikingEpochs, dtStart, dtEnd, annealPerBatch, batchSize, shardSize, learningRate,
            spikingLearningRate, clipNorm, seed, threads, checkpointDir, checkpointMinutes, memoryDtStart, memoryDtEnd, encoding,
            activityPenalty, dropout, cosineDecay, a);
    }

    /** The Adam step size for a batch: the spiking rate in the spiking phase, else the (possibly cosine-decayed) base rate. */
    public double learningRate(final int epoch, final int batch, final int batchesPerEpoch)
    {
        if (epoch >= firstSpikingEpoch())
        {
            return spikingLearningRate;
        }
        if (!cosineDecay)
        {
            return learningRate;
        }
        final double progress = (epoch * (double)batchesPerEpoch + batch) / ((double)firstSpikingEpoch() * batchesPerEpoch);
        return learningRate * 0.5 * (1.0 + Math.cos(Math.PI * progress));
    }

    /** Whether the memory output is quantized in the spiking phase. */
    public boolean memoryQuantized()
    {
        return memoryDtEnd > 0.0;
    }

    /** First epoch (0-based) that trains spiking-aware. */
    public int firstSpikingEpoch()
    {
        return epochs - spikingEpochs;
    }

    /**
     * The quantizer dt for a batch, or 0 for a non-spiking batch. Exponential from dtStart to dtEnd over the
     * spiking epochs but the last (which runs at dtEnd); with a single spiking epoch it anneals within it.
     */
    public double dt(final int epoch, final int batch, final int batchesPerEpoch)
    {
        if (epoch < firstSpikingEpoch())
        {
            return 0.0;
        }
        return dtStart * Math.pow(dtEnd / dtStart, progress(epoch, batch, batchesPerEpoch));
    }

    /** The memory quantizer's dt for a batch (same schedule shape as {@link #dt}), or 0 when not quantized. */
    public double memoryDt(final int epoch, final int batch, final int batchesPerEpoch)
    {
        if (epoch < firstSpikingEpoch() || !memoryQuantized())
        {
            return 0.0;
        }
        return memoryDtStart * Math.pow(memoryDtEnd / memoryDtStart, progress(epoch, batch, batchesPerEpoch));
    }

    private double progress(final int epoch, final int batch, final int batchesPerEpoch)
    {
        final int e = epoch - firstSpikingEpoch();
        final double progress;
        if (spikingEpochs == 1)
        {
            progress = annealPerBatch && batchesPerEpoch > 1 ? (double)batch / (batchesPerEpoch - 1) : 1.0;
        }
        else if (annealPerBatch)
        {
            progress = Math.min(1.0, (e * (double)batchesPerEpoch + batch) / ((spikingEpochs - 1) * (double)batchesPerEpoch));
        }
        else
        {
            progress = Math.min(1.0, e / (double)(spikingEpochs - 1));
        }
        return progress;
    }
}
