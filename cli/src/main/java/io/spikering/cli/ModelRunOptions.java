package io.spikering.cli;

import io.spikering.core.data.PixelSequences;
import io.spikering.core.energy.EnergyProfile;
import io.spikering.core.engine.Simulator;
import io.spikering.core.lmu.LmuFile;
import io.spikering.core.lmu.LmuModelNetwork.MemoryMode;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/** The options {@code run} and {@code sweep} share: which model, which test samples, how to run them. */
final class ModelRunOptions
{
    @Option(names = "--model", required = true, description = "model file (.safetensors, see docs/model-format.md)")
    Path model;

    @Option(names = "--dataset", defaultValue = "psmnist", description = "data set (psmnist)")
    String dataset;

    @Option(names = "--data", description = "MNIST cache directory (default ~/.cache/spikering/mnist or $SPIKERING_CACHE/mnist)")
    Path data;

    @Option(names = "--samples", description = "number of test samples (default all 10000)")
    Integer samples;

    @Option(names = "--threads", defaultValue = "0", description = "samples in flight, one simulator each (default: available cores)")
    int threads;

    @Option(names = "--memory",
        description = "LMU memory: 'fused' (event-driven, W_m folded into the impulse response), 'filter' (event-driven "
            + "memory states) or 'recurrence' (Ā m + B̄ u every step, the reference); default 'filter', and 'recurrence' for a "
            + "recurrent model, whose hidden layer runs at every step")
    String memory;

    @Option(names = "--baseline-memory",
        description = "LMU memory of the non-spiking baseline only (default: as --memory); 'fused' is the cheapest dense baseline")
    String baselineMemory;

    @Option(names = "--energy-profile", split = ",", description = "energy profile names or JSON files (default: all built-in)")
    List<String> profiles;

    @Option(names = "--warmup", defaultValue = "0", description = "samples run first and discarded (JIT warm-up) before each timed pass")
    int warmup;

    @Option(names = "--no-progress", description = "no progress bar")
    boolean noProgress;

    /** Loads the model after checking the options that do not need it (so a bad option fails before any work). */
    LmuFile loadModel() throws IOException
    {
        threads();
        Validate.range("--warmup", warmup, 0, Integer.MAX_VALUE);
        if (samples != null)
        {
            Validate.range("--samples", samples, 1, Integer.MAX_VALUE);
        }
        energyProfiles();
        return LmuFile.load(model);
    }

    /** Refuses memory-quantizer dt values for a model without a memory quantizer, and values that are not positive and finite. */
    static void checkMemoryDt(final LmuFile m, final List<Double> memoryDts)
    {
        if (memoryDts == null || memoryDts.isEmpty())
        {
            return;
        }
        for (final Double d : memoryDts)
        {
            Validate.positiveFinite("--memory-dt", d);
        }
        if (!m.memoryQuantized())
        {
            throw new IllegalArgumentException("--memory-dt: model " + m.source() + " does not quantize its memory output, so there is no "
                + "memory quantizer to set (drop --memory-dt, or train such a model with 'train psmnist --memory-dt-start X --memory-dt-end Y')");
        }
    }

    PixelSequences testSet(final LmuFile m) throws IOException
    {
        return ModelRun.psMnistTest(dataset, data, m);
    }

    int samples(final PixelSequences test)
    {
        return samples == null ? test.size() : samples;
    }

    int threads()
    {
        return Validate.threads("--threads", threads, Simulator.MAX_THREADS);
    }

    /** --memory, else the only mode a recurrent model runs in, else 'filter'. */
    MemoryMode memoryMode(final LmuFile m)
    {
        return memory != null ? MemoryMode.parse(memory) : m.recurrent() ? MemoryMode.RECURRENCE : MemoryMode.FILTER;
    }

    /** The non-spiking baseline's memory mode: --baseline-memory, else as {@link #memoryMode}. */
    MemoryMode baselineMemoryMode(final LmuFile m)
    {
        return baselineMemory == null ? memoryMode(m) : MemoryMode.parse(baselineMemory);
    }

    List<EnergyProfile> energyProfiles() throws IOException
    {
        return ModelRun.profiles(profiles);
    }

    boolean progress()
    {
        return !noProgress;
    }
}
