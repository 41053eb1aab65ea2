package io.spikering.cli;

import org.knowm.xchart.AnnotationText;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.lines.SeriesLines;
import org.knowm.xchart.style.markers.SeriesMarkers;

import java.awt.Color;
import java.awt.Font;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The sweep's PNG plots. Every point is labelled with its dt (and dt_m) and carries its 95% Wilson interval as an
 * error bar, so that differences of one or two test samples do not look like a trade-off; the non-spiking baseline is
 * a horizontal line with its interval dashed.
 */
final class SweepPlots
{
    /** z of a two-sided 95% interval. */
    static final double Z95 = 1.959963984540054;

    private static final Color[] COLORS = {new Color(0x1f77b4), new Color(0xd62728), new Color(0x2ca02c), new Color(0x9467bd),
        new Color(0xff7f0e), new Color(0x8c564b)};

    /** One spiking run: its dt, dt_m (NaN: no memory quantizer), test samples, correct ones, and its x value on the plot. */
    record Point(double dt, double memoryDt, int samples, int correct, double x)
    {
        double accuracy()
        {
            return 100.0 * correct / samples;
        }

        String label()
        {
            return "dt " + ModelRun.trim(dt) + (Double.isNaN(memoryDt) ? "" : ", dt_m " + ModelRun.trim(memoryDt));
        }
    }

    private SweepPlots()
    {
    }

    /** Wilson score interval {low, high} of {@code correct} successes in {@code n} trials at normal quantile z (fractions). */
    static double[] wilson(final int correct, final int n, final double z)
    {
        if (n <= 0 || correct < 0 || correct > n)
        {
            throw new IllegalArgumentException("need 0 <= correct <= n and n >= 1, got " + correct + " of " + n);
        }
        final double p = (double)correct / n;
        final double z2 = z * z;
        final double denominator = 1 + z2 / n;
        final double centre = (p + z2 / (2.0 * n)) / denominator;
        final double half = z * Math.sqrt(p * (1 - p) / n + z2 / (4.0 * n * n)) / denominator;
        return new double[] {Math.max(0.0, centre - half), Math.min(1.0, centre + half)};
    }

    /**
     * Accuracy against {@code xTitle}: one series per memory dt, each point labelled and with its interval; the
     * baseline ({@code baselineX} null: a line across the plot, else one diamond at that x).
     */
    static void accuracyPlot(final Path file, final String title, final String xTitle, final List<Point> points, final int baselineSamples,
        final int baselineCorrect, final Double baselineX, final boolean logX) throws IOException
    {
        final XYChart chart = chart(title, xTitle);
        if (logX)
        {
            log2Axis(chart);
            final List<Point> log = new ArrayList<>();
            for (final Point p : points)
            {
                log.add(new Point(p.dt(), p.memoryDt(), p.samples(), p.correct(), Math.log(p.x()) / Math.log(2)));
            }
            accuracyPlotOn(chart, file, log, baselineSamples, baselineCorrect, baselineX);
            return;
        }
        accuracyPlotOn(chart, file, points, baselineSamples, baselineCorrect, baselineX);
    }

    /** A 900 x 560 chart with accuracy (%) on the y axis, legend below, small grey annotations. */
    static XYChart chart(final String title, final String xTitle)
    {
        return chart(title, xTitle, 900, 560);
    }

    /** As above, {@code width} x {@code height} pixels. */
    static XYChart chart(final String title, final String xTitle, final int width, final int height)
    {
        final XYChart chart = new XYChartBuilder().width(width).height(height).title(title).xAxisTitle(xTitle)
            .yAxisTitle("test accuracy (%), bars: 95% Wilson interval").build();
        chart.getStyler().setLegendPosition(org.knowm.xchart.style.Styler.LegendPosition.OutsideS);
        chart.getStyler().setLegendLayout(org.knowm.xchart.style.Styler.LegendLayout.Horizontal);
        chart.getStyler().setAnnotationTextFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
        chart.getStyler().setAnnotationTextFontColor(Color.DARK_GRAY);
        chart.getStyler().setYAxisDecimalPattern("0.00");
        return chart;
    }

    /** For x values plotted at log2(x): tick labels show x itself (every tick readable, unlike xchart's decade-only log axis). */
    static void log2Axis(final XYChart chart)
    {
        chart.getStyler().setXAxisTickLabelsFormattingFunction(v -> ModelRun.trim(Double.parseDouble(String.format(Locale.ROOT, "%.3g",
            Math.pow(2, v)))));
    }

    /** Sets both axes to the data ranges plus a margin; returns {xPad, yPad}. */
    static double[] axes(final XYChart chart, final double xMin, final double xMax, final double yMin, final double yMax)
    {
        final double yPad = Math.max(0.05, 0.12 * (yMax - yMin));
        chart.getStyler().setYAxisMin(yMin - yPad);
        chart.getStyler().setYAxisMax(yMax + yPad);
        final double xPad = Math.max(0.05, 0.12 * (xMax - xMin));
        chart.getStyler().setXAxisMin(xMin - xPad);
        chart.getStyler().setXAxisMax(xMax + xPad);
        return new double[] {xPad, yPad};
    }

    /** The 95% Wilson interval of {@code correct} of {@code samples} as a vertical bar at x (not in the legend). */
    static void errorBar(final XYChart chart, final String name, final double x, final int samples, final int correct, final Color color)
    {
        final double[] ci = wilson(correct, samples, Z95);
        line(chart, name, List.of(x, x), List.of(100 * ci[0], 100 * ci[1]), color, SeriesLines.SOLID, false);
    }

    /** A label just above y, so it never covers the point or its bar. */
    static void label(final XYChart chart, final String text, final double x, final double y)
    {
        chart.addAnnotation(new AnnotationText(text, x, y, false));
    }

    static Color color(final int i)
    {
        return COLORS[i % COLORS.length];
    }

    static void save(final XYChart chart, final Path file) throws IOException
    {
        BitmapEncoder.saveBitmap(chart, file.toString(), BitmapEncoder.BitmapFormat.PNG);
    }

    private static void accuracyPlotOn(final XYChart chart, final Path file, final List<Point> points, final int baselineSamples,
        final int baselineCorrect, final Double baselineX) throws IOException
    {
        double xMin = Double.POSITIVE_INFINITY;
        double xMax = Double.NEGATIVE_INFINITY;
        double yMin = Double.POSITIVE_INFINITY;
        double yMax = Double.NEGATIVE_INFINITY;
        for (final Point p : points)
        {
            final double[] ci = wilson(p.correct(), p.samples(), Z95);
            xMin = Math.min(xMin, p.x());
            xMax = Math.max(xMax, p.x());
            yMin = Math.min(yMin, 100 * ci[0]);
            yMax = Math.max(yMax, 100 * ci[1]);
        }
        final double[] baseCi = wilson(baselineCorrect, baselineSamples, Z95);
        yMin = Math.min(yMin, 100 * baseCi[0]);
        yMax = Math.max(yMax, 100 * baseCi[1]);
        if (baselineX != null)
        {
            xMin = Math.min(xMin, baselineX);
            xMax = Math.max(xMax, baselineX);
        }
        final double[] pad = axes(chart, xMin, xMax, yMin, yMax);
        final double xPad = pad[0];
        final double yPad = pad[1];
        final double baseline = 100.0 * baselineCorrect / baselineSamples;
        final String baseName = String.format(Locale.ROOT, "non-spiking %.2f%% (dashed: %.2f–%.2f)", baseline, 100 * baseCi[0], 100 * baseCi[1]);
        if (baselineX == null)
        {
            final double x0 = xMin - xPad;
            final double x1 = xMax + xPad;
            line(chart, baseName, List.of(x0, x1), List.of(baseline, baseline), Color.GRAY, SeriesLines.SOLID, true);
            line(chart, "baseline low", List.of(x0, x1), List.of(100 * baseCi[0], 100 * baseCi[0]), Color.GRAY, SeriesLines.DASH_DASH, false);
            line(chart, "baseline high", List.of(x0, x1), List.of(100 * baseCi[1], 100 * baseCi[1]), Color.GRAY, SeriesLines.DASH_DASH, false);
        }
        else
        {
            final XYSeries b = chart.addSeries(baseName, List.of(baselineX), List.of(baseline));
            b.setMarker(SeriesMarkers.DIAMOND).setMarkerColor(Color.GRAY).setLineStyle(SeriesLines.NONE);
            errorBar(chart, "baseline ci", baselineX, baselineSamples, baselineCorrect, Color.GRAY);
        }
        final Map<Double, List<Point>> groups = new LinkedHashMap<>();
        for (final Point p : points)
        {
            groups.computeIfAbsent(Double.isNaN(p.memoryDt()) ? -1.0 : p.memoryDt(), k -> new ArrayList<>()).add(p);
        }
        int g = 0;
        for (final Map.Entry<Double, List<Point>> e : groups.entrySet())
        {
            final Color color = color(g++);
            final List<Point> ps = new ArrayList<>(e.getValue());
            ps.sort((a, b) -> Double.compare(a.x(), b.x()));
            final List<Double> xs = new ArrayList<>();
            final List<Double> ys = new ArrayList<>();
            final Map<Double, String> labels = new LinkedHashMap<>();
            final Map<Double, Double> labelY = new LinkedHashMap<>();
            for (final Point p : ps)
            {
                xs.add(p.x());
                ys.add(p.accuracy());
                final double[] ci = wilson(p.correct(), p.samples(), Z95);
                errorBar(chart, "ci " + g + " " + xs.size(), p.x(), p.samples(), p.correct(), color);
                // points at the same x (e.g. memory bits do not depend on the hidden dt) share one label
                labels.merge(p.x(), p.label(), (a, b) -> a + " | " + b);
                labelY.merge(p.x(), 100 * ci[1], Math::max);
            }
            for (final Map.Entry<Double, String> l : labels.entrySet())
            {
                // just above the interval, so it never covers the point or its bar
                label(chart, l.getValue(), l.getKey(), labelY.get(l.getKey()) + 0.35 * yPad);
            }
            final String name = e.getKey() < 0 ? "spiking" : "spiking, dt_m " + ModelRun.trim(e.getKey());
            final XYSeries s = chart.addSeries(name, xs, ys);
            s.setMarker(SeriesMarkers.CIRCLE).setMarkerColor(color).setLineColor(color).setLineStyle(SeriesLines.DOT_DOT);
        }
        save(chart, file);
    }

    static void line(final XYChart chart, final String name, final List<Double> x, final List<Double> y, final Color color,
        final java.awt.BasicStroke style, final boolean inLegend)
    {
        final XYSeries s = chart.addSeries(name, x, y);
        s.setMarker(SeriesMarkers.NONE).setLineColor(color).setLineStyle(style).setShowInLegend(inLegend);
        s.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
    }
}
