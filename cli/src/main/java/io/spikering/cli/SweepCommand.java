package io.spikering.cli;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import io.spikering.core.energy.EnergyEstimate;
import io.spikering.core.energy.EnergyProfile;
import io.spikering.core.energy.OpKind;
import io.spikering.core.lmu.LmuEvaluation;
import io.spikering.core.lmu.LmuFile;
import io.spikering.core.lmu.LmuModelNetwork.MemoryMode;
import io.spikering.core.lmu.NeuroBenchMetrics;
import io.spikering.neuron.CountHistogram;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/** {@code spikering sweep}: accuracy, bits, ops and energy of one model at several quantizer dt values. */
@Command(name = "sweep", mixinStandardHelpOptions = true,
    description = "Run a model at several quantizer dt values (plus once non-spiking): accuracy with its 95%% Wilson interval, "
        + "activity/significant bits, ops and energy estimates per dt, as CSV and PNG plots of accuracy against activity bits, "
        + "energy and dt (and memory bits for a quantized memory), into --out (default ./sweep). With --model G.nir and --input "
        + "X.npy, run a NIR graph at several time steps --dt (seconds): accuracy, spikes, ops and energy per dt as CSV.")
public final class SweepCommand implements Callable<Integer>
{
    @Mixin
    ModelRunOptions options;

    @Mixin
    NirOptions nir;

    @Option(names = "--dt", required = true, split = ",", description = "quantizer dt values, e.g. 0.5,1,2,4,8 (NIR graphs: time steps in "
        + "seconds, e.g. 1e-4,2e-4,5e-4)")
    List<Double> dts;

    @Option(names = "--memory-dt", split = ",",
        description = "memory quantizer dt values, for a model that quantizes its memory output: every --dt runs at each (default: the file's)")
    List<Double> memoryDts;

    @Option(names = "--plot-profile", defaultValue = "horowitz45-fp32-sram", description = "profile on the energy axis of the plot")
    String plotProfile;

    @Option(names = "--out", defaultValue = "sweep", description = "output directory for sweep.csv and the PNGs")
    Path out;

    @Override
    public Integer call() throws Exception
    {
        return call(null);
    }

    /** Runs the sweep on {@code samples}, or on the psMNIST test set when null (tests pass small synthetic samples). */
    int call(final LmuEvaluation.Samples samples) throws Exception
    {
        for (final Double d : dts)
        {
            Validate.positiveFinite("--dt", d);
        }
        Validate.outputDirectory("--out", out);
        if (NirOptions.isNir(options.model))
        {
            return sweepNir();
        }
        nir.requireUnused(options.model);
        final LmuFile m = options.loadModel();
        ModelRunOptions.checkMemoryDt(m, memoryDts);
        final LmuEvaluation.Samples test = samples != null ? samples : LmuEvaluation.Samples.of(options.testSet(m));
        final int n = options.samples == null ? test.size() : options.samples;
        final int t = options.threads();
        final List<EnergyProfile> ps = options.energyProfiles();
        final int plotIndex = indexOf(ps, plotProfile);
        final MemoryMode mode = options.memoryMode(m);
        final List<Double> memoryValues = memoryDts == null || memoryDts.isEmpty() ? List.of(Double.NaN) : memoryDts;
        System.out.println("sweep: writing sweep.csv and the plots into " + out.toAbsolutePath().normalize() + (out.equals(Path.of("sweep"))
            ? " (the default; choose another with --out DIR)" : ""));
        final ModelRun baseline = ModelRun.run(m, test, n, t, options.batch(), false, Double.NaN, Double.NaN, options.baselineMemoryMode(m), ps,
            options.progress(), options.warmup);
        final List<ModelRun> runs = new ArrayList<>();
        for (final double dm : memoryValues)
        {
            for (final double d : dts)
            {
                runs.add(ModelRun.run(m, test, n, t, options.batch(), true, d, dm, mode, ps, options.progress(), options.warmup));
            }
        }
        Files.createDirectories(out);
        final StringBuilder csv = new StringBuilder("dt,memory_dt,accuracy,accuracy_ci95_low,accuracy_ci95_high,mean_activity_bits,mean_activity_bits_nonzero,mean_significant_bits,"
            + "active_fraction,memory_activity_bits,memory_activity_bits_nonzero,memory_significant_bits,memory_active_fraction");
        for (final OpKind k : OpKind.values())
        {
            csv.append(',').append(k.key());
        }
        for (final EnergyProfile p : ps)
        {
            csv.append(",energy_j_").append(p.name());
        }
        csv.append(",samples,samples_per_second,").append(NEUROBENCH_COLUMNS).append('\n');
        row(csv, "non-spiking", baseline, null, null);
        for (final ModelRun r : runs)
        {
            row(csv, ModelRun.trim(r.net.dt()), r, r.result.ops().histogram(r.net.hidden()),
                r.net.memoryQuantizer() >= 0 ? r.result.ops().histogram(r.net.memoryQuantizer()) : null);
        }
        Files.writeString(out.resolve("sweep.csv"), csv.toString(), StandardCharsets.UTF_8);
        System.out.print(csv.toString().replace(",", "\t"));
        final JsonArray nbJson = new JsonArray();
        final List<String> columns = new ArrayList<>(List.of("non-spiking"));
        final List<NeuroBenchMetrics> metrics = new ArrayList<>(List.of(baseline.neuroBench));
        nbJson.add(neuroBenchJson(baseline, false));
        for (final ModelRun r : runs)
        {
            nbJson.add(neuroBenchJson(r, true));
            columns.add("dt " + ModelRun.trim(r.net.dt()) + (r.net.memoryQuantizer() >= 0 ? " dt_m " + ModelRun.trim(r.net.memoryDt()) : ""));
            metrics.add(r.neuroBench);
        }
        Files.writeString(out.resolve("neurobench.json"), new GsonBuilder().setPrettyPrinting().create().toJson(nbJson) + "\n",
            StandardCharsets.UTF_8);
        System.out.printf(Locale.ROOT, "%nNeuroBench metrics per inference (docs/neurobench.md)%n");
        System.out.print(NeuroBenchMetrics.table(columns, metrics.toArray(new NeuroBenchMetrics[0])));
        System.out.println("wrote " + out.resolve("neurobench.json"));
        final List<String> pngs = plots(runs, baseline, plotIndex);
        System.out.println("wrote " + out.resolve("sweep.csv") + " and " + String.join(", ", pngs) + " in " + out
            + " (energy: estimates, profile " + ps.get(plotIndex).name() + ")");
        return 0;
    }

    /** A NIR graph at each --dt (seconds): accuracy, spikes, ops and energy per dt in sweep.csv. */
    private Integer sweepNir() throws Exception
    {
        options.requireNirCompatible(memoryDts == null ? List.of() : List.of("--memory-dt"));
        if (nir.input == null)
        {
            throw new IllegalArgumentException("--input X.npy is required for a NIR graph: an array [samples, steps, features...]");
        }
        if (nir.recordStates != null)
        {
            throw new IllegalArgumentException("--record-states applies to run, not sweep (one directory per dt would overwrite itself)");
        }
        final List<EnergyProfile> ps = options.energyProfiles();
        final var graph = NirRun.read(options.model);
        final NirData data = NirData.load(nir.input, nir.labels);
        final StringBuilder csv = new StringBuilder("dt,accuracy,spikes");
        for (final OpKind k : OpKind.values())
        {
            csv.append(',').append(k.key());
        }
        for (final EnergyProfile p : ps)
        {
            csv.append(",energy_j_").append(p.name());
        }
        csv.append(",samples,samples_per_second\n");
        for (final double d : dts)
        {
            final NirRun r = NirRun.run(options.model, graph, data, nir.semantics(d), options.samples, options.threads(), nir.deliveryThreads(),
                nir.classify(), null, ps, options.progress());
            long spikes = 0;
            for (final long c : r.result.spikes())
            {
                spikes += c;
            }
            csv.append(d).append(',').append(r.result.labelled() ? String.format(Locale.ROOT, "%.6f", r.result.accuracy()) : "")
                .append(String.format(Locale.ROOT, ",%.1f", (double)spikes / r.result.samples()));
            for (final OpKind k : OpKind.values())
            {
                csv.append(String.format(Locale.ROOT, ",%.1f", r.perInference.get(k)));
            }
            for (final EnergyEstimate e : r.energy)
            {
                csv.append(String.format(Locale.ROOT, ",%.6e", e.joules()));
            }
            csv.append(String.format(Locale.ROOT, ",%d,%.1f%n", r.result.samples(), r.result.samplesPerSecond()));
        }
        Files.createDirectories(out);
        Files.writeString(out.resolve("sweep.csv"), csv.toString(), StandardCharsets.UTF_8);
        System.out.print(csv.toString().replace(",", "\t"));
        System.out.println("wrote " + out.resolve("sweep.csv") + " (energy: estimates)");
        return 0;
    }

    /** The sweep.csv columns of {@link NeuroBenchMetrics} (per inference), after samples_per_second. */
    static final String NEUROBENCH_COLUMNS = "nb_footprint_bytes,nb_connection_sparsity,nb_activation_sparsity,nb_synops_dense," +
        "nb_effective_macs,nb_effective_acs,nb_membrane_updates,nb_neuron_ops_effective,nb_neuron_ops_dense";

    private static JsonObject neuroBenchJson(final ModelRun r, final boolean spiking)
    {
        final JsonObject o = new JsonObject();
        o.addProperty("spiking", spiking);
        if (spiking)
        {
            o.addProperty("dt", r.net.dt());
            if (r.net.memoryQuantizer() >= 0)
            {
                o.addProperty("memory_dt", r.net.memoryDt());
            }
        }
        o.addProperty("memory_mode", r.net.memoryMode().name().toLowerCase(Locale.ROOT));
        o.addProperty("accuracy", r.result.accuracy());
        o.add("neurobench", r.neuroBench.toJson());
        return o;
    }

    private static int indexOf(final List<EnergyProfile> ps, final String name)
    {
        for (int i = 0; i < ps.size(); i++)
        {
            if (ps.get(i).name().equals(name))
            {
                return i;
            }
        }
        throw new IllegalArgumentException("--plot-profile '" + name + "' is not among the profiles used: " +
            ps.stream().map(EnergyProfile::name).toList());
    }

    private static void row(final StringBuilder csv, final String dt, final ModelRun r, final CountHistogram h, final CountHistogram memory)
    {
        csv.append(dt).append(',').append(memory == null ? "" : ModelRun.trim(r.net.memoryDt()))
            .append(',').append(String.format(Locale.ROOT, "%.6f", r.result.accuracy()));
        final double[] ci = SweepPlots.wilson(r.result.correct(), r.result.samples(), SweepPlots.Z95);
        csv.append(String.format(Locale.ROOT, ",%.6f,%.6f", ci[0], ci[1]));
        bits(csv, h);
        bits(csv, memory);
        for (final OpKind k : OpKind.values())
        {
            csv.append(String.format(Locale.ROOT, ",%.1f", r.perInference.get(k)));
        }
        for (final EnergyEstimate e : r.energy)
        {
            csv.append(String.format(Locale.ROOT, ",%.6e", e.joules()));
        }
        final NeuroBenchMetrics nb = r.neuroBench;
        csv.append(String.format(Locale.ROOT, ",%d,%.1f,%d,%.6f,%.6f,%.1f,%.1f,%.1f,%.1f,%.1f,%.1f%n", r.result.samples(),
            r.result.samplesPerSecond(), nb.footprintBytes(), nb.connectionSparsity(), nb.activationSparsity(), nb.dense(),
            nb.effectiveMacs(), nb.effectiveAcs(), nb.membraneUpdates(), nb.neuronOpsEffective(), nb.neuronOpsDense()));
    }

    private static void bits(final StringBuilder csv, final CountHistogram h)
    {
        if (h == null)
        {
            csv.append(",,,,");
        }
        else
        {
            csv.append(String.format(Locale.ROOT, ",%.6f,%.6f,%.6f,%.6f", h.meanActivityBits(false, false), h.meanActivityBits(false, true),
                h.meanSignificantBits(), h.total() == 0 ? 0.0 : (double)h.nonZero() / h.total()));
        }
    }

    /** The PNGs (file names in --out): accuracy against hidden bits, energy and dt; against memory bits for a quantized memory. */
    private List<String> plots(final List<ModelRun> runs, final ModelRun baseline, final int profile) throws IOException
    {
        final List<SweepPlots.Point> bits = new ArrayList<>();
        final List<SweepPlots.Point> energy = new ArrayList<>();
        final List<SweepPlots.Point> dt = new ArrayList<>();
        final List<SweepPlots.Point> memoryBits = new ArrayList<>();
        for (final ModelRun r : runs)
        {
            final double dtm = r.net.memoryQuantizer() >= 0 ? r.net.memoryDt() : Double.NaN;
            final int n = r.result.samples();
            final int c = r.result.correct();
            bits.add(new SweepPlots.Point(r.net.dt(), dtm, n, c, r.result.ops().histogram(r.net.hidden()).meanActivityBits(false, false)));
            energy.add(new SweepPlots.Point(r.net.dt(), dtm, n, c, r.energy.get(profile).joules() * 1e9));
            dt.add(new SweepPlots.Point(r.net.dt(), dtm, n, c, r.net.dt()));
            if (r.net.memoryQuantizer() >= 0)
            {
                memoryBits.add(new SweepPlots.Point(r.net.dt(), dtm, n, c,
                    r.result.ops().histogram(r.net.memoryQuantizer()).meanActivityBits(false, false)));
            }
        }
        final int bn = baseline.result.samples();
        final int bc = baseline.result.correct();
        final String samples = " — " + bn + " test samples";
        final List<String> files = new ArrayList<>();
        SweepPlots.accuracyPlot(out.resolve("accuracy-vs-bits.png"), "Accuracy vs hidden activity bits" + samples,
            "mean hidden activity bits per neuron-step", bits, bn, bc, null, false);
        files.add("accuracy-vs-bits.png");
        final String name = baseline.energy.get(profile).profileName();
        SweepPlots.accuracyPlot(out.resolve("accuracy-vs-energy.png"), "Accuracy vs energy per inference (estimate, " + name + ")" + samples,
            "nJ per inference (estimate, profile " + name + ")", energy, bn, bc, baseline.energy.get(profile).joules() * 1e9, false);
        files.add("accuracy-vs-energy.png");
        SweepPlots.accuracyPlot(out.resolve("accuracy-vs-dt.png"), "Accuracy vs quantizer dt" + samples, "hidden quantizer dt (log scale)",
            dt, bn, bc, null, true);
        files.add("accuracy-vs-dt.png");
        if (!memoryBits.isEmpty())
        {
            SweepPlots.accuracyPlot(out.resolve("accuracy-vs-memory-bits.png"), "Accuracy vs memory activity bits" + samples,
                "mean memory activity bits per memory neuron-step", memoryBits, bn, bc, null, false);
            files.add("accuracy-vs-memory-bits.png");
        }
        return files;
    }
}
