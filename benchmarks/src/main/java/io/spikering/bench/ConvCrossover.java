package io.spikering.bench;

import io.spikering.core.engine.ConvKernel;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * The load-robust companion of {@link ConvEventVsDenseBenchmark}: for each layer and input density, the event-driven
 * engine step and the dense convolution run interleaved ({@link Interleaved#measure}), keeping the minimum and median
 * per variant, so that the ratio, and the density where it crosses 1, survive a shared machine's drifting load.
 *
 * <p>Usage: {@code java -cp benchmarks.jar io.spikering.bench.ConvCrossover OUT.tsv [SECONDS_PER_CONFIG]}. Writes
 * {@code layer, density_percent, event_min_us, event_median_us, dense_min_us, dense_median_us, dense_over_event} (the
 * ratio of the minima: above 1, event-driven is faster).
 */
public final class ConvCrossover
{
    private ConvCrossover()
    {
    }

    public static void main(final String[] args) throws IOException
    {
        if (args.length < 1)
        {
            System.err.println("usage: ConvCrossover OUT.tsv [SECONDS_PER_CONFIG]");
            System.exit(2);
        }
        final double seconds = args.length > 1 ? Double.parseDouble(args[1]) : 2.0;
        try (PrintWriter out = new PrintWriter(Files.newBufferedWriter(Path.of(args[0]))))
        {
            out.println("layer\tdensity_percent\tevent_min_us\tevent_median_us\tdense_min_us\tdense_median_us\tdense_over_event");
            for (final String layer : new String[] {"conv1", "conv2", "conv3"})
            {
                for (final String density : new String[] {"0.5", "1", "2", "5", "10", "20", "50", "100"})
                {
                    final ConvEventVsDenseBenchmark b = new ConvEventVsDenseBenchmark();
                    b.layer = layer;
                    b.densityPercent = density;
                    b.setUp();
                    try
                    {
                        final double[][] r = Interleaved.measure(new Runnable[] {b::eventDriven, b::dense}, seconds);
                        out.println(String.format(Locale.ROOT, "%s\t%s\t%.2f\t%.2f\t%.2f\t%.2f\t%.2f", layer, density,
                            r[0][0] / 1e3, r[0][1] / 1e3, r[1][0] / 1e3, r[1][1] / 1e3, r[1][0] / r[0][0]));
                        out.flush();
                        System.err.println("conv crossover: " + layer + " " + density + "%");
                    }
                    finally
                    {
                        b.tearDown();
                    }
                }
            }
        }
        final ConvKernel k = ConvEventVsDenseBenchmark.layer("conv1", 1);
        System.err.println("conv1 dense MACs per step: " + k.denseMacsPerStep() + ", stencil entries: " + k.stencilEntries());
    }
}
