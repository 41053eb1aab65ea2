package io.spikering.cli;

import io.spikering.core.data.PixelSequences;
import io.spikering.core.energy.EnergyProfile;
import io.spikering.core.lmu.LmuEvaluation;
import io.spikering.core.lmu.LmuFile;
import io.spikering.core.lmu.LmuModelNetwork.MemoryMode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code spikering run}: a model file through the event engine on psMNIST, with ops, bits and energy vs non-spiking; or
 * a NIR graph ({@code --model G.nir}) on NumPy input, with ops per node and energy.
 */
@Command(name = "run", mixinStandardHelpOptions = true,
    description = "Run a trained LMU model file as a spike simulation on the psMNIST test set: accuracy, samples/s, ops per layer, "
        + "activity and significant bits, and energy estimates, next to the same network run non-spiking. With --model G.nir, run a "
        + "NIR graph (exported by snnTorch, Norse, Sinabs, Rockpool, ...) on --input X.npy at --dt seconds: accuracy with --labels, "
        + "spikes, ops per node and energy estimates (docs/nir.md).")
public final class RunCommand implements Callable<Integer>
{
    @Mixin
    ModelRunOptions options;

    @Mixin
    NirOptions nir;

    @Option(names = "--dt", description = "quantizer dt (default: the model file's); for a NIR graph the time step in seconds (required)")
    Double dt;

    @Option(names = "--memory-dt", description = "memory quantizer dt, for a model that quantizes its memory output (default: the file's)")
    Double memoryDt;

    @Option(names = "--json", description = "write the results as JSON to this file")
    Path json;

    @Option(names = "--report", description = "write report.md, report.json and PNG plots into this directory")
    Path report;

    @Override
    public Integer call() throws Exception
    {
        Validate.positiveFinite("--dt", dt);
        Validate.outputFile("--json", json);
        Validate.outputDirectory("--report", report);
        if (NirOptions.isNir(options.model))
        {
            return runNir();
        }
        nir.requireUnused(options.model);
        final LmuFile m = options.loadModel();
        ModelRunOptions.checkMemoryDt(m, memoryDt == null ? null : List.of(memoryDt));
        final PixelSequences test = options.testSet(m);
        final RunReport r = run(m, LmuEvaluation.Samples.of(test), options.samples(test), options.threads(), options.batch(),
            dt == null ? Double.NaN : dt, memoryDt == null ? Double.NaN : memoryDt, options.memoryMode(m), options.baselineMemoryMode(m),
            options.energyProfiles(), options.progress(), options.warmup);
        System.out.print(r.table());
        write(r, json, report);
        return 0;
    }

    /** Writes the JSON file and the report directory, if asked for (paths checked with {@link Validate} beforehand). */
    static void write(final RunReport r, final Path json, final Path report) throws java.io.IOException
    {
        if (json != null)
        {
            Files.createDirectories(json.toAbsolutePath().getParent());
            Files.writeString(json, r.jsonText(), StandardCharsets.UTF_8);
            System.out.println("wrote " + json);
        }
        if (report != null)
        {
            r.write(report);
            System.out.println("wrote " + report.resolve("report.md") + " (and report.json, PNG plots in " + report + ")");
        }
    }

    private Integer runNir() throws Exception
    {
        options.requireNirCompatible(memoryDt == null ? List.of() : List.of("--memory-dt"));
        if (dt == null)
        {
            throw new IllegalArgumentException("--dt (seconds) is required for a NIR graph: NIR models are continuous-time (e.g. --dt 1e-4)");
        }
        if (nir.input == null)
        {
            throw new IllegalArgumentException("--input X.npy is required for a NIR graph: an array [samples, steps, features...]");
        }
        final NirRun r = NirRun.run(options.model, NirRun.read(options.model), NirData.load(nir.input, nir.labels), nir.semantics(dt),
            options.samples, options.threads(), nir.deliveryThreads(), nir.classify(), nir.recordStates, options.energyProfiles(),
            options.progress());
        System.out.print(r.table());
        if (json != null)
        {
            Files.createDirectories(json.toAbsolutePath().getParent());
            Files.writeString(json, r.jsonText(), StandardCharsets.UTF_8);
            System.out.println("wrote " + json);
        }
        if (report != null)
        {
            r.write(report);
            System.out.println("wrote " + report.resolve("report.md"));
        }
        return 0;
    }

    /** Spiking pass, then the non-spiking baseline on the same samples. */
    static RunReport run(final LmuFile m, final PixelSequences test, final int samples, final int threads, final double dt,
        final MemoryMode mode, final List<EnergyProfile> profiles, final boolean progress, final int warmup)
    {
        return run(m, LmuEvaluation.Samples.of(test), samples, threads, dt, mode, profiles, progress, warmup);
    }

    /** As above, on any labelled samples. */
    static RunReport run(final LmuFile m, final LmuEvaluation.Samples test, final int samples, final int threads, final double dt,
        final MemoryMode mode, final List<EnergyProfile> profiles, final boolean progress, final int warmup)
    {
        return run(m, test, samples, threads, dt, Double.NaN, mode, mode, profiles, progress, warmup);
    }

    /** Spiking pass (memory {@code mode}, quantizers at dt and memoryDt), then the non-spiking baseline with memory {@code baselineMode}. */
    static RunReport run(final LmuFile m, final LmuEvaluation.Samples test, final int samples, final int threads, final double dt,
        final double memoryDt, final MemoryMode mode, final MemoryMode baselineMode, final List<EnergyProfile> profiles, final boolean progress,
        final int warmup)
    {
        return run(m, test, samples, threads, LmuEvaluation.DEFAULT_BATCH, dt, memoryDt, mode, baselineMode, profiles, progress, warmup);
    }

    /** As above with {@code batch} samples stepped in lockstep per worker (results do not depend on it). */
    static RunReport run(final LmuFile m, final LmuEvaluation.Samples test, final int samples, final int threads, final int batch,
        final double dt, final double memoryDt, final MemoryMode mode, final MemoryMode baselineMode, final List<EnergyProfile> profiles,
        final boolean progress, final int warmup)
    {
        final int t = Validate.threads("--threads", threads, io.spikering.core.engine.Simulator.MAX_THREADS);
        final ModelRun spiking = ModelRun.run(m, test, samples, t, batch, true, dt, memoryDt, mode, profiles, progress, warmup);
        final ModelRun baseline = ModelRun.run(m, test, samples, t, batch, false, dt, memoryDt, baselineMode, profiles, progress, warmup);
        return new RunReport(m, spiking, baseline);
    }
}
