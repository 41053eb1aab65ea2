package io.spikering.training;

import java.util.SplittableRandom;

/**
 * Random perturbations of the training images, drawn afresh every epoch as a pure function of (seed, epoch, sample),
 * so a run is reproducible at any thread count and a resumed run sees the same images.
 *
 * <ul>
 *   <li>{@code maxShift}: the image is translated by (dx, dy), each uniform in −S..S pixels, vacated pixels 0. It uses
 *       the image's 2-D layout (through the permutation), which the permuted-sequence task otherwise hides.</li>
 *   <li>{@code pixelDropout}: each pixel is set to 0 with probability p, independently; it needs no layout.</li>
 * </ul>
 *
 * @param maxShift     largest translation in pixels along each axis (0..4; 0 = none).
 * @param pixelDropout probability in [0, 0.5] of zeroing each pixel (0 = none).
 */
public record Augmentation(int maxShift, double pixelDropout)
{
    public static final Augmentation NONE = new Augmentation(0, 0.0);

    public Augmentation
    {
        if (maxShift < 0 || maxShift > 4)
        {
            throw new IllegalArgumentException("image shift must be 0..4 pixels, got " + maxShift);
        }
        if (!(pixelDropout >= 0.0 && pixelDropout <= 0.5))
        {
            throw new IllegalArgumentException("pixel dropout must be a probability in [0, 0.5], got " + pixelDropout);
        }
    }

    public boolean active()
    {
        return maxShift > 0 || pixelDropout > 0.0;
    }

    /**
     * Writes the perturbed version of {@code sequence} (step t shows pixel {@code permutation[t]} of a row-major square
     * image) to {@code out}, which must not be {@code sequence}; {@code image} is scratch of the same length.
     */
    public void apply(final float[] sequence, final int[] permutation, final long seed, final int epoch, final int sample,
        final float[] image, final float[] out)
    {
        final int steps = sequence.length;
        final int side = (int)Math.round(Math.sqrt(steps));
        if (permutation.length != steps || out.length != steps || image.length != steps || (maxShift > 0 && side * side != steps))
        {
            throw new IllegalArgumentException("augmentation needs a square image and a permutation of its " + steps + " pixels");
        }
        final SplittableRandom random = new SplittableRandom(ShardKernel.mix(seed * 0x9E3779B97F4A7C15L + ((long)epoch << 32) + sample));
        final int dx = maxShift > 0 ? random.nextInt(2 * maxShift + 1) - maxShift : 0;
        final int dy = maxShift > 0 ? random.nextInt(2 * maxShift + 1) - maxShift : 0;
        for (int t = 0; t < steps; t++)
        {
            image[permutation[t]] = sequence[t];
        }
        for (int t = 0; t < steps; t++)
        {
            final int p = permutation[t];
            float v = 0.0f;
            if (maxShift > 0)
            {
                final int x = p % side - dx;
                final int y = p / side - dy;
                if (x >= 0 && x < side && y >= 0 && y < side)
                {
                    v = image[y * side + x];
                }
            }
            else
            {
                v = image[p];
            }
            if (pixelDropout > 0.0 && random.nextDouble() < pixelDropout)
            {
                v = 0.0f;
            }
            out[t] = v;
        }
    }
}
