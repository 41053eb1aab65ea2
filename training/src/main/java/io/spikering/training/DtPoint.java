package io.spikering.training;

import io.spikering.neuron.CountHistogram;

/**
 * Accuracy and activity of the hidden layer at one quantizer dt (0 = non-spiking, no activity figures).
 * Bits follow docs/neuron-models.md: activity bits ⌈log2(|n|+1)⌉ per neuron-step (unsigned, averaged over all
 * neuron-steps, and over non-zero ones), significant bits of |n| without trailing zeros over non-zero counts.
 */
public record DtPoint(double dt, double accuracy, double loss, double activityBits, double activityBitsNonZero, double signedActivityBits,
    double significantBits, double activeFraction, int maxAbsCount, CountHistogram histogram)
{
    public static DtPoint of(final Evaluation e)
    {
        if (e.counts() == null)
        {
            return new DtPoint(e.dt(), e.accuracy(), e.loss(), Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN, 0, null);
        }
        final CountHistogram h = new CountHistogram();
        final long[] c = e.counts();
        for (int i = 0; i < c.length; i++)
        {
            if (c[i] != 0)
            {
                h.add(i - Evaluation.countRange(), c[i]);
            }
        }
        return new DtPoint(e.dt(), e.accuracy(), e.loss(), h.meanActivityBits(false, false), h.meanActivityBits(false, true),
            h.meanActivityBits(true, false), h.meanSignificantBits(), (double)h.nonZero() / h.total(), e.maxAbsCount(), h);
    }

    /** One Markdown table row: dt | accuracy | activity bits (all / non-zero) | significant bits | active | max |n|. */
    public String markdownRow()
    {
        if (histogram == null)
        {
            return String.format(java.util.Locale.ROOT, "| off (non-spiking) | %.2f%% | — | — | — | — |", 100 * accuracy);
        }
        return String.format(java.util.Locale.ROOT, "| %s | %.2f%% | %.3f / %.3f | %.3f | %.3f | %d |", EpochRecord.dtName(dt), 100 * accuracy,
            activityBits, activityBitsNonZero, significantBits, activeFraction, maxAbsCount);
    }

    public static String markdownHeader()
    {
        return "| dt | test accuracy | mean activity bits (all / non-zero) | mean significant bits | active fraction | max abs count |\n"
            + "|---|---|---|---|---|---|";
    }
}
