package io.spikering.cli;

import io.spikering.core.record.RecordingInfo;
import io.spikering.core.record.SpikeFilter;
import io.spikering.core.record.SpikeReader;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.Marker;
import org.knowm.xchart.style.markers.SeriesMarkers;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.awt.Color;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code spikering raster}: draws a spike raster (time × neuron) of a recording to a PNG file. */
@Command(
    name = "raster",
    mixinStandardHelpOptions = true,
    description = "Draws a raster plot (time x neuron, one colour per population) of a spike recording to a PNG. "
        + "Populations are stacked in recording order. Multi-spike events (count >= 2) and negative counts "
        + "(sigma-delta) are drawn as separate series with their own marker.")
public final class RasterCommand implements Callable<Integer>
{
    private static final Color[] COLORS = {
        new Color(0x1f77b4), new Color(0xd62728), new Color(0x2ca02c), new Color(0x9467bd),
        new Color(0xff7f0e), new Color(0x8c564b), new Color(0xe377c2), new Color(0x7f7f7f)};

    @Option(names = "--recording", required = true, paramLabel = "DIR", description = "Recording directory (written by --record).")
    Path recording;

    @Option(names = "--out", required = true, paramLabel = "FILE", description = "Output PNG file.")
    Path out;

    @Option(names = "--population", paramLabel = "NAME", description = "Only this population (default: all).")
    String population;

    @Option(names = "--from-step", paramLabel = "A", defaultValue = "0", description = "First step drawn (inclusive, default ${DEFAULT-VALUE}).")
    long fromStep;

    @Option(names = "--to-step", paramLabel = "B", description = "First step not drawn (exclusive, default: end of recording).")
    Long toStep;

    @Option(names = "--max-neurons", paramLabel = "M", description = "Draw only neurons 0..M-1 of each population (default: all).")
    Integer maxNeurons;

    @Option(names = "--width", defaultValue = "1200", description = "Image width in pixels (default ${DEFAULT-VALUE}).")
    int width;

    @Option(names = "--height", defaultValue = "800", description = "Image height in pixels (default ${DEFAULT-VALUE}).")
    int height;

    /** Growable (x, y) point list, one per series. */
    private static final class Points
    {
        double[] x = new double[1024];
        double[] y = new double[1024];
        int size;

        void add(final double px, final double py)
        {
            if (size == x.length)
            {
                x = Arrays.copyOf(x, size * 2);
                y = Arrays.copyOf(y, size * 2);
            }
            x[size] = px;
            y[size] = py;
            size++;
        }
    }

    public Integer call() throws IOException
    {
        validate();
        try (SpikeReader reader = SpikeReader.open(recording))
        {
            final RecordingInfo info = reader.info();
            final int selected = population == null ? SpikeFilter.ALL_POPULATIONS : info.populationIndex(population);
            final long end = toStep != null ? toStep : (reader.complete() ? reader.stepsRecorded() : Long.MAX_VALUE);
            if (end <= fromStep)
            {
                throw new IllegalArgumentException("--to-step (" + end + ") must be greater than --from-step (" + fromStep + ")");
            }
            final int populations = info.populations().size();
            final long[] offset = new long[populations];
            final int[] drawn = new int[populations];
            long next = 0;
            for (int p = 0; p < populations; p++)
            {
                if (selected == SpikeFilter.ALL_POPULATIONS || selected == p)
                {
                    offset[p] = next;
                    drawn[p] = maxNeurons == null ? info.populations().get(p).size() : Math.min(maxNeurons, info.populations().get(p).size());
                    next += drawn[p];
                }
            }
            // per population: [0] single positive spikes, [1] multi-spike (count >= 2), [2] negative counts
            final Points[][] series = new Points[populations][3];
            for (final Points[] row : series)
            {
                for (int k = 0; k < 3; k++)
                {
                    row[k] = new Points();
                }
            }
            final double dt = info.dtMs();
            final long[] lastStep = {-1};
            final long excerpts = reader.read(new SpikeFilter(selected, fromStep, end), (step, pop, neurons, counts, n) ->
            {
                lastStep[0] = step;
                final double t = step * dt;
                for (int i = 0; i < n; i++)
                {
                    if (neurons[i] < drawn[pop])
                    {
                        final int kind = counts[i] < 0 ? 2 : counts[i] >= 2 ? 1 : 0;
                        series[pop][kind].add(t, offset[pop] + neurons[i]);
                    }
                }
            });
            long points = 0;
            for (final Points[] row : series)
            {
                for (final Points s : row)
                {
                    points += s.size;
                }
            }
            if (points == 0)
            {
                throw new IllegalStateException("no events to draw in '" + recording + "' for " +
                    (population == null ? "any population" : "population '" + population + "'") +
                    " in steps [" + fromStep + ", " + end + ") (" + excerpts + " excerpts read)");
            }
            final XYChart chart = chart(info, selected, end == Long.MAX_VALUE ? lastStep[0] + 1 : end, series);
            final Path parent = out.toAbsolutePath().getParent();
            if (parent != null)
            {
                Files.createDirectories(parent);
            }
            Files.write(out, BitmapEncoder.getBitmapBytes(chart, BitmapEncoder.BitmapFormat.PNG));
            System.out.printf("wrote %s (%dx%d): %,d events from %,d excerpts, steps [%d, %d)%n",
                out, width, height, points, excerpts, fromStep, end == Long.MAX_VALUE ? lastStep[0] + 1 : end);
            return 0;
        }
    }

    private void validate()
    {
        if (fromStep < 0)
        {
            throw new IllegalArgumentException("--from-step must be >= 0, got " + fromStep);
        }
        if (maxNeurons != null && maxNeurons < 1)
        {
            throw new IllegalArgumentException("--max-neurons must be >= 1, got " + maxNeurons);
        }
        if (width < 200 || height < 150 || width > 16384 || height > 16384)
        {
            throw new IllegalArgumentException("--width/--height must be in [200, 16384] x [150, 16384], got " + width + "x" + height);
        }
        if (!out.getFileName().toString().toLowerCase().endsWith(".png"))
        {
            throw new IllegalArgumentException("--out must name a .png file, got '" + out + "'");
        }
    }

    private XYChart chart(final RecordingInfo info, final int selected, final long end, final Points[][] series)
    {
        final String subtitle = info.model().isEmpty() ? "" : info.model() + ", ";
        final XYChart chart = new XYChartBuilder().width(width).height(height)
            .title("Spike raster: " + subtitle + "steps [" + fromStep + ", " + end + "), dt = " + info.dtMs() + " ms")
            .xAxisTitle("time (ms)")
            .yAxisTitle(yAxisTitle(info, selected))
            .build();
        final var styler = chart.getStyler();
        styler.setDefaultSeriesRenderStyle(org.knowm.xchart.XYSeries.XYSeriesRenderStyle.Scatter);
        styler.setMarkerSize(3);
        styler.setLegendPosition(Styler.LegendPosition.OutsideS);
        styler.setLegendLayout(Styler.LegendLayout.Horizontal);
        styler.setChartBackgroundColor(Color.WHITE);
        styler.setPlotGridLinesVisible(false);
        styler.setXAxisMin(fromStep * info.dtMs());
        styler.setXAxisMax(end * info.dtMs());
        final String[] suffix = {"", " (count >= 2)", " (negative count)"};
        final Marker[] markers = {SeriesMarkers.CIRCLE, SeriesMarkers.DIAMOND, SeriesMarkers.TRIANGLE_DOWN};
        for (int p = 0; p < series.length; p++)
        {
            for (int k = 0; k < 3; k++)
            {
                final Points s = series[p][k];
                if (s.size == 0)
                {
                    continue;
                }
                final XYSeries xy = chart.addSeries(info.populations().get(p).name() + suffix[k],
                    Arrays.copyOf(s.x, s.size), Arrays.copyOf(s.y, s.size));
                final Color base = COLORS[p % COLORS.length];
                xy.setMarker(markers[k]);
                xy.setMarkerColor(k == 0 ? base : k == 1 ? base.darker().darker() : new Color(0x555555));
            }
        }
        return chart;
    }

    private String yAxisTitle(final RecordingInfo info, final int selected)
    {
        final List<String> parts = new ArrayList<>();
        long next = 0;
        for (int p = 0; p < info.populations().size(); p++)
        {
            if (selected == SpikeFilter.ALL_POPULATIONS || selected == p)
            {
                final int size = info.populations().get(p).size();
                final int drawn = maxNeurons == null ? size : Math.min(maxNeurons, size);
                parts.add(info.populations().get(p).name() + " " + next + "-" + (next + drawn - 1));
                next += drawn;
            }
        }
        return "neuron (" + String.join(", ", parts) + ")";
    }
}
