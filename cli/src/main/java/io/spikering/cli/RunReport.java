package io.spikering.cli;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonObject;
import io.spikering.core.energy.EnergyEstimate;
import io.spikering.core.energy.OpKind;
import io.spikering.core.engine.OpCounter.Op;
import io.spikering.core.lmu.LmuFile;
import io.spikering.core.lmu.LmuModelNetwork;
import io.spikering.core.lmu.NeuroBenchMetrics;
import io.spikering.core.lmu.OpTotals;
import io.spikering.neuron.CountHistogram;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The results of a spiking run next to its non-spiking baseline: text table, JSON, Markdown report with PNG plots. */
final class RunReport
{
    private final LmuFile model;
    private final ModelRun spiking;
    private final ModelRun baseline;

    RunReport(final LmuFile model, final ModelRun spiking, final ModelRun baseline)
    {
        this.model = model;
        this.spiking = spiking;
        this.baseline = baseline;
    }

    /** The layers of a run's network: memory, the memory quantizer if any, hidden, readout. */
    private static int[] layerIds(final ModelRun run)
    {
        final LmuModelNetwork net = run.net;
        return net.memoryQuantizer() >= 0 ?
            new int[] {net.memory(), net.memoryQuantizer(), net.hidden(), net.readout()} :
            new int[] {net.memory(), net.hidden(), net.readout()};
    }

    private CountHistogram hiddenHistogram()
    {
        return spiking.result.ops().histogram(spiking.net.hidden());
    }

    /** The memory quantizer's histogram of the spiking run, or null if the model has none. */
    private CountHistogram memoryHistogram()
    {
        return spiking.net.memoryQuantizer() >= 0 ? spiking.result.ops().histogram(spiking.net.memoryQuantizer()) : null;
    }

    private static double activeFraction(final CountHistogram h)
    {
        return h.total() == 0 ? 0.0 : (double)h.nonZero() / h.total();
    }

    double activityBits()
    {
        return hiddenHistogram().meanActivityBits(false, false);
    }

    double activityBitsNonZero()
    {
        return hiddenHistogram().meanActivityBits(false, true);
    }

    double significantBits()
    {
        return hiddenHistogram().meanSignificantBits();
    }

    double activeFraction()
    {
        final CountHistogram h = hiddenHistogram();
        return h.total() == 0 ? 0.0 : (double)h.nonZero() / h.total();
    }

    /** The report table printed by run and demo. */
    String table()
    {
        final StringBuilder s = new StringBuilder();
        final int n = spiking.result.samples();
        s.append(String.format(Locale.ROOT, "model %s: LMU order %d, theta %s, hidden %d %s, window %d of %d steps, %d classes%n",
            model.source(), model.order(), ModelRun.trim(model.theta()), model.hidden(), model.activation().name().toLowerCase(Locale.ROOT),
            model.window(), model.steps(), model.classes()));
        final boolean memoryQuantized = spiking.net.memoryQuantizer() >= 0;
        s.append(String.format(Locale.ROOT, "psMNIST test, %d samples, memory %s%s, %d thread(s)%n", n,
            spiking.net.memoryMode().name().toLowerCase(Locale.ROOT), baseline.net.memoryMode() == spiking.net.memoryMode() ? "" :
                " (non-spiking baseline: " + baseline.net.memoryMode().name().toLowerCase(Locale.ROOT) + ")", spiking.result.threads()));
        final LmuFile.Encoding encoding = model.encoding();
        if (encoding.hiddenDelta())
        {
            s.append(String.format(Locale.ROOT, "hidden units delta-encoded (Loihi 2's rule), threshold %s counts%n",
                ModelRun.trim(encoding.hiddenThreshold())));
        }
        s.append(memoryQuantized ? String.format(Locale.ROOT, "memory output %s in the window, dt_m %s%n%n",
            encoding.memoryDelta() ? "delta-encoded (Loihi 2's rule), threshold " + ModelRun.trim(encoding.memoryThreshold()) + " counts,"
                : "sigma-delta quantized",
            ModelRun.trim(spiking.net.memoryDt())) : String.format(Locale.ROOT, "memory output not quantized%n%n"));
        s.append(String.format(Locale.ROOT, "%-28s %16s %16s%n", "", "spiking dt " + ModelRun.trim(spiking.net.dt()), "non-spiking"));
        s.append(String.format(Locale.ROOT, "%-28s %15.2f%% %15.2f%%%n", "accuracy", 100 * spiking.result.accuracy(),
            100 * baseline.result.accuracy()));
        s.append(String.format(Locale.ROOT, "%-28s %16.1f %16.1f%n", "samples/s", spiking.result.samplesPerSecond(),
            baseline.result.samplesPerSecond()));
        s.append(String.format(Locale.ROOT, "%-28s %16.3f %16s%n", "hidden activity bits (all)", activityBits(), "-"));
        s.append(String.format(Locale.ROOT, "%-28s %16.3f %16s%n", "hidden activity bits (nz)", activityBitsNonZero(), "-"));
        s.append(String.format(Locale.ROOT, "%-28s %16.3f %16s%n", "hidden significant bits", significantBits(), "-"));
        s.append(String.format(Locale.ROOT, "%-28s %16.3f %16s%n", "hidden active fraction", activeFraction(), "-"));
        final CountHistogram mh = memoryHistogram();
        if (mh != null)
        {
            s.append(String.format(Locale.ROOT, "%-28s %16.3f %16s%n", "memory activity bits (all)", mh.meanActivityBits(false, false), "-"));
            s.append(String.format(Locale.ROOT, "%-28s %16.3f %16s%n", "memory activity bits (nz)", mh.meanActivityBits(false, true), "-"));
            s.append(String.format(Locale.ROOT, "%-28s %16.3f %16s%n", "memory significant bits", mh.meanSignificantBits(), "-"));
            s.append(String.format(Locale.ROOT, "%-28s %16.3f %16s%n", "memory active fraction", activeFraction(mh), "-"));
        }
        s.append(String.format(Locale.ROOT, "%nops per inference (layer = own ops + projections into it)%n"));
        s.append(String.format(Locale.ROOT, "%-22s", "layer"));
        for (final OpKind k : OpKind.values())
        {
            s.append(String.format(Locale.ROOT, " %14s", k.key()));
        }
        s.append('\n');
        for (final ModelRun run : new ModelRun[] {spiking, baseline})
        {
            final String tag = run == spiking ? "" : " (non-sp.)";
            for (final int layer : layerIds(run))
            {
                s.append(String.format(Locale.ROOT, "%-22s", run.net.network().population(layer).name() + tag));
                for (final OpKind k : OpKind.values())
                {
                    s.append(String.format(Locale.ROOT, " %14.0f", (double)run.result.ops().layer(layer, Op.valueOf(k.name())) / n));
                }
                s.append('\n');
            }
            s.append(String.format(Locale.ROOT, "%-22s", "total" + tag));
            for (final OpKind k : OpKind.values())
            {
                s.append(String.format(Locale.ROOT, " %14.0f", run.perInference.get(k)));
            }
            s.append('\n');
        }
        s.append(String.format(Locale.ROOT, "%nNeuroBench metrics per inference (docs/neurobench.md)%n"));
        s.append(NeuroBenchMetrics.table(List.of("spiking", "non-spiking"), spiking.neuroBench, baseline.neuroBench));
        s.append(String.format(Locale.ROOT, "%nenergy per inference (estimates; see docs/energy.md)%n"));
        s.append(String.format(Locale.ROOT, "%-22s %16s %16s %10s%n", "profile", "spiking", "non-spiking", "ratio"));
        for (int i = 0; i < spiking.energy.size(); i++)
        {
            final EnergyEstimate e = spiking.energy.get(i);
            final EnergyEstimate b = baseline.energy.get(i);
            s.append(String.format(Locale.ROOT, "%-22s %16s %16s %10s%n", e.profileName(), EnergyEstimate.format(e.joules()),
                EnergyEstimate.format(b.joules()), b.joules() == 0 ? "-" : String.format(Locale.ROOT, "%.3f", e.joules() / b.joules())));
        }
        return s.toString();
    }

    /** JSON object: the keys documented in docs/user-guide.md. */
    JsonObject json()
    {
        final JsonObject o = new JsonObject();
        o.addProperty("model", String.valueOf(model.source()));
        o.addProperty("dataset", "psmnist");
        o.addProperty("memory_mode", spiking.net.memoryMode().name().toLowerCase(Locale.ROOT));
        o.addProperty("dt", spiking.net.dt());
        o.addProperty("memory_quantized", spiking.net.memoryQuantizer() >= 0);
        final CountHistogram mh = memoryHistogram();
        if (mh != null)
        {
            o.addProperty("memory_dt", spiking.net.memoryDt());
            o.addProperty("memory_activity_bits", mh.meanActivityBits(false, false));
            o.addProperty("memory_activity_bits_nonzero", mh.meanActivityBits(false, true));
            o.addProperty("memory_significant_bits", mh.meanSignificantBits());
            o.addProperty("memory_active_fraction", activeFraction(mh));
        }
        o.addProperty("threads", spiking.result.threads());
        o.addProperty("samples", spiking.result.samples());
        o.addProperty("accuracy", spiking.result.accuracy());
        o.addProperty("samples_per_second", spiking.result.samplesPerSecond());
        o.addProperty("synops", spiking.perInference.synops());
        o.addProperty("macs", spiking.perInference.macsEffective());
        o.addProperty("mean_activity_bits", activityBits());
        o.addProperty("mean_activity_bits_nonzero", activityBitsNonZero());
        o.addProperty("mean_significant_bits", significantBits());
        o.addProperty("active_fraction", activeFraction());
        o.add("ops", ops(spiking));
        o.add("layers", layers(spiking));
        o.add("energy", energy(spiking));
        o.add("neurobench", spiking.neuroBench.toJson());
        o.addProperty("energy_note", "estimates in joules per inference: op counts times per-operation costs of each profile");
        final JsonObject b = new JsonObject();
        b.addProperty("memory_mode", baseline.net.memoryMode().name().toLowerCase(Locale.ROOT));
        b.addProperty("accuracy", baseline.result.accuracy());
        b.addProperty("samples_per_second", baseline.result.samplesPerSecond());
        b.addProperty("synops", baseline.perInference.synops());
        b.addProperty("macs", baseline.perInference.macsEffective());
        b.add("ops", ops(baseline));
        b.add("layers", layers(baseline));
        b.add("energy", energy(baseline));
        b.add("neurobench", baseline.neuroBench.toJson());
        o.add("non_spiking", b);
        return o;
    }

    String jsonText()
    {
        return new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().serializeSpecialFloatingPointValues().create().toJson(json());
    }

    private static JsonObject ops(final ModelRun run)
    {
        final JsonObject o = new JsonObject();
        for (final OpKind k : OpKind.values())
        {
            o.addProperty(k.key(), run.perInference.get(k));
        }
        return o;
    }

    private static JsonObject layers(final ModelRun run)
    {
        final JsonObject o = new JsonObject();
        final OpTotals ops = run.result.ops();
        for (final int layer : layerIds(run))
        {
            final JsonObject l = new JsonObject();
            for (final OpKind k : OpKind.values())
            {
                l.addProperty(k.key(), (double)ops.layer(layer, Op.valueOf(k.name())) / run.result.samples());
            }
            o.add(run.net.network().population(layer).name(), l);
        }
        return o;
    }

    private static JsonObject energy(final ModelRun run)
    {
        final JsonObject o = new JsonObject();
        for (final EnergyEstimate e : run.energy)
        {
            o.addProperty(e.profileName(), e.joules());
        }
        return o;
    }

    /** Writes report.md, report.json and the PNG plots into {@code dir}. */
    void write(final Path dir) throws IOException
    {
        Files.createDirectories(dir);
        opsChart(dir.resolve("ops-per-layer.png"));
        histogramChart(dir.resolve("count-histogram.png"));
        rasterChart(dir.resolve("raster.png"));
        Files.writeString(dir.resolve("report.json"), jsonText(), StandardCharsets.UTF_8);
        final StringBuilder md = new StringBuilder();
        md.append("# spikering run report\n\n");
        md.append("Command-line equivalent of this report: `./spikering run --model ").append(model.source()).append(" --dataset psmnist --samples ")
            .append(spiking.result.samples()).append(" --dt ").append(ModelRun.trim(spiking.net.dt())).append("`. ");
        md.append("Field definitions: docs/user-guide.md. Energy figures are **estimates** (docs/energy.md).\n\n");
        md.append("```\n").append(table()).append("```\n\n");
        md.append("## Operations per layer\n\n![ops per layer](ops-per-layer.png)\n\n");
        md.append("## Hidden-layer count histogram\n\n![count histogram](count-histogram.png)\n\n");
        md.append("| count n | neuron-steps | fraction |\n|---|---|---|\n");
        final CountHistogram h = hiddenHistogram();
        for (long c = -16; c <= 16; c++)
        {
            if (h.countOf(c) > 0)
            {
                md.append(String.format(Locale.ROOT, "| %d | %d | %.4f |%n", c, h.countOf(c), (double)h.countOf(c) / h.total()));
            }
        }
        md.append("\n## Raster of the first samples\n\n![raster](raster.png)\n");
        Files.writeString(dir.resolve("report.md"), md.toString(), StandardCharsets.UTF_8);
    }

    private void opsChart(final Path file) throws IOException
    {
        final CategoryChart chart = new CategoryChartBuilder().width(900).height(500).title("Operations per inference by layer")
            .xAxisTitle("layer").yAxisTitle("ops per inference").build();
        final List<String> names = new ArrayList<>();
        for (final int layer : layerIds(spiking))
        {
            names.add(spiking.net.network().population(layer).name());
        }
        chart.addSeries("spiking: synops + MACs", names, perLayer(spiking, names, Op.SYNOPS));
        chart.addSeries("spiking: shift-adds + MACs", names, perLayer(spiking, names, Op.SHIFT_ADDS));
        chart.addSeries("non-spiking: MACs", names, perLayer(baseline, names, Op.SYNOPS));
        BitmapEncoder.saveBitmap(chart, file.toString(), BitmapEncoder.BitmapFormat.PNG);
    }

    /** {@code op} + MACS_EFFECTIVE per inference of the layers {@code names} in {@code run} (0 for a layer its network lacks). */
    private static List<Double> perLayer(final ModelRun run, final List<String> names, final Op op)
    {
        final List<Double> v = new ArrayList<>();
        final OpTotals o = run.result.ops();
        for (final String name : names)
        {
            double value = 0.0;
            for (final int layer : layerIds(run))
            {
                if (run.net.network().population(layer).name().equals(name))
                {
                    value = (double)(o.layer(layer, op) + o.layer(layer, Op.MACS_EFFECTIVE)) / run.result.samples();
                }
            }
            v.add(value);
        }
        return v;
    }

    private void histogramChart(final Path file) throws IOException
    {
        final CountHistogram h = hiddenHistogram();
        final List<String> xs = new ArrayList<>();
        final List<Double> ys = new ArrayList<>();
        for (long c = -8; c <= 8; c++)
        {
            if (h.countOf(c) > 0)
            {
                xs.add(Long.toString(c));
                ys.add((double)h.countOf(c) / h.total());
            }
        }
        final CategoryChart chart = new CategoryChartBuilder().width(700).height(450)
            .title(String.format(Locale.ROOT, "Hidden counts per neuron-step (dt %s): %.2f activity bits, %.2f significant bits",
                ModelRun.trim(spiking.net.dt()), activityBits(), significantBits()))
            .xAxisTitle("count n").yAxisTitle("fraction of neuron-steps").build();
        chart.getStyler().setLegendVisible(false);
        if (xs.isEmpty())
        {
            xs.add("0");
            ys.add(0.0);
        }
        chart.addSeries("counts", xs, ys);
        BitmapEncoder.saveBitmap(chart, file.toString(), BitmapEncoder.BitmapFormat.PNG);
    }

    private void rasterChart(final Path file) throws IOException
    {
        final int[][][] raster = spiking.result.raster();
        final int steps = raster.length == 0 ? 1 : raster[0].length;
        final XYChart chart = new XYChartBuilder().width(900).height(500)
            .title("Hidden events of the first " + raster.length + " samples (" + steps + " steps each, left to right)")
            .xAxisTitle("test sample (one unit = one sample's " + steps + " steps)").yAxisTitle("hidden neuron").build();
        chart.getStyler().setDefaultSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
        chart.getStyler().setMarkerSize(3);
        // one tick per sample: the axis spans [0, samples] and each sample's steps fill [s, s + 1)
        chart.getStyler().setXAxisMin(0.0);
        chart.getStyler().setXAxisMax((double)Math.max(1, raster.length));
        chart.getStyler().setXAxisDecimalPattern("0");
        chart.getStyler().setXAxisTickMarkSpacingHint(Math.max(40, 800 / (Math.max(1, raster.length) + 1)));
        for (int s = 1; s < raster.length; s++)
        {
            chart.addAnnotation(new org.knowm.xchart.AnnotationLine(s, true, false));
        }
        final List<Double> px = new ArrayList<>();
        final List<Double> py = new ArrayList<>();
        final List<Double> nx = new ArrayList<>();
        final List<Double> ny = new ArrayList<>();
        for (int s = 0; s < raster.length; s++)
        {
            for (int k = 0; k < raster[s].length; k++)
            {
                final int[] c = raster[s][k];
                for (int j = 0; c != null && j < c.length; j++)
                {
                    if (c[j] > 0)
                    {
                        px.add(s + (k + 0.5) / raster[s].length);
                        py.add((double)j);
                    }
                    else if (c[j] < 0)
                    {
                        nx.add(s + (k + 0.5) / raster[s].length);
                        ny.add((double)j);
                    }
                }
            }
        }
        if (px.isEmpty())
        {
            px.add(0.0);
            py.add(-1.0);
        }
        chart.addSeries("positive count", px, py).setMarker(SeriesMarkers.CIRCLE);
        if (!nx.isEmpty())
        {
            chart.addSeries("negative count", nx, ny).setMarker(SeriesMarkers.CIRCLE);
        }
        BitmapEncoder.saveBitmap(chart, file.toString(), BitmapEncoder.BitmapFormat.PNG);
    }
}
