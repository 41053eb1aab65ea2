package io.spikering.core.lmu;

import io.spikering.core.engine.Network;
import io.spikering.core.engine.Port;
import io.spikering.core.engine.Quantization;
import io.spikering.core.engine.Simulator;
import io.spikering.neuron.Activation;

/**
 * An {@link LmuFile} as an engine {@link Network}:
 * <pre>
 * pixel (input, 1) --[encoder]--> memory (order d: recurrence Ā m + B̄ u every step, or event-driven filter)
 * memory --[W_m]--> hidden;  pixel_direct (input, 1, the same pixel) --[W_x]--> hidden;  bias b
 * hidden (sigma-delta quantized or rate, active only at steps [T−K, T)) --[W_out]--> readout
 * readout (integrator, active at [T−K, T)): (1/K) Σ_window input + b_out = the logits
 * </pre>
 * The pixel enters twice so that the hidden sums are accumulated in the documented order (memory features
 * ascending, then input, then bias), the order of the trainer's reference forward pass: population order puts
 * pixel_direct after memory. Each step both inputs get the same value.
 * <p>
 * A recurrent model ({@link LmuFile#recurrent()}) runs its hidden layer at every step and, if it has W_h, adds the
 * projection hidden --[W_h, delay 1]--> hidden; its sums then start with W_hᵀ h_{t−1} (delivered at the end of step
 * t−1), then the memory, input and bias as above. Its memory must be the recurrence (the event-driven filters
 * precompute only a readout window).
 *
 *
 * <p>A model with a quantized memory ({@link LmuFile#memoryQuantized()}) puts a population between the memory and W_m:
 * <pre>
 * memory --[gain, one-to-one]--> memory_quantizer (d units, bias = offset, active at [T−K, T))
 *   spiking: sigma-delta, identity activation, dt_m; its signed counts travel as events, each adding
 *            (count/dt_m)·W_m[i] to the hidden input (row adds, not MACs)
 *   non-spiking: identity rate units (the same network with the quantizer removed)
 * memory_quantizer --[W_m]--> hidden
 * </pre>
 * FUSED folds W_m into the memory, so it runs such a model only non-spiking (then with W_m·diag(gain) folded, and
 * b + Σ_i offset_i·W_m[i] as the bias).
 */
public final class LmuModelNetwork
{
    /** How the memory is computed. */
    public enum MemoryMode
    {
        /** m_t = Ā m_{t−1} + B̄ u_t every step (d² + d MACs per step); the reference. */
        RECURRENCE,
        /** Event-driven: each non-zero input adds its impulse-response rows to the K window states (K·d MACs). */
        FILTER,
        /**
         * Event-driven with W_m folded in: the hidden layer's memory input W_mᵀ m_t is itself a linear filter of the
         * pixel, with impulse rows W_mᵀ Ā^k B̄; each non-zero input adds K rows of n (K·n MACs), the memory states are
         * never formed, and a one-to-one projection (weight 1) carries the result into the hidden layer.
         */
        FUSED;

        public static MemoryMode parse(final String s)
        {
            for (final MemoryMode m : values())
            {
                if (m.name().equalsIgnoreCase(s))
                {
                    return m;
                }
            }
            throw new IllegalArgumentException("memory mode must be 'recurrence', 'filter' or 'fused', got '" + s + "'");
        }
    }

    /**
     * When an event-driven memory ({@link MemoryMode#FILTER}, {@link MemoryMode#FUSED}) adds the pixels before the
     * readout window: the states and MAC counts are the same bit for bit, only the timing differs.
     */
    public enum MemorySchedule
    {
        /** Kept and added at the window's first step, four rows per pass: least time per sample, one long step. */
        DEFERRED,
        /** Added when they arrive (K rows each): the work spread over the sample, no once-per-sample burst. */
        EAGER;

        public static MemorySchedule parse(final String s)
        {
            for (final MemorySchedule m : values())
            {
                if (m.name().equalsIgnoreCase(s))
                {
                    return m;
                }
            }
            throw new IllegalArgumentException("memory schedule must be 'eager' or 'deferred', got '" + s + "'");
        }
    }

    private final LmuFile model;
    private final Network network;
    private final boolean spiking;
    private final double dt;
    private final double memoryDt;
    private final MemoryMode mode;
    private final MemorySchedule schedule;
    private final int pixel;
    private final int pixelDirect;
    private final int memory;
    private final int memoryQuantizer;
    private final int hidden;
    private final int readout;
    private final int encoderProjection;
    private final int memoryProjection;
    private final int gainProjection;
    private final int inputProjection;
    private final int readoutProjection;
    private final int recurrentProjection;

    private LmuModelNetwork(final LmuFile model, final boolean spiking, final double dt, final double memoryDt, final MemoryMode mode,
        final MemorySchedule schedule)
    {
        this.model = model;
        this.spiking = spiking;
        this.dt = dt;
        this.memoryDt = memoryDt;
        this.mode = mode;
        this.schedule = schedule;
        requireRunnable(model);
        if (model.recurrent() && mode != MemoryMode.RECURRENCE)
        {
            throw new IllegalArgumentException("a recurrent LMU runs its hidden layer at every step: use memory mode 'recurrence' (--memory recurrence), "
                + "not '" + mode.name().toLowerCase(java.util.Locale.ROOT) + "'");
        }
        final int from = model.hiddenFirstStep();
        final int until = model.steps();
        final boolean fusedQuantizer = mode == MemoryMode.FUSED && model.memoryQuantized();
        final Network.Builder b = Network.builder();
        pixel = b.input("pixel", 1);
        memory = switch (mode)
        {
            case RECURRENCE -> b.stateSpace("memory", 1, model.memoryA(), model.memoryB());
            case FILTER -> b.linearFilter("memory", 1, model.memoryA(), model.memoryB(), from, until);
            case FUSED -> b.linearFilter("memory", 1, model.memoryA(), model.memoryB(),
                fusedQuantizer ? foldedGain(model.memoryKernel(), model.memoryGain()) : transposed(model.memoryKernel()), from, until);
        };
        if (mode != MemoryMode.RECURRENCE)
        {
            b.deferFilterInputs(memory, schedule == MemorySchedule.DEFERRED);
        }
        if (model.memoryQuantized() && !fusedQuantizer)
        {
            memoryQuantizer = spiking ?
                b.sigmaDelta("memory_quantizer", model.order(), model.encoding().memoryDelta() ?
                    Quantization.delta(Activation.LINEAR, memoryDt, 1.0, model.encoding().memoryThreshold()) :
                    new Quantization(Activation.LINEAR, memoryDt, 1.0, 0L)) :
                b.rate("memory_quantizer", model.order(), Activation.LINEAR);
            b.bias(memoryQuantizer, model.memoryOffset());
            b.activeWindow(memoryQuantizer, from, until);
            // Dense cost: d per step before a sigma-delta quantizer; nothing before identity units, where the gain folds
            // into W_m (W_m·diag(gain)) and the offset into the hidden bias.
            final Network.ProjectionBuilder gain = b.connect(memory, memoryQuantizer).name("memory gain");
            gainProjection = (spiking ? gain : gain.denseMacsPerStep(0)).diagonal(model.memoryGain());
        }
        else
        {
            memoryQuantizer = -1;
            gainProjection = -1;
        }
        pixelDirect = b.input("pixel_direct", 1);
        hidden = spiking ?
            b.sigmaDelta("hidden", model.hidden(), model.encoding().hiddenDelta() ?
                Quantization.delta(model.activation(), dt, model.amplitude(), model.encoding().hiddenThreshold()) :
                new Quantization(model.activation(), dt, model.amplitude(), 0L)) :
            b.rate("hidden", model.hidden(), model.activation());
        readout = b.integrator("readout", model.classes(), 1.0 / model.window(), model.readoutBias());
        // The scalar encoder folds into B̄ (and the impulse rows): no dense MACs.
        encoderProjection = b.connect(pixel, memory).name("encoder").denseMacsPerStep(0).dense(new float[][] {{model.encoder()}});
        if (mode == MemoryMode.FUSED)
        {
            memoryProjection = b.connect(memory, hidden).name("W_m (folded into memory)").identity();
        }
        else
        {
            memoryProjection = b.connect(memoryQuantizer >= 0 ? memoryQuantizer : memory, hidden).name("W_m")
                .port(spiking && memoryQuantizer >= 0 && model.encoding().memoryDelta() ? Port.SIGMA : Port.EXCITATORY).dense(model.memoryKernel());
        }
        inputProjection = b.connect(pixelDirect, hidden).name("W_x").dense(model.inputKernel());
        readoutProjection = b.connect(hidden, readout).name("W_out")
            .port(spiking && model.encoding().hiddenDelta() ? Port.SIGMA : Port.EXCITATORY).dense(model.readoutKernel());
        final float[][] wh = model.recurrentKernel();
        recurrentProjection = wh == null ? -1 : b.connect(hidden, hidden).name("W_h").delay(1).dense(wh);
        b.bias(hidden, fusedQuantizer ? foldedBias(model) : model.hiddenBias());
        b.activeWindow(hidden, from, until).activeWindow(readout, model.readoutFirstStep(), until);
        network = b.build();
    }

    /**
     * Throws, naming the file and the option, if {@code model} uses a recurrent-variant option the engine has no
     * network for: several inputs, no input→hidden kernel, hidden→memory or memory→memory feedback (the trainer reads,
     * writes and evaluates those; {@link LmuFile} accepts them).
     */
    public static void requireRunnable(final LmuFile model)
    {
        final LmuFile.Recurrence r = model.architecture().recurrence();
        if (r == null)
        {
            return;
        }
        final String option = r.inputs() != 1 ? "input_size = " + r.inputs() : !r.inputToHidden() ? "input_to_hidden = false"
            : r.hiddenToMemory() ? "hidden_to_memory = true" : r.memoryToMemory() ? "memory_to_memory = true" : null;
        if (option != null)
        {
            throw new IllegalArgumentException("model file " + model.source() + ": architecture option '" + option + "' cannot run on the "
                + "simulator, which runs recurrent LMUs with input_size = 1, input_to_hidden = true, hidden_to_memory = false and "
                + "memory_to_memory = false; evaluate this model with './spikering train psmnist --evaluate-only --model FILE'");
        }
    }

    /**
     * @param spiking    sigma-delta quantized hidden layer (else rate neurons: the non-spiking baseline).
     * @param dtOverride quantizer dt; NaN for the file's.
     */
    public static LmuModelNetwork build(final LmuFile model, final boolean spiking, final double dtOverride, final MemoryMode mode)
    {
        return build(model, spiking, dtOverride, Double.NaN, mode);
    }

    /**
     * @param spiking          sigma-delta quantized hidden layer and, if the file has one, memory quantizer (else rate neurons and
     *                         the identity: the non-spiking baseline).
     * @param dtOverride       hidden quantizer dt; NaN for the file's.
     * @param memoryDtOverride memory quantizer dt; NaN for the file's (ignored for a model without a memory quantizer).
     */
    public static LmuModelNetwork build(final LmuFile model, final boolean spiking, final double dtOverride, final double memoryDtOverride,
        final MemoryMode mode)
    {
        return build(model, spiking, dtOverride, memoryDtOverride, mode, MemorySchedule.DEFERRED);
    }

    /**
     * As {@link #build(LmuFile, boolean, double, double, MemoryMode)} with the schedule of an event-driven memory
     * (ignored for {@link MemoryMode#RECURRENCE}); the other overloads use {@link MemorySchedule#DEFERRED}.
     */
    public static LmuModelNetwork build(final LmuFile model, final boolean spiking, final double dtOverride, final double memoryDtOverride,
        final MemoryMode mode, final MemorySchedule schedule)
    {
        if (schedule == null)
        {
            throw new IllegalArgumentException("memory schedule must not be null");
        }
        final double dt = Double.isNaN(dtOverride) ? model.dt() : dtOverride;
        if (!(dt > 0.0) || Double.isInfinite(dt))
        {
            throw new IllegalArgumentException("--dt must be a positive finite number, got " + dtOverride);
        }
        if (mode == null)
        {
            throw new IllegalArgumentException("memory mode must not be null");
        }
        if (!model.memoryQuantized())
        {
            return new LmuModelNetwork(model, spiking, dt, 0.0, mode, schedule);
        }
        final double memoryDt = Double.isNaN(memoryDtOverride) ? model.memoryDt() : memoryDtOverride;
        if (!(memoryDt > 0.0) || Double.isInfinite(memoryDt))
        {
            throw new IllegalArgumentException("--memory-dt must be a positive finite number, got " + memoryDtOverride);
        }
        if (spiking && mode == MemoryMode.FUSED)
        {
            throw new IllegalArgumentException("model " + model.source() + " quantizes the memory output, and memory mode 'fused' folds W_m "
                + "into the memory, past that quantizer: run it spiking with memory 'filter' or 'recurrence' ('fused' remains available "
                + "for the non-spiking baseline)");
        }
        return new LmuModelNetwork(model, spiking, dt, memoryDt, mode, schedule);
    }

    /**
     * Runs one sample: reset with {@code seed} (the quantizer voltages are drawn from it, uniform in [0, 1)),
     * then one step per pixel. Returns the prediction (first index of the largest logit); the logits are
     * {@code sim.outputs(readout())}. Allocation-free given a {@code buffer} of length 1.
     */
    public int run(final Simulator sim, final float[] pixels, final long seed, final double[] buffer)
    {
        final int steps = model.steps();
        if (pixels.length < steps)
        {
            throw new IllegalArgumentException("sample has " + pixels.length + " steps, the model expects " + steps);
        }
        sim.reset(seed);
        for (int t = 0; t < steps; t++)
        {
            buffer[0] = pixels[t];
            sim.setInput(pixel, buffer);
            sim.setInput(pixelDirect, buffer);
            sim.step();
        }
        return argmax(sim.outputs(readout));
    }

    private static double[][] transposed(final float[][] w)
    {
        final double[][] t = new double[w[0].length][w.length];
        for (int i = 0; i < w.length; i++)
        {
            for (int j = 0; j < w[i].length; j++)
            {
                t[j][i] = w[i][j];
            }
        }
        return t;
    }

    /** C = (W_m·diag(gain))ᵀ in double: row r, column i = W_m[i][r]·gain_i. */
    private static double[][] foldedGain(final float[][] w, final float[] gain)
    {
        final double[][] t = transposed(w);
        for (final double[] row : t)
        {
            for (int i = 0; i < row.length; i++)
            {
                row[i] *= gain[i];
            }
        }
        return t;
    }

    /** b + Σ_i offset_i·W_m[i] (in double, i ascending, rounded once to float32). */
    private static float[] foldedBias(final LmuFile model)
    {
        final float[][] w = model.memoryKernel();
        final float[] offset = model.memoryOffset();
        final float[] bias = model.hiddenBias();
        final float[] out = new float[bias.length];
        for (int j = 0; j < bias.length; j++)
        {
            double acc = bias[j];
            for (int i = 0; i < w.length; i++)
            {
                acc += (double)offset[i] * w[i][j];
            }
            out[j] = (float)acc;
        }
        return out;
    }

    /** First index of the largest value. */
    public static int argmax(final double[] v)
    {
        int best = 0;
        for (int i = 1; i < v.length; i++)
        {
            if (v[i] > v[best])
            {
                best = i;
            }
        }
        return best;
    }

    public LmuFile model()
    {
        return model;
    }

    public Network network()
    {
        return network;
    }

    public boolean spiking()
    {
        return spiking;
    }

    public double dt()
    {
        return dt;
    }

    /** The memory quantizer's dt (0 for a model without one). */
    public double memoryDt()
    {
        return memoryDt;
    }

    /** The memory quantizer population (sigma-delta when spiking, identity rate units when not), or −1 if the network has none. */
    public int memoryQuantizer()
    {
        return memoryQuantizer;
    }

    /** The one-to-one gain projection memory → memory quantizer, or −1. */
    public int gainProjection()
    {
        return gainProjection;
    }

    public MemoryMode memoryMode()
    {
        return mode;
    }

    public MemorySchedule memorySchedule()
    {
        return schedule;
    }

    public int pixel()
    {
        return pixel;
    }

    public int pixelDirect()
    {
        return pixelDirect;
    }

    public int memory()
    {
        return memory;
    }

    public int hidden()
    {
        return hidden;
    }

    public int readout()
    {
        return readout;
    }

    public int encoderProjection()
    {
        return encoderProjection;
    }

    public int memoryProjection()
    {
        return memoryProjection;
    }

    public int inputProjection()
    {
        return inputProjection;
    }

    public int readoutProjection()
    {
        return readoutProjection;
    }

    /** The hidden → hidden projection W_h (delay 1), or −1 if the model has none. */
    public int recurrentProjection()
    {
        return recurrentProjection;
    }
}
