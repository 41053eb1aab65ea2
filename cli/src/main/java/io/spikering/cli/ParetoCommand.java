package io.spikering.cli;

import io.spikering.core.energy.EnergyProfile;
import io.spikering.core.energy.EnergyProfiles;
import io.spikering.core.lmu.LmuEvaluation;
import io.spikering.core.lmu.LmuFile;
import io.spikering.core.lmu.LmuModelNetwork.MemoryMode;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.lines.SeriesLines;
import org.knowm.xchart.style.markers.SeriesMarkers;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.awt.BasicStroke;
import java.awt.Color;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Callable;

/**
 * {@code spikering pareto}: accuracy against energy per inference, per energy profile, over several LMU model files at
 * one or more operating points, each model also run non-spiking in every dense memory mode; the Pareto front per
 * profile as CSV and PNG.
 */
@Command(name = "pareto", mixinStandardHelpOptions = true,
    description = "Accuracy-versus-energy Pareto front per energy profile over LMU model files: each model runs spiking in the event "
        + "engine on the psMNIST test set at each --dt (and --memory-dt), and non-spiking in each dense memory mode; energy per "
        + "inference (estimates) and its ratio to the model's cheapest dense implementation on that profile go to OUT/pareto.csv, "
        + "the front of each profile to OUT/pareto-PROFILE.png (docs/user-guide.md).")
public final class ParetoCommand implements Callable<Integer>
{
    private static final String MODELS_FIX = "give psMNIST LMU model files (.safetensors), comma-separated, e.g. --models "
        + "models/psmnist-lmu-hybrid.safetensors,models/psmnist-lmu-hybrid-qmem.safetensors";

    @Option(names = "--models", required = true, split = ",", paramLabel = "FILE",
        description = "LMU model files (.safetensors, docs/model-format.md), comma-separated")
    List<String> models;

    @Option(names = "--dataset", defaultValue = "psmnist", description = "data set (psmnist)")
    String dataset;

    @Option(names = "--data", description = "MNIST cache directory (default ~/.cache/spikering/mnist or $SPIKERING_CACHE/mnist)")
    Path data;

    @Option(names = {"--test-limit", "--samples"}, description = "the first N test samples (default all 10000)")
    Integer testLimit;

    @Option(names = "--dt", split = ",", description = "hidden quantizer dt values (default: each file's)")
    List<Double> dts;

    @Option(names = "--memory-dt", split = ",",
        description = "memory quantizer dt values, for the models that quantize their memory output (default: each file's)")
    List<Double> memoryDts;

    @Option(names = {"--profiles", "--energy-profile"}, split = ",", defaultValue = "all",
        description = "'all' (the built-in profiles), or profile names / JSON profile files, comma-separated")
    List<String> profiles;

    @Option(names = "--memory", description = "LMU memory of the spiking runs: 'filter' (default; 'recurrence' for a recurrent model), "
        + "'fused' or 'recurrence'")
    String memory;

    @Option(names = "--threads", defaultValue = "0", description = "samples in flight, one simulator each (default: available cores)")
    int threads;

    @Option(names = "--batch", description = "samples each thread steps in lockstep; results are the same for every batch size (default 32)")
    Integer batch;

    @Option(names = "--out", required = true, description = "output directory for pareto.csv and the PNGs")
    Path out;

    @Option(names = "--no-progress", description = "no progress bar")
    boolean noProgress;

    /** One pass of one model: spiking at an operating point, or non-spiking (dense) in one memory mode. */
    record Run(String model, Path file, boolean spiking, ModelRun run)
    {
        String point()
        {
            if (!spiking)
            {
                return "dense " + run.net.memoryMode().name().toLowerCase(Locale.ROOT);
            }
            return "dt " + ModelRun.trim(run.net.dt()) + (run.net.memoryQuantizer() >= 0 ? ", dt_m " + ModelRun.trim(run.net.memoryDt()) : "");
        }

        double accuracy()
        {
            return (double)run.result.correct() / run.result.samples();
        }
    }

    @Override
    public Integer call() throws Exception
    {
        return call(null);
    }

    /** On {@code samples}, or on the psMNIST test set of each model when null (tests may pass small synthetic samples). */
    int call(final LmuEvaluation.Samples samples) throws Exception
    {
        if (dts != null)
        {
            for (final Double d : dts)
            {
                Validate.positiveFinite("--dt", d);
            }
        }
        if (memoryDts != null)
        {
            for (final Double d : memoryDts)
            {
                Validate.positiveFinite("--memory-dt", d);
            }
        }
        if (testLimit != null)
        {
            Validate.range("--test-limit", testLimit, 1, Integer.MAX_VALUE);
        }
        Validate.outputDirectory("--out", out);
        final int t = Validate.threads("--threads", threads, io.spikering.core.engine.Simulator.MAX_THREADS);
        final int b = ModelRunOptions.batch(batch);
        final MemoryMode spikingMode = memory == null ? null : MemoryMode.parse(memory);
        final List<EnergyProfile> ps = profiles(profiles);
        final List<String> names = new ArrayList<>();
        final List<LmuFile> files = loadModels(names);
        final List<Run> runs = new ArrayList<>();
        for (int i = 0; i < files.size(); i++)
        {
            final LmuFile m = files.get(i);
            final LmuEvaluation.Samples test = samples != null ? samples : LmuEvaluation.Samples.of(ModelRun.psMnistTest(dataset, data, m));
            final int n = testLimit == null ? test.size() : (int)Validate.range("--test-limit", testLimit, 1, test.size());
            System.out.println("pareto: " + names.get(i) + " (" + (i + 1) + " of " + files.size() + "), " + n + " test samples");
            for (final MemoryMode dense : denseModes(m))
            {
                runs.add(new Run(names.get(i), m.source(), false,
                    ModelRun.run(m, test, n, t, b, false, Double.NaN, Double.NaN, dense, ps, !noProgress, 0)));
            }
            final MemoryMode mode = spikingMode != null ? spikingMode : m.recurrent() ? MemoryMode.RECURRENCE : MemoryMode.FILTER;
            final List<Double> memoryValues = memoryDts == null || memoryDts.isEmpty() || !m.memoryQuantized() ? List.of(Double.NaN) : memoryDts;
            for (final double dm : memoryValues)
            {
                for (final double d : dts == null || dts.isEmpty() ? List.of(Double.NaN) : dts)
                {
                    runs.add(new Run(names.get(i), m.source(), true, ModelRun.run(m, test, n, t, b, true, d, dm, mode, ps, !noProgress, 0)));
                }
            }
        }
        Files.createDirectories(out);
        final StringBuilder csv = new StringBuilder(CSV_HEADER).append('\n');
        final List<String> pngs = new ArrayList<>();
        for (int p = 0; p < ps.size(); p++)
        {
            final Table table = table(runs, p);
            for (int r = 0; r < runs.size(); r++)
            {
                csvRow(csv, ps.get(p).name(), runs.get(r), table, r);
            }
            final String png = "pareto-" + ps.get(p).name() + ".png";
            plot(out.resolve(png), ps.get(p).name(), runs, table);
            pngs.add(png);
            print(ps.get(p).name(), runs, table);
        }
        Files.writeString(out.resolve("pareto.csv"), csv.toString(), StandardCharsets.UTF_8);
        System.out.println("wrote " + out.resolve("pareto.csv") + " and " + String.join(", ", pngs) + " in " + out
            + " (energy: estimates; docs/energy.md)");
        return 0;
    }

    static final String CSV_HEADER = "profile,model,file,kind,memory_mode,dt,memory_dt,samples,correct,accuracy,accuracy_ci95_low,"
        + "accuracy_ci95_high,energy_j,cheapest_dense_memory_mode,cheapest_dense_energy_j,energy_ratio_to_cheapest_dense,on_front";

    /**
     * The dense (non-spiking) implementations of a model that docs/energy.md compares against: with an event-driven memory,
     * 'filter' (cheapest on every-synapse hardware) and 'fused' (cheapest when zero inputs are skipped); a recurrent model
     * has only the recurrence. The step-by-step recurrence of a feed-forward model is never cheaper than 'filter' (51.6 M
     * against 0.6 M memory MACs per psMNIST sample, docs/user-guide.md), so it is not run.
     */
    static List<MemoryMode> denseModes(final LmuFile m)
    {
        return m.recurrent() ? List.of(MemoryMode.RECURRENCE) : List.of(MemoryMode.FILTER, MemoryMode.FUSED);
    }

    /** One profile's energies, each run's model's cheapest dense run, and the front. */
    record Table(double[] energy, int[] cheapestDense, String[] cheapestMode, boolean[] onFront)
    {
        double ratio(final int r)
        {
            return energy[r] / energy[cheapestDense[r]];
        }

        /** The memory mode of run r's model's cheapest dense run ('filter', 'fused' or 'recurrence'). */
        String cheapestDenseMode(final int r)
        {
            return cheapestMode[r];
        }
    }

    static Table table(final List<Run> runs, final int profile)
    {
        final int n = runs.size();
        final double[] energy = new double[n];
        final double[] accuracy = new double[n];
        for (int r = 0; r < n; r++)
        {
            energy[r] = runs.get(r).run.energy.get(profile).joules();
            accuracy[r] = runs.get(r).accuracy();
        }
        final int[] cheapest = new int[n];
        final String[] mode = new String[n];
        for (int r = 0; r < n; r++)
        {
            int best = -1;
            for (int q = 0; q < n; q++)
            {
                if (!runs.get(q).spiking && runs.get(q).model.equals(runs.get(r).model) && (best < 0 || energy[q] < energy[best]))
                {
                    best = q;
                }
            }
            cheapest[r] = best;
            mode[r] = runs.get(best).run.net.memoryMode().name().toLowerCase(Locale.ROOT);
        }
        return new Table(energy, cheapest, mode, ParetoFront.onFront(accuracy, energy));
    }

    private static void csvRow(final StringBuilder csv, final String profile, final Run run, final Table table, final int r)
    {
        final ModelRun m = run.run;
        final boolean memoryQuantized = run.spiking && m.net.memoryQuantizer() >= 0;
        final double[] ci = SweepPlots.wilson(m.result.correct(), m.result.samples(), SweepPlots.Z95);
        csv.append(profile).append(',').append(run.model).append(',').append(run.file).append(',').append(run.spiking ? "spiking" : "dense")
            .append(',').append(m.net.memoryMode().name().toLowerCase(Locale.ROOT))
            .append(',').append(run.spiking ? ModelRun.trim(m.net.dt()) : "")
            .append(',').append(memoryQuantized ? ModelRun.trim(m.net.memoryDt()) : "")
            .append(',').append(m.result.samples()).append(',').append(m.result.correct())
            .append(String.format(Locale.ROOT, ",%.6f,%.6f,%.6f,%.9e,", run.accuracy(), ci[0], ci[1], table.energy[r]))
            .append(table.cheapestDenseMode(r))
            .append(String.format(Locale.ROOT, ",%.9e,%.6f,%b%n", table.energy[table.cheapestDense[r]], table.ratio(r), table.onFront[r]));
    }

    private static void print(final String profile, final List<Run> runs, final Table table)
    {
        System.out.printf(Locale.ROOT, "%nprofile %s (energy per inference, estimate; ratio to the model's cheapest dense implementation)%n", profile);
        for (int r = 0; r < runs.size(); r++)
        {
            final Run run = runs.get(r);
            System.out.printf(Locale.ROOT, "  %s %-34s %-18s acc %6.2f%%  %10.4g nJ  ratio %6.3f (vs %s)%s%n", table.onFront[r] ? "*" : " ", run.model,
                run.point(), 100 * run.accuracy(), table.energy[r] * 1e9, table.ratio(r), table.cheapestDenseMode(r),
                table.onFront[r] ? "  front" : "");
        }
    }

    /** All points with their intervals and labels, one colour per model (dense runs as diamonds), the front as a step line. */
    private static void plot(final Path file, final String profile, final List<Run> runs, final Table table) throws IOException
    {
        final int n = runs.size();
        double rMin = Double.POSITIVE_INFINITY;
        double rMax = Double.NEGATIVE_INFINITY;
        for (int r = 0; r < n; r++)
        {
            rMin = Math.min(rMin, table.ratio(r));
            rMax = Math.max(rMax, table.ratio(r));
        }
        // a log axis once the ratios span a factor of 8 or more (and are all positive)
        final boolean log = rMin > 0 && rMax / rMin >= 8;
        final double[] x = new double[n];
        double xMin = Double.POSITIVE_INFINITY;
        double xMax = Double.NEGATIVE_INFINITY;
        double yMin = Double.POSITIVE_INFINITY;
        double yMax = Double.NEGATIVE_INFINITY;
        for (int r = 0; r < n; r++)
        {
            final ModelRun m = runs.get(r).run;
            final double[] ci = SweepPlots.wilson(m.result.correct(), m.result.samples(), SweepPlots.Z95);
            x[r] = log ? Math.log(table.ratio(r)) / Math.log(2) : table.ratio(r);
            xMin = Math.min(xMin, x[r]);
            xMax = Math.max(xMax, x[r]);
            yMin = Math.min(yMin, 100 * ci[0]);
            yMax = Math.max(yMax, 100 * ci[1]);
        }
        final int samples = runs.get(0).run.result.samples();
        final XYChart chart = SweepPlots.chart("Accuracy vs energy per inference (estimate, " + profile + ") — " + samples + " test samples",
            "energy / the model's cheapest dense implementation on " + profile + (log ? " (log scale)" : ""), 1000, 720);
        // one legend entry per line: model names are long
        chart.getStyler().setLegendLayout(org.knowm.xchart.style.Styler.LegendLayout.Vertical);
        if (log)
        {
            SweepPlots.log2Axis(chart);
        }
        final double[] pad = SweepPlots.axes(chart, xMin, xMax, yMin, yMax);
        labels(chart, runs, x, xMax - xMin + 2 * pad[0], yMax - yMin + 2 * pad[1], yMax + pad[1]);
        final List<String> modelNames = new ArrayList<>();
        for (final Run run : runs)
        {
            if (!modelNames.contains(run.model))
            {
                modelNames.add(run.model);
            }
        }
        for (int g = 0; g < modelNames.size(); g++)
        {
            final Color color = SweepPlots.color(g);
            for (final boolean spiking : new boolean[] {true, false})
            {
                final List<Double> xs = new ArrayList<>();
                final List<Double> ys = new ArrayList<>();
                for (int r = 0; r < n; r++)
                {
                    final Run run = runs.get(r);
                    if (run.model.equals(modelNames.get(g)) && run.spiking == spiking)
                    {
                        xs.add(x[r]);
                        ys.add(100 * run.accuracy());
                        SweepPlots.errorBar(chart, "ci " + r, x[r], run.run.result.samples(), run.run.result.correct(), color);
                    }
                }
                if (!xs.isEmpty())
                {
                    final XYSeries s = chart.addSeries(modelNames.get(g) + (spiking ? " spiking" : " dense (non-spiking)"), xs, ys);
                    s.setMarker(spiking ? SeriesMarkers.CIRCLE : SeriesMarkers.DIAMOND).setMarkerColor(color).setLineStyle(SeriesLines.NONE);
                    s.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
                }
            }
        }
        final List<Integer> front = new ArrayList<>();
        for (int r = 0; r < n; r++)
        {
            if (table.onFront[r])
            {
                front.add(r);
            }
        }
        // in order of energy: the best accuracy reachable at each energy is flat until the next front point
        front.sort((a, b) -> table.energy[a] != table.energy[b] ? Double.compare(table.energy[a], table.energy[b])
            : Double.compare(runs.get(a).accuracy(), runs.get(b).accuracy()));
        final List<Double> fx = new ArrayList<>();
        final List<Double> fy = new ArrayList<>();
        for (int k = 0; k < front.size(); k++)
        {
            final int r = front.get(k);
            if (k > 0)
            {
                fx.add(x[r]);
                fy.add(fy.get(fy.size() - 1));
            }
            fx.add(x[r]);
            fy.add(100 * runs.get(r).accuracy());
        }
        SweepPlots.line(chart, "Pareto front (energy per inference)", fx, fy, Color.BLACK, new BasicStroke(1.5f), true);
        SweepPlots.save(chart, file);
    }

    /**
     * Labels each point above its interval: identical points share one label, and a label that would overlap one already
     * placed moves up a line. Raises the y axis to fit them.
     */
    private static void labels(final XYChart chart, final List<Run> runs, final double[] x, final double xSpan, final double ySpan,
        final double yTop)
    {
        final int n = runs.size();
        // text metrics in data units: about 6.2 px per character of the 11 pt font and 18 px per line on a plot area of about 900 x 480 px
        final double charWidth = 6.2 / 900 * xSpan;
        final double line = 16.0 / 480 * ySpan;
        final String[] text = new String[n];
        final double[] y = new double[n];
        for (int r = 0; r < n; r++)
        {
            final Run run = runs.get(r);
            text[r] = run.model + " " + run.point();
            y[r] = 100 * SweepPlots.wilson(run.run.result.correct(), run.run.result.samples(), SweepPlots.Z95)[1] + 0.5 * line;
            for (int q = 0; q < r; q++)
            {
                if (text[q] != null && x[q] == x[r] && runs.get(q).accuracy() == run.accuracy())
                {
                    text[q] = text[q] + " | " + text[r];
                    text[r] = null;
                    break;
                }
            }
        }
        double top = yTop;
        final List<Integer> placed = new ArrayList<>();
        for (int r = 0; r < n; r++)
        {
            if (text[r] == null)
            {
                y[r] = Double.NaN;
                continue;
            }
            boolean moved = true;
            while (moved)
            {
                moved = false;
                for (final int q : placed)
                {
                    final double halfWidths = 0.5 * charWidth * (text[q].length() + text[r].length());
                    // 0.99: a label moved to y[q] + line must not overlap q again through rounding
                    if (Math.abs(x[q] - x[r]) < halfWidths && Math.abs(y[q] - y[r]) < 0.99 * line)
                    {
                        y[r] = y[q] + line;
                        moved = true;
                    }
                }
            }
            placed.add(r);
            SweepPlots.label(chart, text[r], x[r], y[r]);
            top = Math.max(top, y[r] + 0.6 * line);
        }
        chart.getStyler().setYAxisMax(top);
    }

    /** Loads every --models file, refusing anything but LMU model files with one message naming the option; fills {@code names}. */
    private List<LmuFile> loadModels(final List<String> names)
    {
        if (models == null || models.isEmpty() || models.stream().allMatch(String::isBlank))
        {
            throw new IllegalArgumentException("--models is empty: " + MODELS_FIX);
        }
        final List<LmuFile> files = new ArrayList<>();
        final Set<String> seen = new HashSet<>();
        boolean anyMemoryQuantized = false;
        for (final String s : models)
        {
            if (s.isBlank())
            {
                throw new IllegalArgumentException("--models has an empty entry (two commas, or a comma at an end): " + MODELS_FIX);
            }
            final Path p = Path.of(s);
            if (NirOptions.isNir(p))
            {
                throw new IllegalArgumentException("--models " + p + " is a NIR graph; pareto compares LMU model files (.safetensors): "
                    + "run a NIR graph with 'run --model " + p + " --input X.npy --dt S' or 'sweep' (docs/nir.md)");
            }
            final String name = name(p);
            if (!seen.add(name))
            {
                throw new IllegalArgumentException("--models names two files called " + name + " (points are labelled by file name): "
                    + "list each model once, or rename one");
            }
            final LmuFile m;
            try
            {
                io.spikering.core.InputFiles.requireRegular("--models", p, MODELS_FIX);
                m = LmuFile.load(p);
            }
            catch (final IOException | IllegalArgumentException e)
            {
                final String why = Main.message(e);
                throw new IllegalArgumentException(why.startsWith("--models") ? why
                    : "--models " + p + " is not an LMU model file this command can run: " + why);
            }
            anyMemoryQuantized |= m.memoryQuantized();
            files.add(m);
            names.add(name);
        }
        if (memoryDts != null && !memoryDts.isEmpty() && !anyMemoryQuantized)
        {
            throw new IllegalArgumentException("--memory-dt: none of the --models quantizes its memory output, so there is no memory "
                + "quantizer to set (drop --memory-dt)");
        }
        return files;
    }

    /** The file name without .safetensors: the model's label in the CSV and the plots. */
    static String name(final Path p)
    {
        final String f = p.getFileName() == null ? p.toString() : p.getFileName().toString();
        return f.toLowerCase(Locale.ROOT).endsWith(".safetensors") ? f.substring(0, f.length() - ".safetensors".length()) : f;
    }

    /** 'all' or the named profiles (built-in names or JSON files); an unknown name gets the list of built-in ones. */
    static List<EnergyProfile> profiles(final List<String> given) throws IOException
    {
        if (given == null || given.isEmpty() || given.size() == 1 && "all".equals(given.get(0)))
        {
            return EnergyProfiles.builtIn();
        }
        final Set<String> seen = new HashSet<>();
        for (final String g : given)
        {
            if ("all".equals(g) || g.isBlank())
            {
                throw new IllegalArgumentException("--profiles '" + String.join(",", given) + "': give 'all' alone, or profile names / JSON files "
                    + "separated by commas, e.g. --profiles horowitz45-fp32,loihi");
            }
            if (!EnergyProfiles.NAMES.contains(g) && !Files.isRegularFile(Path.of(g)))
            {
                throw new IllegalArgumentException("--profiles: unknown profile '" + g + "'; use 'all', built-in names from " + EnergyProfiles.NAMES
                    + ", or a JSON profile file (docs/energy.md)");
            }
            if (!seen.add(g))
            {
                throw new IllegalArgumentException("--profiles names '" + g + "' twice: list each profile once");
            }
        }
        final List<EnergyProfile> ps = ModelRun.profiles(given);
        final Set<String> names = new HashSet<>();
        for (final EnergyProfile p : ps)
        {
            if (!names.add(p.name()))
            {
                throw new IllegalArgumentException("--profiles: two profiles are named '" + p.name() + "' (the plot files are named after it)");
            }
        }
        return ps;
    }
}
