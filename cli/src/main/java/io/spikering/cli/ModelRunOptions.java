package io.spikering.cli;

import io.spikering.core.data.PixelSequences;
import io.spikering.core.energy.EnergyProfile;
import io.spikering.core.engine.Simulator;
import io.spikering.core.lmu.LmuEvaluation;
import io.spikering.core.lmu.LmuFile;
import io.spikering.core.lmu.LmuModelNetwork.MemoryMode;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/** The options {@code run} and {@code sweep} share: which model, which test samples, how to run them. */
final class ModelRunOptions
{
    @Option(names = "--model", required = true,
        description = "model file: an LMU model (.safetensors, see docs/model-format.md) or a NIR graph (.nir, see docs/nir.md)")
    Path model;

    @Option(names = "--dataset", defaultValue = "psmnist", description = "data set (psmnist)")
    String dataset;

    @Option(names = "--data", description = "MNIST cache directory (default ~/.cache/spikering/mnist or $SPIKERING_CACHE/mnist)")
    Path data;

    @Option(names = "--samples", description = "number of test samples (default all 10000)")
    Integer samples;

    @Option(names = "--threads", defaultValue = "0", description = "samples in flight, one simulator each (default: available cores)")
    int threads;

    @Option(names = "--batch",
        description = "samples each thread steps in lockstep (an event-driven memory adds their inputs together); 1 = one at a time; "
            + "results are the same for every batch size (default 32)")
    Integer batch;

    @Option(names = "--memory",
        description = "LMU memory: 'fused' (event-driven, W_m folded into the impulse response), 'filter' (event-driven "
            + "memory states) or 'recurrence' (Ā m + B̄ u every step, the reference); default 'filter', and 'recurrence' for a "
            + "recurrent model, whose hidden layer runs at every step")
    String memory;

    @Option(names = "--baseline-memory",
        description = "LMU memory of the non-spiking baseline only (default: as --memory); 'fused' is the cheapest dense baseline when zero inputs are skipped, 'filter' on every-synapse hardware")
    String baselineMemory;

    @Option(names = "--energy-profile", split = ",", description = "energy profile names or JSON files (default: all built-in)")
    List<String> profiles;

    @Option(names = "--warmup", defaultValue = "0", description = "samples run first and discarded (JIT warm-up) before each timed pass")
    int warmup;

    @Option(names = "--no-progress", description = "no progress bar")
    boolean noProgress;

    /** Refuses the LMU-only options (and {@code others} given by the command) for a NIR graph. */
    void requireNirCompatible(final List<String> others)
    {
        final List<String> given = new java.util.ArrayList<>(others);
        if (data != null)
        {
            given.add("--data");
        }
        if (memory != null)
        {
            given.add("--memory");
        }
        if (baselineMemory != null)
        {
            given.add("--baseline-memory");
        }
        if (warmup != 0)
        {
            given.add("--warmup");
        }
        if (batch != null)
        {
            given.add("--batch");
        }
        if (!"psmnist".equalsIgnoreCase(dataset))
        {
            given.add("--dataset");
        }
        if (encoder != null || threshold != null || memoryEncoder != null || memoryThreshold != null)
        {
            given.add("--encoder/--threshold/--memory-encoder/--memory-threshold");
        }
        if (!given.isEmpty())
        {
            throw new IllegalArgumentException(String.join(", ", given) + " appl" + (given.size() == 1 ? "ies" : "y") + " to LMU model files; " +
                model + " is a NIR graph: give its data with --input (and --labels)");
        }
    }

    @Option(names = "--encoder", description = "run the hidden quantizer with this rule instead of the file's: 'sigma-delta' (the paper's) "
        + "or 'delta' (Loihi 2's; docs/delta-encoder.md)")
    String encoder;

    @Option(names = "--threshold", description = "with --encoder delta: smallest change sent, in counts (default 1)")
    Double threshold;

    @Option(names = "--memory-encoder", description = "run the memory-output quantizer with this rule instead of the file's")
    String memoryEncoder;

    @Option(names = "--memory-threshold", description = "with --memory-encoder delta: smallest change sent, in counts (default 1)")
    Double memoryThreshold;

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
        batch(); // checked up front, where run and sweep load the model
        final LmuFile m = LmuFile.load(model);
        if (encoder == null && threshold == null && memoryEncoder == null && memoryThreshold == null)
        {
            return m;
        }
        final LmuFile.Encoding e = m.encoding();
        final boolean hiddenDelta = encoder == null ? e.hiddenDelta() : delta("--encoder", encoder);
        final boolean memoryDelta = memoryEncoder == null ? e.memoryDelta() : delta("--memory-encoder", memoryEncoder);
        if (memoryDelta && !m.memoryQuantized())
        {
            throw new IllegalArgumentException("--memory-encoder delta: model " + model + " does not quantize its memory output");
        }
        if ((threshold != null && !hiddenDelta) || (memoryThreshold != null && !memoryDelta))
        {
            throw new IllegalArgumentException("--threshold and --memory-threshold apply to a delta encoder: add --encoder delta or "
                + "--memory-encoder delta");
        }
        return m.withEncoding(new LmuFile.Encoding(hiddenDelta, hiddenDelta ? threshold(threshold, e.hiddenThreshold(), e.hiddenDelta()) : 0.0,
            memoryDelta, memoryDelta ? threshold(memoryThreshold, e.memoryThreshold(), e.memoryDelta()) : 0.0));
    }

    private static boolean delta(final String option, final String value)
    {
        if (!"sigma-delta".equals(value) && !"delta".equals(value))
        {
            throw new IllegalArgumentException(option + " must be 'sigma-delta' or 'delta', got '" + value + "'");
        }
        return "delta".equals(value);
    }

    private static double threshold(final Double given, final double fromFile, final boolean fileIsDelta)
    {
        final double t = given != null ? given : fileIsDelta ? fromFile : 1.0;
        if (!(t >= 0.0) || Double.isInfinite(t))
        {
            throw new IllegalArgumentException("--threshold and --memory-threshold must be finite and >= 0 (in counts), got " + t);
        }
        return t;
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

    /** --batch, checked. */
    int batch()
    {
        return batch(batch);
    }

    /** A --batch value (null: the default), checked. */
    static int batch(final Integer batch)
    {
        if (batch == null)
        {
            return LmuEvaluation.DEFAULT_BATCH;
        }
        if (batch < 1 || batch > LmuEvaluation.MAX_BATCH)
        {
            throw new IllegalArgumentException("--batch must be in [1, " + LmuEvaluation.MAX_BATCH + "], got " + batch);
        }
        return batch;
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
