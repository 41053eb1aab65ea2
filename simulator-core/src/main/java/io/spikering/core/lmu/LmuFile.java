package io.spikering.core.lmu;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.spikering.core.model.ModelFile;
import io.spikering.core.model.ModelFormatException;
import io.spikering.core.model.Tensor;
import io.spikering.neuron.Activation;

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
 * A feed-forward-in-time LMU model file (docs/model-format.md, "LMU tensors"): the one reader and writer of the
 * format, used by the simulator and the trainer alike. Validated on load and on {@link #create}: container, format
 * and version, NaN/Inf (by {@link ModelFile}), the architecture keys and the variant, every tensor's presence, dtype
 * and shape; each error names the file and the key or tensor with what was expected.
 */
public final class LmuFile
{
    public static final String MEMORY_A = "lmu.memory.A";
    public static final String MEMORY_B = "lmu.memory.B";
    public static final String INPUT_ENCODER = "lmu.memory.input_encoder";
    public static final String HIDDEN_MEMORY_KERNEL = "lmu.hidden.memory_kernel";
    public static final String HIDDEN_INPUT_KERNEL = "lmu.hidden.input_kernel";
    public static final String HIDDEN_BIAS = "lmu.hidden.bias";
    public static final String READOUT_KERNEL = "readout.kernel";
    public static final String READOUT_BIAS = "readout.bias";
    public static final String MEMORY_QUANTIZER_GAIN = "lmu.memory.quantizer.gain";
    public static final String MEMORY_QUANTIZER_OFFSET = "lmu.memory.quantizer.offset";
    public static final String TYPE = "lmu";
    public static final String VARIANT = "feed-forward-in-time";

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
     */
    public record Architecture(int order, double theta, boolean zoh, int steps, int window, int hidden, Activation activation,
        int classes, boolean hiddenQuantized, double dt, double amplitude, boolean memoryQuantized, double memoryDt)
    {
        /** The same architecture without a memory quantizer. */
        public Architecture(final int order, final double theta, final boolean zoh, final int steps, final int window, final int hidden,
            final Activation activation, final int classes, final boolean hiddenQuantized, final double dt, final double amplitude)
        {
            this(order, theta, zoh, steps, window, hidden, activation, classes, hiddenQuantized, dt, amplitude, false, 0.0);
        }
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
    private final float[] memoryGain;
    private final float[] memoryOffset;
    private final double dt;
    private final double amplitude;
    private final long permutationSeed;
    private final float[] a;
    private final float[] b;
    private final float encoder;
    private final float[] memoryKernel;
    private final float[] inputKernel;
    private final float[] hiddenBias;
    private final float[] readoutKernel;
    private final float[] readoutBias;

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
        final String variant = string(o, "variant");
        if (!"lmu".equals(type) || !"feed-forward-in-time".equals(variant))
        {
            throw fail("architecture type '" + type + "', variant '" + variant +
                "' is not supported; this simulator runs type 'lmu', variant 'feed-forward-in-time'");
        }
        requireFlag(o, "hidden_to_memory", false);
        requireFlag(o, "memory_to_memory", false);
        requireFlag(o, "hidden_recurrent", false);
        requireFlag(o, "input_to_hidden", true);
        if (integer(o, "input_size", 1, 1) != 1)
        {
            throw fail("architecture 'input_size' must be 1");
        }
        order = integer(o, "order", 1, 4096);
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
        if (integer(o, "hidden_first_step", 0, steps - 1) != steps - window)
        {
            throw fail("architecture 'hidden_first_step' must be steps - readout_window = " + (steps - window));
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
        if (bool(quantized, "quantized.input", "input"))
        {
            throw fail("architecture 'quantized': a quantized input is not supported by this simulator");
        }
        final JsonObject quantizer = object(o, "quantizer");
        if (!"sigma-delta".equals(string(quantizer, "type")))
        {
            throw fail("architecture 'quantizer.type' must be 'sigma-delta'");
        }
        dt = positive(quantizer, "quantizer.dt", "dt");
        amplitude = positive(quantizer, "quantizer.amplitude", "amplitude");
        permutationSeed = datasetSeed(mf);
        final int d = order;
        a = mf.floats(MEMORY_A, d, d);
        b = mf.floats(MEMORY_B, d);
        encoder = mf.floats(INPUT_ENCODER, 1)[0];
        memoryKernel = mf.floats(HIDDEN_MEMORY_KERNEL, d, hidden);
        inputKernel = mf.floats(HIDDEN_INPUT_KERNEL, 1, hidden);
        hiddenBias = mf.floats(HIDDEN_BIAS, hidden);
        readoutKernel = mf.floats(READOUT_KERNEL, hidden, classes);
        readoutBias = mf.floats(READOUT_BIAS, classes);
        if (memoryQuantized)
        {
            final JsonObject mq = object(o, "memory_quantizer");
            if (!"sigma-delta".equals(string(mq, "type")) || !"linear".equals(string(mq, "activation")))
            {
                throw fail("architecture 'memory_quantizer' must have type 'sigma-delta' and activation 'linear'");
            }
            memoryDt = positive(mq, "memory_quantizer.dt", "dt");
            if (positive(mq, "memory_quantizer.amplitude", "amplitude") != 1.0)
            {
                throw fail("architecture 'memory_quantizer.amplitude' must be 1 (per-dimension scales live in "
                    + MEMORY_QUANTIZER_GAIN + " and " + HIDDEN_MEMORY_KERNEL + ")");
            }
            memoryGain = mf.floats(MEMORY_QUANTIZER_GAIN, d);
            memoryOffset = mf.floats(MEMORY_QUANTIZER_OFFSET, d);
        }
        else
        {
            memoryDt = 0.0;
            memoryGain = null;
            memoryOffset = null;
        }
    }

    /** Loads and validates a model file. */
    public static LmuFile load(final Path file) throws IOException
    {
        if (!Files.isRegularFile(file))
        {
            throw new IOException("model file " + file + " does not exist (train one with './spikering train psmnist')");
        }
        return new LmuFile(ModelFile.load(file), file);
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
                throw new IllegalArgumentException("tensor '" + name + "' is not part of an LMU model with this architecture");
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

    /** Tensor shapes by name, in the order they are written. */
    public static Map<String, int[]> shapes(final Architecture a)
    {
        final int d = a.order();
        final int n = a.hidden();
        final Map<String, int[]> s = new LinkedHashMap<>();
        s.put(MEMORY_A, new int[] {d, d});
        s.put(MEMORY_B, new int[] {d});
        s.put(INPUT_ENCODER, new int[] {1});
        s.put(HIDDEN_MEMORY_KERNEL, new int[] {d, n});
        s.put(HIDDEN_INPUT_KERNEL, new int[] {1, n});
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
        final JsonObject o = new JsonObject();
        o.addProperty("type", TYPE);
        o.addProperty("variant", VARIANT);
        o.addProperty("input_size", 1);
        o.addProperty("steps", a.steps());
        o.addProperty("order", a.order());
        o.addProperty("theta", a.theta());
        o.addProperty("discretization", a.zoh() ? "zoh" : "euler");
        o.addProperty("hidden_size", a.hidden());
        o.addProperty("activation", a.activation().name().toLowerCase(Locale.ROOT));
        o.addProperty("classes", a.classes());
        o.addProperty("hidden_to_memory", false);
        o.addProperty("memory_to_memory", false);
        o.addProperty("input_to_hidden", true);
        o.addProperty("hidden_recurrent", false);
        o.addProperty("hidden_first_step", a.steps() - a.window());
        o.addProperty("readout", "mean");
        o.addProperty("readout_window", a.window());
        final JsonObject q = new JsonObject();
        q.addProperty("hidden", a.hiddenQuantized());
        q.addProperty("memory", a.memoryQuantized());
        q.addProperty("input", false);
        o.add("quantized", q);
        final JsonObject quantizer = new JsonObject();
        quantizer.addProperty("type", "sigma-delta");
        quantizer.addProperty("dt", a.dt());
        quantizer.addProperty("amplitude", a.amplitude());
        quantizer.addProperty("initial_voltage", "uniform[0,1) at hidden_first_step");
        o.add("quantizer", quantizer);
        if (a.memoryQuantized())
        {
            final JsonObject mq = new JsonObject();
            mq.addProperty("type", "sigma-delta");
            mq.addProperty("activation", "linear");
            mq.addProperty("dt", a.memoryDt());
            mq.addProperty("amplitude", 1.0);
            mq.addProperty("input", "x_i = m_i * gain_i + offset_i");
            mq.addProperty("window", "hidden_first_step until steps");
            mq.addProperty("initial_voltage", "uniform[0,1) at hidden_first_step");
            o.add("memory_quantizer", mq);
            o.addProperty("accumulation_order", "quantizer input: m_i*gain_i, then offset_i; hidden: memory events ascending "
                + "(count/dt_m)*W_m[i], then input, then bias");
        }
        else
        {
            o.addProperty("accumulation_order", "memory features ascending, then input, then bias");
        }
        return GSON.toJson(o);
    }

    /** This file's architecture. */
    public Architecture architecture()
    {
        return new Architecture(order, theta, zoh, steps, window, hidden, activation, classes, hiddenQuantized, dt, amplitude, memoryQuantized,
            memoryDt);
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
        for (final Map.Entry<String, int[]> e : shapes(architecture()).entrySet())
        {
            t.put(e.getKey(), file.floats(e.getKey(), e.getValue()).clone());
        }
        return t;
    }

    /** A copy of this model with other extra metadata (e.g. training provenance added after evaluation). */
    public LmuFile withExtraMetadata(final Map<String, String> extraMetadata)
    {
        return create(architecture(), tensors(), extraMetadata);
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

    private void requireFlag(final JsonObject o, final String key, final boolean expected)
    {
        if (bool(o, key, key) != expected)
        {
            throw fail("architecture '" + key + "' is " + !expected + "; this simulator runs only " + key + " = " + expected);
        }
    }

    private int integer(final JsonObject o, final String key, final int min, final int max)
    {
        final JsonElement e = element(o, key, key);
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

    public int hiddenFirstStep()
    {
        return steps - window;
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
        return memoryGain == null ? null : memoryGain.clone();
    }

    /** The memory quantizer's input offset per dimension; null when not quantized. */
    public float[] memoryOffset()
    {
        return memoryOffset == null ? null : memoryOffset.clone();
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
        return a.clone();
    }

    /** B̄ as float32 (a copy). */
    public float[] memoryBFloats()
    {
        return b.clone();
    }

    public float encoder()
    {
        return encoder;
    }

    /** W_m as rows [order][hidden]. */
    public float[][] memoryKernel()
    {
        return rows(memoryKernel, order, hidden);
    }

    /** W_x as one row [1][hidden]. */
    public float[][] inputKernel()
    {
        return rows(inputKernel, 1, hidden);
    }

    public float[] hiddenBias()
    {
        return hiddenBias.clone();
    }

    /** W_out as rows [hidden][classes]. */
    public float[][] readoutKernel()
    {
        return rows(readoutKernel, hidden, classes);
    }

    public float[] readoutBias()
    {
        return readoutBias.clone();
    }

    /** Trainable parameters plus Ā and B̄. */
    public long parameterCount()
    {
        return (long)order * order + order + 1 + (long)order * hidden + 2L * hidden + (long)hidden * classes + classes
            + (memoryQuantized ? 2L * order : 0L);
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
