package io.spikering.core.lmu;

import io.spikering.core.InputFiles;
import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.spikering.core.model.ModelFile;
import io.spikering.core.model.ModelFormatException;
import io.spikering.core.model.Tensor;
import io.spikering.neuron.Activation;
import io.spikering.neuron.LegendreMemory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * An LMU model file (docs/model-format.md, "LMU tensors" and "Recurrent LMU tensors"): the one reader and writer of
 * both variants, used by the simulator and the trainer alike. The recurrent variant ({@link Recurrence}) is read and
 * written with every option set, including those the engine cannot run (hidden→memory, memory→memory feedback, no
 * input→hidden kernel, several inputs): {@link LmuModelNetwork} refuses those when it builds the network. Validated on
 * load and on {@link #create}: container, format and version, NaN/Inf (by {@link ModelFile}), the architecture keys
 * and the variant, every tensor's presence, dtype and shape, no tensor beyond the architecture's; each error names
 * the file and the key or tensor with what was expected.
 */
public final class LmuFile
{
    public static final String MEMORY_A = "lmu.memory.A";
    public static final String MEMORY_B = "lmu.memory.B";
    public static final String INPUT_ENCODER = "lmu.memory.input_encoder";
    public static final String HIDDEN_ENCODER = "lmu.memory.hidden_encoder";
    public static final String MEMORY_ENCODER = "lmu.memory.memory_encoder";
    public static final String HIDDEN_MEMORY_KERNEL = "lmu.hidden.memory_kernel";
    public static final String HIDDEN_INPUT_KERNEL = "lmu.hidden.input_kernel";
    public static final String HIDDEN_BIAS = "lmu.hidden.bias";
    public static final String READOUT_KERNEL = "readout.kernel";
    public static final String READOUT_BIAS = "readout.bias";
    public static final String RECURRENT_KERNEL = "lmu.hidden.recurrent_kernel";
    public static final String RECURRENT = "recurrent";
    public static final String MEMORY_QUANTIZER_GAIN = "lmu.memory.quantizer.gain";
    public static final String MEMORY_QUANTIZER_OFFSET = "lmu.memory.quantizer.offset";
    public static final String TYPE = "lmu";
    public static final String VARIANT = "feed-forward-in-time";

    /** Largest magnitude a trained tensor may hold (see {@link #checkMagnitudes}). */
    public static final double MAX_ABS_WEIGHT = 1e6;

    /** Largest memory order whose ZOH Ā is recomputed on load (see {@link #checkMemoryMatrices}). */
    public static final int FULL_CHECK_MAX_ORDER = 512;

    private static final String DELTA_RECEIVERS = "sum every count received since hidden_first_step (sigma); "
        + "the sender starts from 0 at hidden_first_step";
    private static final Gson GSON = new GsonBuilder().disableHtmlEscaping().create();

    /**
     * What the {@code architecture} metadata describes (the fixed keys of the variant are implied).
     *
     * @param order           Legendre memory order d.
     * @param theta           memory window θ in steps.
     * @param zoh             zero-order-hold discretization (else Euler); the tensors are authoritative.
     * @param steps           sequence length T.
     * @param window          readout window K: the hidden layer runs at steps [T − K, T).
     * @param hidden          hidden units N.
     * @param activation      hidden activation f.
     * @param classes         readout classes C.
     * @param hiddenQuantized whether the hidden units are sigma-delta quantized.
     * @param dt              the hidden quantizer's dt the model is meant to run at.
     * @param amplitude       the hidden quantizer's output amplitude.
     * @param memoryQuantized whether the memory output passes a sigma-delta quantizer in the window (docs/model-format.md).
     * @param memoryDt        that quantizer's dt (ignored when not quantized).
     * @param recurrence      the recurrent variant's keys; null for the feed-forward-in-time variant.
     * @param encoding        which quantizer rule the hidden and memory quantizers use (the paper's, or Loihi 2's delta).
     */
    public record Architecture(int order, double theta, boolean zoh, int steps, int window, int hidden, Activation activation,
        int classes, boolean hiddenQuantized, double dt, double amplitude, boolean memoryQuantized, double memoryDt, Recurrence recurrence,
        Encoding encoding)
    {
        public Architecture
        {
            if (encoding == null)
            {
                throw new IllegalArgumentException("encoding must not be null (Encoding.SIGMA_DELTA for the paper's rule)");
            }
            if (recurrence != null && encoding.anyDelta())
            {
                throw new IllegalArgumentException("the recurrent variant supports the sigma-delta quantizer only");
            }
        }

        /** With the paper's sigma-delta rule for both quantizers. */
        public Architecture(final int order, final double theta, final boolean zoh, final int steps, final int window, final int hidden,
            final Activation activation, final int classes, final boolean hiddenQuantized, final double dt, final double amplitude,
            final boolean memoryQuantized, final double memoryDt, final Recurrence recurrence)
        {
            this(order, theta, zoh, steps, window, hidden, activation, classes, hiddenQuantized, dt, amplitude, memoryQuantized, memoryDt, recurrence,
                Encoding.SIGMA_DELTA);
        }

        /** A feed-forward-in-time architecture. */
        public Architecture(final int order, final double theta, final boolean zoh, final int steps, final int window, final int hidden,
            final Activation activation, final int classes, final boolean hiddenQuantized, final double dt, final double amplitude,
            final boolean memoryQuantized, final double memoryDt)
        {
            this(order, theta, zoh, steps, window, hidden, activation, classes, hiddenQuantized, dt, amplitude, memoryQuantized, memoryDt, null);
        }

        /** The same architecture without a memory quantizer. */
        public Architecture(final int order, final double theta, final boolean zoh, final int steps, final int window, final int hidden,
            final Activation activation, final int classes, final boolean hiddenQuantized, final double dt, final double amplitude)
        {
            this(order, theta, zoh, steps, window, hidden, activation, classes, hiddenQuantized, dt, amplitude, false, 0.0);
        }
    }

    /**
     * The rule of each quantizer: the paper's sigma-delta, or Loihi 2's delta encoder (graded events of the change,
     * sent when it reaches {@code threshold} counts, summed by the receivers; {@link io.spikering.neuron.DeltaQuantizer}).
     *
     * @param hiddenDelta     the hidden quantizer is a delta encoder.
     * @param hiddenThreshold its threshold in counts (0 when not delta).
     * @param memoryDelta     the memory-output quantizer is a delta encoder.
     * @param memoryThreshold its threshold in counts (0 when not delta).
     */
    public record Encoding(boolean hiddenDelta, double hiddenThreshold, boolean memoryDelta, double memoryThreshold)
    {
        /** The paper's rule for both. */
        public static final Encoding SIGMA_DELTA = new Encoding(false, 0.0, false, 0.0);

        public Encoding
        {
            check(hiddenDelta, hiddenThreshold, "hidden");
            check(memoryDelta, memoryThreshold, "memory");
        }

        private static void check(final boolean delta, final double threshold, final String which)
        {
            if (!(threshold >= 0.0) || Double.isInfinite(threshold) || (!delta && threshold != 0.0))
            {
                throw new IllegalArgumentException("the " + which + " quantizer's threshold must be finite and >= 0 for a delta encoder, "
                    + "0 otherwise, got " + threshold);
            }
        }

        public boolean anyDelta()
        {
            return hiddenDelta || memoryDelta;
        }
    }

    /**
     * The recurrent variant's keys (the hidden layer runs at every step; no memory quantizer):
     * u_t = e_xᵀ x_t [+ e_hᵀ h_{t−1}] [+ e_mᵀ m_{t−1}], z_t = W_mᵀ m_t [+ W_xᵀ x_t] [+ W_hᵀ h_{t−1}] + b.
     *
     * @param inputs          input width (input_size).
     * @param hiddenToMemory  e_h present (hidden_to_memory).
     * @param memoryToMemory  e_m present (memory_to_memory).
     * @param inputToHidden   W_x present (input_to_hidden).
     * @param hiddenRecurrent W_h present (hidden_recurrent).
     */
    public record Recurrence(int inputs, boolean hiddenToMemory, boolean memoryToMemory, boolean inputToHidden, boolean hiddenRecurrent)
    {
    }

    private final Path source;
    private final ModelFile file;
    private final boolean zoh;
    private final int order;
    private final double theta;
    private final int steps;
    private final int window;
    private final int hidden;
    private final Activation activation;
    private final int classes;
    private final boolean hiddenQuantized;
    private final boolean memoryQuantized;
    private final double memoryDt;
    private final double dt;
    private final double amplitude;
    private final long permutationSeed;
    private final boolean recurrent;
    private final Architecture architecture;
    private final Encoding encoding;
    private final Map<String, float[]> data = new LinkedHashMap<>();

    private LmuFile(final ModelFile mf, final Path source)
    {
        this.source = source;
        this.file = mf;
        final JsonElement archElement = mf.architecture();
        if (!archElement.isJsonObject())
        {
            throw fail("metadata 'architecture' must be a JSON object");
        }
        final JsonObject o = archElement.getAsJsonObject();
        final String type = string(o, "type");
        if (io.spikering.core.stream.LmuPredictor.TYPE.equals(type))
        {
            throw fail("is a Mackey-Glass predictor (architecture type '" + type + "'), not a psMNIST classifier: run it with "
                + "'./spikering stream run --model " + source + " --in IN --out OUT --autonomous-after 750' on a queue from "
                + "'stream feed --source mackey-glass --queue IN', then score it with 'mackey-glass score --in IN --out OUT' "
                + "(docs/mackey-glass.md)");
        }
        final String variant = string(o, "variant");
        if (!TYPE.equals(type) || !(VARIANT.equals(variant) || RECURRENT.equals(variant)))
        {
            throw fail("architecture type '" + type + "', variant '" + variant +
                "' is not supported; this simulator runs type '" + TYPE + "', variant '" + VARIANT + "' or '" + RECURRENT + "'");
        }
        recurrent = RECURRENT.equals(variant);
        final Recurrence recurrence;
        if (recurrent)
        {
            recurrence = new Recurrence(integer(o, "input_size", 1, 1 << 16), flag(o, "hidden_to_memory"), flag(o, "memory_to_memory"),
                flag(o, "input_to_hidden"), flag(o, "hidden_recurrent"));
        }
        else
        {
            requireFlag(o, "hidden_to_memory", false);
            requireFlag(o, "memory_to_memory", false);
            requireFlag(o, "hidden_recurrent", false);
            requireFlag(o, "input_to_hidden", true);
            integer(o, "input_size", 1, 1);
            recurrence = null;
        }
        order = integer(o, "order", 1, LegendreMemory.MAX_ORDER);
        theta = number(o, "theta");
        final String discretization = string(o, "discretization");
        if (!"zoh".equals(discretization) && !"euler".equals(discretization))
        {
            throw fail("architecture 'discretization' must be 'zoh' or 'euler', got '" + discretization + "'");
        }
        zoh = "zoh".equals(discretization);
        steps = integer(o, "steps", 1, 1 << 20);
        window = integer(o, "readout_window", 1, steps);
        hidden = integer(o, "hidden_size", 1, 1 << 16);
        classes = integer(o, "classes", 2, 1 << 16);
        if (integer(o, "hidden_first_step", 0, steps - 1) != (recurrent ? 0 : steps - window))
        {
            throw fail(recurrent ? "architecture 'hidden_first_step' must be 0 for the recurrent variant"
                : "architecture 'hidden_first_step' must be steps - readout_window = " + (steps - window));
        }
        if (!"mean".equals(string(o, "readout")))
        {
            throw fail("architecture 'readout' must be 'mean', got '" + string(o, "readout") + "'");
        }
        try
        {
            activation = Activation.parse(string(o, "activation"));
        }
        catch (final IllegalArgumentException e)
        {
            throw fail("architecture 'activation': " + e.getMessage());
        }
        final JsonObject quantized = object(o, "quantized");
        hiddenQuantized = bool(quantized, "quantized.hidden", "hidden");
        memoryQuantized = bool(quantized, "quantized.memory", "memory");
        if (memoryQuantized && recurrent)
        {
            throw fail("architecture 'quantized.memory': a quantized memory is not supported for the recurrent variant");
        }
        if (bool(quantized, "quantized.input", "input"))
        {
            throw fail("architecture 'quantized': a quantized input is not supported by this simulator");
        }
        final JsonObject quantizer = object(o, "quantizer");
        final boolean hiddenDelta = delta(quantizer, "quantizer");
        dt = positive(quantizer, "quantizer.dt", "dt");
        amplitude = positive(quantizer, "quantizer.amplitude", "amplitude");
        permutationSeed = datasetSeed(mf);
        boolean memoryDelta = false;
        double memoryThreshold = 0.0;
        if (memoryQuantized)
        {
            final JsonObject mq = object(o, "memory_quantizer");
            memoryDelta = delta(mq, "memory_quantizer");
            memoryThreshold = memoryDelta ? threshold(mq, "memory_quantizer") : 0.0;
            if (!"linear".equals(string(mq, "activation")))
            {
                throw fail("architecture 'memory_quantizer' must have activation 'linear'");
            }
            memoryDt = positive(mq, "memory_quantizer.dt", "dt");
            if (positive(mq, "memory_quantizer.amplitude", "amplitude") != 1.0)
            {
                throw fail("architecture 'memory_quantizer.amplitude' must be 1 (per-dimension scales live in "
                    + MEMORY_QUANTIZER_GAIN + " and " + HIDDEN_MEMORY_KERNEL + ")");
            }
        }
        else
        {
            memoryDt = 0.0;
        }
        if (recurrent && (hiddenDelta || memoryDelta))
        {
            throw fail("architecture 'quantizer.type' must be 'sigma-delta' for the recurrent variant");
        }
        encoding = new Encoding(hiddenDelta, hiddenDelta ? threshold(quantizer, "quantizer") : 0.0, memoryDelta, memoryThreshold);
        architecture = new Architecture(order, theta, zoh, steps, window, hidden, activation, classes, hiddenQuantized, dt, amplitude,
            memoryQuantized, memoryDt, recurrence, encoding);
        final Map<String, int[]> shapes = shapes(architecture);
        for (final Tensor t : mf.tensors())
        {
            if (!shapes.containsKey(t.name()))
            {
                throw fail("tensor '" + t.name() + "' is not part of this architecture (variant '" + variant + "'"
                    + (recurrent ? ", options " + recurrence : "") + "; expected tensors " + shapes.keySet() + ")");
            }
        }
        for (final Map.Entry<String, int[]> e : shapes.entrySet())
        {
            data.put(e.getKey(), mf.floats(e.getKey(), e.getValue()));
        }
        checkMagnitudes();
        checkMemoryMatrices();
    }

    /**
     * Trained tensors (everything but Ā and B̄, which {@link #checkMemoryMatrices} checks exactly) must stay within
     * ±{@value #MAX_ABS_WEIGHT}: trained LMU weights are O(1–100), and values near the float32 range pass the NaN/Inf
     * check but overflow the sums at run time.
     */
    private void checkMagnitudes()
    {
        for (final Map.Entry<String, float[]> e : data.entrySet())
        {
            if (e.getKey().equals(MEMORY_A) || e.getKey().equals(MEMORY_B))
            {
                continue;
            }
            final float[] v = e.getValue();
            for (int i = 0; i < v.length; i++)
            {
                if (Math.abs(v[i]) > MAX_ABS_WEIGHT)
                {
                    throw fail("tensor '" + e.getKey() + "' holds " + v[i] + " at index " + i + ", beyond ±" + MAX_ABS_WEIGHT
                        + " (finite, but its products overflow at run time): retrain or re-export it");
                }
            }
        }
    }

    /**
     * Ā and B̄ must be the discretization the architecture declares (order, θ, zoh or euler), to float32 rounding:
     * Euler and, up to order {@value #FULL_CHECK_MAX_ORDER}, ZOH are compared with {@link LegendreMemory} entry by entry;
     * above that (the matrix exponential is O(d³), about 20 s at order 1024) B̄ is checked against Ā through the ZOH
     * identity A·B̄ = (Ā − I)·B, which costs O(d²).
     */
    private void checkMemoryMatrices()
    {
        final float[] fa = data.get(MEMORY_A);
        final float[] fb = data.get(MEMORY_B);
        final String declared = "order " + order + ", theta " + theta + ", " + (zoh ? "zoh" : "euler");
        if (!zoh || order <= FULL_CHECK_MAX_ORDER)
        {
            final LegendreMemory lmu = LegendreMemory.of(order, theta, zoh ? LegendreMemory.Method.ZOH : LegendreMemory.Method.EULER);
            final double[][] a = lmu.a();
            final double[] b = lmu.b();
            for (int i = 0; i < order; i++)
            {
                for (int j = 0; j < order; j++)
                {
                    if (!close(fa[i * order + j], a[i][j], 1.0))
                    {
                        throw memoryMismatch(MEMORY_A + "[" + i + "][" + j + "] is " + fa[i * order + j] + ", expected " + (float)a[i][j], declared);
                    }
                }
                if (!close(fb[i], b[i], 1.0))
                {
                    throw memoryMismatch(MEMORY_B + "[" + i + "] is " + fb[i] + ", expected " + (float)b[i], declared);
                }
            }
            return;
        }
        for (int i = 0; i < order; i++)
        {
            final double scale = (2 * i + 1) / theta;
            double left = 0.0;
            double right = 0.0;
            double magnitude = 0.0;
            for (int j = 0; j < order; j++)
            {
                final double aij = scale * (i < j ? -1.0 : ((i - j + 1) % 2 == 0 ? 1.0 : -1.0));
                final double bj = ((2 * j + 1) / theta) * (j % 2 == 0 ? 1.0 : -1.0);
                final double abarMinusI = fa[i * order + j] - (i == j ? 1.0 : 0.0);
                left += aij * fb[j];
                right += abarMinusI * bj;
                magnitude += Math.abs(aij * fb[j]) + Math.abs(abarMinusI * bj);
            }
            if (!close(left, right, magnitude))
            {
                throw memoryMismatch("row " + i + " of A·B̄ is " + left + " but (Ā − I)·B gives " + right, declared);
            }
        }
    }

    /** Ā and B̄ (float32, by {@link #MEMORY_A} and {@link #MEMORY_B}) of the Legendre memory an architecture declares. */
    public static Map<String, float[]> memoryTensors(final int order, final double theta, final boolean zoh)
    {
        final LegendreMemory lmu = LegendreMemory.of(order, theta, zoh ? LegendreMemory.Method.ZOH : LegendreMemory.Method.EULER);
        final double[][] a = lmu.a();
        final double[] b = lmu.b();
        final float[] fa = new float[order * order];
        final float[] fb = new float[order];
        for (int i = 0; i < order; i++)
        {
            for (int j = 0; j < order; j++)
            {
                fa[i * order + j] = (float)a[i][j];
            }
            fb[i] = (float)b[i];
        }
        final Map<String, float[]> m = new LinkedHashMap<>();
        m.put(MEMORY_A, fa);
        m.put(MEMORY_B, fb);
        return m;
    }

    /** |actual − expected| within float32 rounding of values of size {@code scale}. */
    private static boolean close(final double actual, final double expected, final double scale)
    {
        return Math.abs(actual - expected) <= 1e-5 * (Math.abs(expected) + scale) + 1e-12;
    }

    private ModelFormatException memoryMismatch(final String what, final String declared)
    {
        return fail(what + ": the memory matrices are not the Legendre memory the architecture declares (" + declared
            + "); re-export the model, or correct 'order', 'theta' or 'discretization'");
    }

    /** Loads and validates a model file. */
    public static LmuFile load(final Path file) throws IOException
    {
        InputFiles.requireRegular("model file", file, "train one with './spikering train psmnist --out FILE'");
        return new LmuFile(ModelFile.load(file), file);
    }

    /** True when {@code mf}'s architecture names the recurrent variant (whether or not the rest of it is valid). */
    public static boolean isRecurrent(final ModelFile mf)
    {
        try
        {
            final JsonElement variant = JsonParser.parseString(mf.metadata().get(ModelFile.ARCHITECTURE_KEY)).getAsJsonObject().get("variant");
            return variant != null && RECURRENT.equals(variant.getAsString());
        }
        catch (final RuntimeException notAnArchitecture)
        {
            return false;
        }
    }

    /** Validates an in-memory model file (source used in messages only). */
    public static LmuFile of(final ModelFile file)
    {
        return new LmuFile(file, file.source());
    }

    /**
     * A model from its architecture and float32 tensors (row-major, by the names above; shapes follow from the
     * architecture), validated exactly as a file is on load.
     *
     * @param extraMetadata further metadata keys (dataset, training provenance), values already strings, in order.
     */
    public static LmuFile create(final Architecture architecture, final Map<String, float[]> tensors, final Map<String, String> extraMetadata)
    {
        final Map<String, String> meta = new LinkedHashMap<>();
        meta.put(ModelFile.ARCHITECTURE_KEY, architectureJson(architecture));
        meta.putAll(extraMetadata);
        final List<Tensor> list = new ArrayList<>();
        for (final Map.Entry<String, int[]> e : shapes(architecture).entrySet())
        {
            final float[] data = tensors.get(e.getKey());
            if (data == null)
            {
                throw new IllegalArgumentException("LMU model lacks tensor '" + e.getKey() + "' (shape " + java.util.Arrays.toString(e.getValue()) + ")");
            }
            list.add(Tensor.f32(e.getKey(), e.getValue(), data));
        }
        for (final String name : tensors.keySet())
        {
            if (!shapes(architecture).containsKey(name))
            {
                throw new IllegalArgumentException("tensor '" + name + "' is not part of an LMU model with this architecture (expected tensors "
                    + shapes(architecture).keySet() + ")");
            }
        }
        return of(ModelFile.create(meta, list));
    }

    /** Writes the model (atomically), creating the parent directory if needed. */
    public void write(final Path path) throws IOException
    {
        final Path parent = path.toAbsolutePath().getParent();
        if (parent != null)
        {
            Files.createDirectories(parent);
        }
        file.write(path);
    }

    /** Tensor shapes by name, in the order they are written: only those the architecture has. */
    public static Map<String, int[]> shapes(final Architecture a)
    {
        final int d = a.order();
        final int n = a.hidden();
        final Recurrence r = a.recurrence();
        final int inputs = r == null ? 1 : r.inputs();
        final Map<String, int[]> s = new LinkedHashMap<>();
        s.put(MEMORY_A, new int[] {d, d});
        s.put(MEMORY_B, new int[] {d});
        s.put(INPUT_ENCODER, new int[] {inputs});
        if (r != null && r.hiddenToMemory())
        {
            s.put(HIDDEN_ENCODER, new int[] {n});
        }
        if (r != null && r.memoryToMemory())
        {
            s.put(MEMORY_ENCODER, new int[] {d});
        }
        s.put(HIDDEN_MEMORY_KERNEL, new int[] {d, n});
        if (r == null || r.inputToHidden())
        {
            s.put(HIDDEN_INPUT_KERNEL, new int[] {inputs, n});
        }
        if (r != null && r.hiddenRecurrent())
        {
            s.put(RECURRENT_KERNEL, new int[] {n, n});
        }
        s.put(HIDDEN_BIAS, new int[] {n});
        s.put(READOUT_KERNEL, new int[] {n, a.classes()});
        s.put(READOUT_BIAS, new int[] {a.classes()});
        if (a.memoryQuantized())
        {
            s.put(MEMORY_QUANTIZER_GAIN, new int[] {d});
            s.put(MEMORY_QUANTIZER_OFFSET, new int[] {d});
        }
        return s;
    }

    /** The {@code architecture} metadata JSON of {@code a}. */
    public static String architectureJson(final Architecture a)
    {
        requirePositive("quantizer dt", a.dt());
        requirePositive("quantizer amplitude", a.amplitude());
        if (a.memoryQuantized())
        {
            requirePositive("memory quantizer dt", a.memoryDt());
        }
        final Recurrence r = a.recurrence();
        final JsonObject o = new JsonObject();
        o.addProperty("type", TYPE);
        o.addProperty("variant", r == null ? VARIANT : RECURRENT);
        o.addProperty("input_size", r == null ? 1 : r.inputs());
        o.addProperty("steps", a.steps());
        o.addProperty("order", a.order());
        o.addProperty("theta", a.theta());
        o.addProperty("discretization", a.zoh() ? "zoh" : "euler");
        o.addProperty("hidden_size", a.hidden());
        o.addProperty("activation", a.activation().name().toLowerCase(Locale.ROOT));
        o.addProperty("classes", a.classes());
        o.addProperty("hidden_to_memory", r != null && r.hiddenToMemory());
        o.addProperty("memory_to_memory", r != null && r.memoryToMemory());
        o.addProperty("input_to_hidden", r == null || r.inputToHidden());
        o.addProperty("hidden_recurrent", r != null && r.hiddenRecurrent());
        o.addProperty("hidden_first_step", r == null ? a.steps() - a.window() : 0);
        o.addProperty("readout", "mean");
        o.addProperty("readout_window", a.window());
        final JsonObject q = new JsonObject();
        q.addProperty("hidden", a.hiddenQuantized());
        q.addProperty("memory", a.memoryQuantized());
        q.addProperty("input", false);
        o.add("quantized", q);
        final Encoding e = a.encoding();
        final JsonObject quantizer = new JsonObject();
        quantizer.addProperty("type", e.hiddenDelta() ? "delta" : "sigma-delta");
        quantizer.addProperty("dt", a.dt());
        quantizer.addProperty("amplitude", a.amplitude());
        if (e.hiddenDelta())
        {
            quantizer.addProperty("threshold", e.hiddenThreshold());
            quantizer.addProperty("receivers", DELTA_RECEIVERS);
        }
        else
        {
            quantizer.addProperty("initial_voltage", r == null ? "uniform[0,1) at hidden_first_step" : "uniform[0,1) at step 0");
        }
        o.add("quantizer", quantizer);
        if (a.memoryQuantized())
        {
            final JsonObject mq = new JsonObject();
            mq.addProperty("type", e.memoryDelta() ? "delta" : "sigma-delta");
            mq.addProperty("activation", "linear");
            mq.addProperty("dt", a.memoryDt());
            mq.addProperty("amplitude", 1.0);
            mq.addProperty("input", "x_i = m_i * gain_i + offset_i");
            mq.addProperty("window", "hidden_first_step until steps");
            if (e.memoryDelta())
            {
                mq.addProperty("threshold", e.memoryThreshold());
                mq.addProperty("receivers", DELTA_RECEIVERS);
            }
            else
            {
                mq.addProperty("initial_voltage", "uniform[0,1) at hidden_first_step");
            }
            o.add("memory_quantizer", mq);
            o.addProperty("accumulation_order", "quantizer input: m_i*gain_i, then offset_i; hidden: memory events ascending "
                + "(count/dt_m)*W_m[i], then input, then bias");
        }
        else if (r == null)
        {
            o.addProperty("accumulation_order", "memory features ascending, then input, then bias");
        }
        return GSON.toJson(o);
    }

    /** Whether a quantizer object declares Loihi 2's delta encoder ("delta") rather than the paper's rule ("sigma-delta"). */
    private boolean delta(final JsonObject quantizer, final String key)
    {
        final String type = string(quantizer, "type");
        if (!"sigma-delta".equals(type) && !"delta".equals(type))
        {
            throw fail("architecture '" + key + ".type' must be 'sigma-delta' or 'delta', got '" + type + "'");
        }
        return "delta".equals(type);
    }

    private double threshold(final JsonObject quantizer, final String key)
    {
        final JsonElement e = element(quantizer, "threshold", key + ".threshold");
        double t = Double.NaN;
        try
        {
            t = e.getAsDouble();
        }
        catch (final RuntimeException ex)
        {
            // reported below
        }
        if (!(t >= 0.0) || Double.isInfinite(t))
        {
            throw fail("architecture '" + key + ".threshold' must be finite and >= 0 (in counts), got " + t);
        }
        return t;
    }

    private static void requirePositive(final String what, final double value)
    {
        if (!(value > 0.0) || Double.isInfinite(value))
        {
            throw new IllegalArgumentException(what + " must be positive and finite, got " + value);
        }
    }

    /** Which rule each quantizer uses. */
    public Encoding encoding()
    {
        return encoding;
    }

    /** This file's architecture. */
    public Architecture architecture()
    {
        return architecture;
    }

    /** Metadata other than format, version and architecture (dataset, training provenance), in file order. */
    public Map<String, String> extraMetadata()
    {
        final Map<String, String> m = new LinkedHashMap<>(file.metadata());
        m.remove(ModelFile.FORMAT_KEY);
        m.remove(ModelFile.VERSION_KEY);
        m.remove(ModelFile.ARCHITECTURE_KEY);
        return Collections.unmodifiableMap(m);
    }

    /** Every tensor's float32 data (copies), by name in file order. */
    public Map<String, float[]> tensors()
    {
        final Map<String, float[]> t = new LinkedHashMap<>();
        for (final Map.Entry<String, float[]> e : data.entrySet())
        {
            t.put(e.getKey(), e.getValue().clone());
        }
        return t;
    }

    /** A copy of this model with other extra metadata (e.g. training provenance added after evaluation). */
    public LmuFile withExtraMetadata(final Map<String, String> extraMetadata)
    {
        return create(architecture(), tensors(), extraMetadata);
    }

    /** The same model with the given quantizer rules (a delta memory encoder needs a quantized memory). */
    public LmuFile withEncoding(final Encoding e)
    {
        final Architecture a = architecture();
        if (e.memoryDelta() && !a.memoryQuantized())
        {
            throw new IllegalArgumentException("model file " + source + ": a delta memory encoder needs a quantized memory output");
        }
        final Map<String, String> extra = new LinkedHashMap<>(file.metadata());
        extra.remove(ModelFile.ARCHITECTURE_KEY);
        final LmuFile made = create(new Architecture(a.order(), a.theta(), a.zoh(), a.steps(), a.window(), a.hidden(), a.activation(),
            a.classes(), a.hiddenQuantized(), a.dt(), a.amplitude(), a.memoryQuantized(), a.memoryDt(), a.recurrence(), e), tensors(), extra);
        return new LmuFile(made.file, source);
    }

    private long datasetSeed(final ModelFile mf)
    {
        final String ds = mf.metadata().get("dataset");
        if (ds == null)
        {
            return 0;
        }
        try
        {
            final JsonObject o = JsonParser.parseString(ds).getAsJsonObject();
            return o.has("permutation_seed") ? o.get("permutation_seed").getAsLong() : 0;
        }
        catch (final RuntimeException e)
        {
            throw fail("metadata 'dataset' is not a JSON object with a numeric 'permutation_seed': " + e.getMessage());
        }
    }

    private ModelFormatException fail(final String message)
    {
        return new ModelFormatException("model file " + source + ": " + message);
    }

    private JsonElement element(final JsonObject o, final String key, final String path)
    {
        final JsonElement e = o.get(key);
        if (e == null || e.isJsonNull())
        {
            throw fail("architecture lacks key '" + path + "'");
        }
        return e;
    }

    private String string(final JsonObject o, final String key)
    {
        final JsonElement e = element(o, key, key);
        if (!e.isJsonPrimitive())
        {
            throw fail("architecture '" + key + "' must be a string");
        }
        return e.getAsString();
    }

    private JsonObject object(final JsonObject o, final String key)
    {
        final JsonElement e = element(o, key, key);
        if (!e.isJsonObject())
        {
            throw fail("architecture '" + key + "' must be a JSON object");
        }
        return e.getAsJsonObject();
    }

    private boolean bool(final JsonObject o, final String path, final String key)
    {
        final JsonElement e = element(o, key, path);
        if (!e.isJsonPrimitive() || !e.getAsJsonPrimitive().isBoolean())
        {
            throw fail("architecture '" + path + "' must be true or false, got " + e);
        }
        return e.getAsBoolean();
    }

    private boolean flag(final JsonObject o, final String key)
    {
        return bool(o, key, key);
    }

    private void requireFlag(final JsonObject o, final String key, final boolean expected)
    {
        if (flag(o, key) != expected)
        {
            throw fail("architecture '" + key + "' is " + !expected + "; the '" + VARIANT + "' variant has only " + key + " = " + expected);
        }
    }

    private int integer(final JsonObject o, final String key, final int min, final int max)
    {
        final JsonElement e = element(o, key, key);
        if (!e.isJsonPrimitive() || !e.getAsJsonPrimitive().isNumber())
        {
            throw fail("architecture '" + key + "' must be a JSON number (an integer), got " + e);
        }
        final long v;
        try
        {
            v = e.getAsLong();
            if (v != e.getAsDouble())
            {
                throw new NumberFormatException();
            }
        }
        catch (final RuntimeException ex)
        {
            throw fail("architecture '" + key + "' must be an integer, got " + e);
        }
        if (v < min || v > max)
        {
            throw fail("architecture '" + key + "' is " + v + ", expected " + min + ".." + max);
        }
        return (int)v;
    }

    private double number(final JsonObject o, final String key)
    {
        return positive(o, key, key);
    }

    private double positive(final JsonObject o, final String path, final String key)
    {
        final JsonElement e = element(o, key, path);
        if (!e.isJsonPrimitive() || !e.getAsJsonPrimitive().isNumber())
        {
            throw fail("architecture '" + path + "' must be a JSON number, got " + e);
        }
        final double v;
        try
        {
            v = e.getAsDouble();
        }
        catch (final RuntimeException ex)
        {
            throw fail("architecture '" + path + "' must be a number, got " + e);
        }
        if (!(v > 0.0) || Double.isInfinite(v))
        {
            throw fail("architecture '" + path + "' must be a positive finite number, got " + e);
        }
        return v;
    }

    public Path source()
    {
        return source;
    }

    public int order()
    {
        return order;
    }

    public double theta()
    {
        return theta;
    }

    /** Zero-order-hold discretization (else Euler). */
    public boolean zoh()
    {
        return zoh;
    }

    /** Sequence length T. */
    public int steps()
    {
        return steps;
    }

    /** Readout window K: the hidden layer runs at steps [T − K, T). */
    public int window()
    {
        return window;
    }

    /** First step at which the hidden layer runs: T − K, or 0 for the recurrent variant. */
    public int hiddenFirstStep()
    {
        return recurrent ? 0 : steps - window;
    }

    /** First step of the readout window: T − K. */
    public int readoutFirstStep()
    {
        return steps - window;
    }

    /** True for the recurrent variant. */
    public boolean recurrent()
    {
        return recurrent;
    }

    /** W_h as rows (row k: weights from h_{t−1}[k] to every unit), or null when the hidden layer has no recurrent kernel. */
    public float[][] recurrentKernel()
    {
        final float[] wh = data.get(RECURRENT_KERNEL);
        return wh == null ? null : rows(wh, hidden, hidden);
    }

    public int hidden()
    {
        return hidden;
    }

    public Activation activation()
    {
        return activation;
    }

    public int classes()
    {
        return classes;
    }

    public boolean hiddenQuantized()
    {
        return hiddenQuantized;
    }

    /** Whether the memory output is sigma-delta quantized in the window (its tensors and dt are then present). */
    public boolean memoryQuantized()
    {
        return memoryQuantized;
    }

    /** The memory quantizer's dt (0 when the memory is not quantized). */
    public double memoryDt()
    {
        return memoryDt;
    }

    /** The memory quantizer's input gain per dimension (x_i = m_i·gain_i + offset_i); null when not quantized. */
    public float[] memoryGain()
    {
        return copy(MEMORY_QUANTIZER_GAIN);
    }

    /** The memory quantizer's input offset per dimension; null when not quantized. */
    public float[] memoryOffset()
    {
        return copy(MEMORY_QUANTIZER_OFFSET);
    }

    /** The quantizer dt the model was exported for. */
    public double dt()
    {
        return dt;
    }

    public double amplitude()
    {
        return amplitude;
    }

    /** psMNIST permutation seed from the 'dataset' metadata (0 if absent). */
    public long permutationSeed()
    {
        return permutationSeed;
    }

    /** Ā as double rows (widened from float32). */
    public double[][] memoryA()
    {
        final float[] a = data.get(MEMORY_A);
        final double[][] m = new double[order][order];
        for (int i = 0; i < order; i++)
        {
            for (int j = 0; j < order; j++)
            {
                m[i][j] = a[i * order + j];
            }
        }
        return m;
    }

    /** B̄ widened to double. */
    public double[] memoryB()
    {
        final float[] b = data.get(MEMORY_B);
        final double[] v = new double[order];
        for (int i = 0; i < order; i++)
        {
            v[i] = b[i];
        }
        return v;
    }

    /** Ā as float32, row-major d × d (a copy). */
    public float[] memoryAFloats()
    {
        return copy(MEMORY_A);
    }

    /** B̄ as float32 (a copy). */
    public float[] memoryBFloats()
    {
        return copy(MEMORY_B);
    }

    /** The input encoder e_x of the first input (the engine runs one-input models only). */
    public float encoder()
    {
        return data.get(INPUT_ENCODER)[0];
    }

    /** W_m as rows [order][hidden]. */
    public float[][] memoryKernel()
    {
        return rows(data.get(HIDDEN_MEMORY_KERNEL), order, hidden);
    }

    /** W_x as rows [inputs][hidden], or null when the model has no input→hidden kernel. */
    public float[][] inputKernel()
    {
        final float[] wx = data.get(HIDDEN_INPUT_KERNEL);
        return wx == null ? null : rows(wx, wx.length / hidden, hidden);
    }

    public float[] hiddenBias()
    {
        return copy(HIDDEN_BIAS);
    }

    /** W_out as rows [hidden][classes]. */
    public float[][] readoutKernel()
    {
        return rows(data.get(READOUT_KERNEL), hidden, classes);
    }

    public float[] readoutBias()
    {
        return copy(READOUT_BIAS);
    }

    /** Trainable parameters plus Ā and B̄: every value in the file. */
    public long parameterCount()
    {
        long count = 0;
        for (final float[] t : data.values())
        {
            count += t.length;
        }
        return count;
    }

    private float[] copy(final String name)
    {
        final float[] t = data.get(name);
        return t == null ? null : t.clone();
    }

    private static float[][] rows(final float[] flat, final int rows, final int cols)
    {
        final float[][] m = new float[rows][cols];
        for (int i = 0; i < rows; i++)
        {
            System.arraycopy(flat, i * cols, m[i], 0, cols);
        }
        return m;
    }
}
