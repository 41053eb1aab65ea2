package io.spikering.core.engine;

import io.spikering.neuron.LegendreMemory;

/** Run by {@link FilterBatchTest} in a JVM without the Vector API module: a batch flush on the fallback path. */
public final class FilterBatchFallbackProbe
{
    private FilterBatchFallbackProbe()
    {
    }

    public static void main(final String[] args)
    {
        final LegendreMemory lmu = LegendreMemory.zoh(70, 20.0);
        final Network.Builder b = Network.builder();
        final int in = b.input("u", 1);
        final int filter = b.linearFilter("filter", 1, lmu.a(), lmu.b(), 6, 9);
        b.connect(in, filter).dense(new float[][] {{1}});
        final Network network = b.build();
        final Simulator[] sims = {new Simulator(network), new Simulator(network)};
        for (int s = 0; s < sims.length; s++)
        {
            for (int t = 0; t < 6; t++)
            {
                sims[s].setInput(in, new double[] {t + s});
                sims[s].step();
            }
        }
        FilterBatch.flush(sims, 2, filter);
        sims[1].step();
        System.out.println("vectorised: " + FilterBatch.vectorised() + ", output " + sims[1].outputs(filter)[0]);
    }
}
