package io.spikering.training;

import io.spikering.core.data.PixelSequences;

/**
 * The training features of an epoch computed from perturbed images ({@link Augmentation}): before every epoch the
 * memory features of the first {@code count} training sequences are recomputed from freshly perturbed copies and
 * standardized with the clean training set's statistics, which the exported model keeps.
 */
public final class PerturbedFeatures implements Trainer.EpochFeatures
{
    private final LmuSpec spec;
    private final MemoryMatrices matrices;
    private final PixelSequences split;
    private final int[] permutation;
    private final Augmentation augmentation;
    private final long seed;
    private final Standardization standardization;
    private final int threads;
    private final ThreadLocal<float[][]> scratch;

    /**
     * @param split           the training sequences, step t showing pixel {@code permutation[t]} of the image.
     * @param standardization the clean training features' statistics.
     */
    public PerturbedFeatures(final LmuSpec spec, final MemoryMatrices matrices, final PixelSequences split, final int[] permutation,
        final TrainingConfig config, final Standardization standardization)
    {
        if (split.steps() != spec.steps() || permutation.length != spec.steps())
        {
            throw new IllegalArgumentException("data has " + split.steps() + " steps and a permutation of " + permutation.length
                + ", the model expects " + spec.steps());
        }
        this.spec = spec;
        this.matrices = matrices;
        this.split = split;
        this.permutation = permutation.clone();
        this.augmentation = config.augmentation();
        this.seed = config.seed();
        this.standardization = standardization;
        this.threads = config.threads();
        this.scratch = ThreadLocal.withInitial(() -> new float[][] {new float[spec.steps()], new float[spec.steps()]});
    }

    @Override
    public void refill(final int epoch, final MemoryFeatures train)
    {
        if (train.count() > split.size())
        {
            throw new IllegalArgumentException(train.count() + " training features but only " + split.size() + " sequences");
        }
        train.recompute(spec, matrices, (s, dst) ->
        {
            final float[][] buffers = scratch.get();
            split.copySequence(s, buffers[0], 0);
            augmentation.apply(buffers[0], permutation, seed, epoch, s, buffers[1], dst);
        }, standardization, threads);
    }
}
