package io.spikering.cli;

import io.spikering.core.data.MnistDataset;
import io.spikering.core.data.PixelSequences;
import io.spikering.core.data.PsMnist;
import io.spikering.core.energy.EnergyEstimate;
import io.spikering.core.energy.EnergyProfile;
import io.spikering.core.energy.EnergyProfiles;
import io.spikering.core.energy.OpCounts;
import io.spikering.core.lmu.LmuEvaluation;
import io.spikering.core.lmu.LmuFile;
import io.spikering.core.lmu.LmuModelNetwork;
import io.spikering.core.lmu.LmuModelNetwork.MemoryMode;
import io.spikering.core.lmu.NeuroBenchMetrics;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** One pass of a model over test samples (spiking or the non-spiking baseline), with a progress bar on stderr. */
final class ModelRun
{
    /** Samples whose hidden counts are kept for the raster plot. */
    static final int RASTER_SAMPLES = 3;

    final LmuModelNetwork net;
    final LmuEvaluation.Result result;
    final OpCounts perInference;
    final List<EnergyEstimate> energy;
    final NeuroBenchMetrics neuroBench;

    private ModelRun(final LmuModelNetwork net, final LmuEvaluation.Result result, final List<EnergyProfile> profiles)
    {
        this.net = net;
        this.result = result;
        perInference = result.ops().perSample(result.samples());
        neuroBench = NeuroBenchMetrics.of(result.ops(), result.samples(), NeuroBenchMetrics.footprint(net.model().tensors()));
        energy = new ArrayList<>();
        for (final EnergyProfile p : profiles)
        {
            energy.add(p.estimate(perInference));
        }
    }

    static ModelRun run(final LmuFile model, final LmuEvaluation.Samples source, final int samples, final int threads, final boolean spiking,
        final double dt, final MemoryMode mode, final List<EnergyProfile> profiles, final boolean progressBar, final int warmup)
    {
        return run(model, source, samples, threads, LmuEvaluation.DEFAULT_BATCH, spiking, dt, Double.NaN, mode, profiles, progressBar, warmup);
    }

    /**
     * As above with the memory quantizer's dt ({@code memoryDt}; NaN = the file's; ignored without a quantized memory) and
     * {@code batch} samples stepped in lockstep per worker (results do not depend on it).
     */
    static ModelRun run(final LmuFile model, final LmuEvaluation.Samples source, final int samples, final int threads, final int batch,
        final boolean spiking, final double dt, final double memoryDt, final MemoryMode mode, final List<EnergyProfile> profiles,
        final boolean progressBar, final int warmup)
    {
        final LmuModelNetwork net = LmuModelNetwork.build(model, spiking, dt, memoryDt, mode);
        if (warmup > 0)
        {
            // JIT warm-up on the first samples, results discarded, so samples/s measures the steady state
            LmuEvaluation.run(net, source, Math.min(warmup, samples), threads, batch, 0, null);
        }
        final String task = spiking ? "spiking dt " + trim(net.dt()) + (net.memoryQuantizer() >= 0 ? " dt_m " + trim(net.memoryDt()) : "")
            : "non-spiking";
        if (!progressBar)
        {
            return new ModelRun(net, LmuEvaluation.run(net, source, samples, threads, batch, RASTER_SAMPLES, null), profiles);
        }
        try (ProgressBar bar = new ProgressBarBuilder().setTaskName(task).setInitialMax(samples).setStyle(ProgressBarStyle.ASCII)
            .setUpdateIntervalMillis(500).setMaxRenderedLength(120).build())
        {
            final long[] tally = new long[2];
            final LmuEvaluation.Progress progress = (sample, correct) ->
            {
                synchronized (tally)
                {
                    tally[0]++;
                    tally[1] += correct ? 1 : 0;
                    bar.step();
                    if ((tally[0] & 63) == 0 || tally[0] == samples)
                    {
                        bar.setExtraMessage(String.format(Locale.ROOT, " acc %.2f%%", 100.0 * tally[1] / tally[0]));
                    }
                }
            };
            return new ModelRun(net, LmuEvaluation.run(net, source, samples, threads, batch, RASTER_SAMPLES, progress), profiles);
        }
    }

    /** The psMNIST test split with the model's permutation seed. */
    static PixelSequences psMnistTest(final String dataset, final Path mnistDir, final LmuFile model) throws IOException
    {
        if (!"psmnist".equalsIgnoreCase(dataset))
        {
            throw new IllegalArgumentException("--dataset must be 'psmnist' (the only data set LMU model files are trained on), got '" +
                dataset + "'");
        }
        final PixelSequences test = PsMnist.load(mnistDir == null ? MnistDataset.defaultCacheDir() : mnistDir, model.permutationSeed()).test();
        if (test.steps() != model.steps())
        {
            throw new IllegalArgumentException("model " + model.source() + " expects " + model.steps() + " steps per sample, psMNIST has " +
                test.steps());
        }
        return test;
    }

    /** The profiles named (built-in names or JSON files), or every built-in one if none. */
    static List<EnergyProfile> profiles(final List<String> names) throws IOException
    {
        if (names == null || names.isEmpty())
        {
            return EnergyProfiles.builtIn();
        }
        final List<EnergyProfile> list = new ArrayList<>();
        for (final String n : names)
        {
            list.add(EnergyProfiles.resolve(n));
        }
        return list;
    }

    static String trim(final double v)
    {
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long)v) : Double.toString(v);
    }
}
