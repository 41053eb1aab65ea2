package io.spikering.bench;

import io.spikering.core.engine.Delivery;
import io.spikering.core.engine.Simulator;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;

/**
 * A load-robust companion of the JMH runs for the two comparisons whose JMH means drown in the noise of a shared
 * machine: the delivery kernel (and its float-row version before the fix) against its roofline, and 0, 1 and 2
 * Disruptor handler threads. The variants being
 * compared are run <em>interleaved</em> (round after round, A B C A B C ...), each sample timing a batch of at least
 * ~50 µs, and the minimum and the median per variant are kept. The minimum is what the code does when it has the
 * core(s) to itself; interleaving keeps slow drifts of the machine's load out of the ratios.
 *
 * <p>Usage: {@code java -cp benchmarks.jar io.spikering.bench.Interleaved OUT.tsv [SECONDS_PER_CONFIG]}. Writes
 * {@code group, config, variant, min_ns, median_ns, samples} per line (ns per operation).
 */
public final class Interleaved
{
    private static final long MIN_BATCH_NS = 50_000;

    private Interleaved()
    {
    }

    public static void main(final String[] args) throws IOException
    {
        if (args.length < 1)
        {
            System.err.println("usage: Interleaved OUT.tsv [SECONDS_PER_CONFIG]");
            System.exit(2);
        }
        final double seconds = args.length > 1 ? Double.parseDouble(args[1]) : 2.0;
        try (PrintWriter out = new PrintWriter(Files.newBufferedWriter(Path.of(args[0]))))
        {
            out.println("group\tconfig\tvariant\tmin_ns\tmedian_ns\tsamples");
            for (final int events : new int[] {8, 64, 512})
            {
                for (final int rowLength : new int[] {64, 256, 1024, 4096})
                {
                    delivery(out, rowLength, events, seconds);
                }
            }
            for (final int events : new int[] {64, 512})
            {
                transport(out, 4096, events, seconds * 2);
            }
        }
    }

    private static void delivery(final PrintWriter out, final int rowLength, final int events, final double seconds)
    {
        final float[][] rows = Workloads.denseRows(DeliveryBenchmark.SOURCES, rowLength, 11);
        final double[][] wide = Workloads.widen(rows);
        final int[] neurons = Workloads.activeUnits(DeliveryBenchmark.SOURCES, events, 12);
        final double[] input = Workloads.sparseInput(DeliveryBenchmark.SOURCES, neurons);
        final double[] values = new double[events];
        for (int e = 0; e < events; e++)
        {
            values[e] = input[neurons[e]];
        }
        final float[] accFloat = new float[rowLength];
        final double[] acc = new double[rowLength];
        try (Simulator sim = new Simulator(Workloads.inputToRate(rows)))
        {
            sim.setInput(0, input);
            final Runnable[] variants = {
                () ->
                {
                    for (final int unit : neurons)
                    {
                        final float[] w = rows[unit];
                        for (int j = 0; j < accFloat.length; j++)
                        {
                            accFloat[j] += w[j];
                        }
                    }
                },
                () -> Delivery.dense(wide, acc, neurons, values, events, 0, rowLength),
                sim::step,
                () ->
                {
                    for (int e = 0; e < events; e++)
                    {
                        final float[] w = rows[neurons[e]];
                        final double s = values[e];
                        for (int j = 0; j < acc.length; j++)
                        {
                            acc[j] += s * w[j];
                        }
                    }
                }
            };
            write(out, "delivery", "rowLength=" + rowLength + ",events=" + events,
                new String[] {"roofline", "kernel", "step", "kernelFloatRows"}, measure(variants, seconds));
        }
    }

    private static void transport(final PrintWriter out, final int targets, final int events, final double seconds)
    {
        final float[][] rows = Workloads.denseRows(DeliveryBenchmark.SOURCES, targets, 11);
        final double[] input = Workloads.sparseInput(DeliveryBenchmark.SOURCES,
            Workloads.activeUnits(DeliveryBenchmark.SOURCES, events, 12));
        try (Simulator direct = new Simulator(Workloads.inputToRate(rows), 0);
             Simulator one = new Simulator(Workloads.inputToRate(rows), 1);
             Simulator two = new Simulator(Workloads.inputToRate(rows), 2))
        {
            direct.setInput(0, input);
            one.setInput(0, input);
            two.setInput(0, input);
            write(out, "transport", "targets=" + targets + ",events=" + events,
                new String[] {"threads=0", "threads=1", "threads=2"},
                measure(new Runnable[] {direct::step, one::step, two::step}, seconds));
        }
    }

    /** [variant] -> {min, median, samples} in ns per operation. */
    static double[][] measure(final Runnable[] variants, final double seconds)
    {
        final int[] batch = new int[variants.length];
        for (int v = 0; v < variants.length; v++)
        {
            // warm-up (JIT) and batch size: enough calls for MIN_BATCH_NS
            final long end = System.nanoTime() + 300_000_000L;
            long calls = 0;
            final long start = System.nanoTime();
            while (System.nanoTime() < end)
            {
                variants[v].run();
                calls++;
            }
            final double perCall = (System.nanoTime() - start) / (double)calls;
            batch[v] = (int)Math.max(1, Math.ceil(MIN_BATCH_NS / perCall));
        }
        final int capacity = 1 << 16;
        final double[][] samples = new double[variants.length][capacity];
        int n = 0;
        final long end = System.nanoTime() + (long)(seconds * 1e9);
        while (n < capacity && System.nanoTime() < end)
        {
            for (int v = 0; v < variants.length; v++)
            {
                final Runnable r = variants[v];
                final int b = batch[v];
                final long t0 = System.nanoTime();
                for (int i = 0; i < b; i++)
                {
                    r.run();
                }
                samples[v][n] = (System.nanoTime() - t0) / (double)b;
            }
            n++;
        }
        final double[][] result = new double[variants.length][];
        for (int v = 0; v < variants.length; v++)
        {
            final double[] s = Arrays.copyOf(samples[v], n);
            Arrays.sort(s);
            result[v] = new double[] {s[0], s[n / 2], n};
        }
        return result;
    }

    private static void write(final PrintWriter out, final String group, final String config, final String[] names,
        final double[][] r)
    {
        for (int v = 0; v < names.length; v++)
        {
            out.println(String.format(Locale.ROOT, "%s\t%s\t%s\t%.1f\t%.1f\t%d", group, config, names[v], r[v][0], r[v][1],
                (long)r[v][2]));
        }
        out.flush();
        System.err.println("interleaved: " + group + " " + config);
    }
}
