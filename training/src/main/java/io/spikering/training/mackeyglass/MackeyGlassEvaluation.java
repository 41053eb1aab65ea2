package io.spikering.training.mackeyglass;

import io.spikering.core.data.MackeyGlass;
import io.spikering.core.lmu.NeuroBenchMetrics;
import io.spikering.core.lmu.OpTotals;
import io.spikering.core.stream.LmuPredictor;
import io.spikering.core.stream.StreamModel;

/**
 * Scores an {@link LmuPredictor} on one NeuroBench series in the event engine, exactly as {@code stream run
 * --autonomous-after 750} does: teacher-forced over the 750 training points, then autonomous; sMAPE over the 749
 * autonomous predictions and the engine's op counts per test step.
 */
public final class MackeyGlassEvaluation
{
    /** sMAPE and mean per-step op counts over the test steps. */
    public record Score(double smape, double macsPerStep, double rowAddsPerStep, double synopsPerStep, double[] predictions,
        NeuroBenchMetrics neuroBench)
    {
        /** NeuroBench-comparable effective operations: MACs of dense sources and the memory, plus one per graded event row. */
        public double effectiveOpsPerStep()
        {
            return macsPerStep + rowAddsPerStep;
        }
    }

    private MackeyGlassEvaluation()
    {
    }

    public static Score score(final LmuPredictor model, final double[] series)
    {
        final int warm = MackeyGlassBenchmark.TRAIN_POINTS;
        final double[] predictions = new double[series.length - warm - 1];
        long macs = 0;
        long rows = 0;
        long synops = 0;
        try (StreamModel m = new StreamModel(model, 0, warm))
        {
            m.startSequence();
            for (int t = 0; t < series.length - 1; t++)
            {
                if (t == warm)
                {
                    m.simulator().ops().clear(); // NeuroBench's metrics over the test steps only
                }
                final double y = m.step((float)series[t])[0];
                if (t >= warm)
                {
                    predictions[t - warm] = y;
                    macs += m.lastMacs();
                    rows += m.lastRowAdds();
                    synops += m.lastSynops();
                }
            }
            final int n = predictions.length;
            final double[] targets = java.util.Arrays.copyOfRange(series, warm + 1, series.length);
            // a NeuroBench sample is one time step
            final OpTotals totals = new OpTotals(m.simulator().network());
            totals.add(m.simulator().ops());
            return new Score(MackeyGlass.smape(predictions, targets), (double)macs / n, (double)rows / n, (double)synops / n, predictions,
                NeuroBenchMetrics.of(totals, n, NeuroBenchMetrics.footprint(model.tensors)));
        }
    }
}
