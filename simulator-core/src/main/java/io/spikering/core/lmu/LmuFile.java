package io.spikering.core.lmu;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.spikering.core.model.ModelFile;
import io.spikering.core.model.ModelFormatException;
import io.spikering.neuron.Activation;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * An LMU model file as the simulator reads it (docs/model-format.md, "LMU tensors"; and "Recurrent LMU tensors" for
 * the recurrent variant with a memory driven by the input alone: the hidden layer then runs at every step, with the
 * recurrent kernel W_h on h_{t−1} if present), read independently of the trainer's classes. Validated on load: container, format and version, NaN/Inf (by
 * {@link ModelFile}), the architecture keys and the variant this simulator runs, every tensor's presence, dtype and
 * shape; each error names the file and the key or tensor with what was expected.
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
    public static final String RECURRENT_KERNEL = "lmu.hidden.recurrent_kernel";
    public static final String FEED_FORWARD = "feed-forward-in-time";
    public static final String RECURRENT = "recurrent";

    private final Path source;
    private final int order;
    private final double theta;
    private final int steps;
    private final int window;
    private final int hidden;
    private final Activation activation;
    private final int classes;
    private final boolean hiddenQuantized;
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
    private final boolean recurrent;
    private final float[] recurrentKernel;

    private LmuFile(final ModelFile mf, final Path source)
    {
        this.source = source;
        final JsonElement archElement = mf.architecture();
        if (!archElement.isJsonObject())
        {
            throw fail("metadata 'architecture' must be a JSON object");
        }
        final JsonObject o = archElement.getAsJsonObject();
        final String type = string(o, "type");
        final String variant = string(o, "variant");
        if (!"lmu".equals(type) || !(FEED_FORWARD.equals(variant) || RECURRENT.equals(variant)))
        {
            throw fail("architecture type '" + type + "', variant '" + variant +
                "' is not supported; this simulator runs type 'lmu', variant '" + FEED_FORWARD + "' or '" + RECURRENT + "'");
        }
        recurrent = RECURRENT.equals(variant);
        // hidden-to-memory and memory-to-memory would make the memory input depend on the step before; not built yet
        requireFlag(o, "hidden_to_memory", false);
        requireFlag(o, "memory_to_memory", false);
        final boolean hiddenRecurrent = recurrent && bool(o, "hidden_recurrent", "hidden_recurrent");
        if (!recurrent)
        {
            requireFlag(o, "hidden_recurrent", false);
        }
        requireFlag(o, "input_to_hidden", true);
        if (integer(o, "input_size", 1, 1) != 1)
        {
            throw fail("architecture 'input_size' must be 1");
        }
        order = integer(o, "order", 1, 4096);
        theta = number(o, "theta");
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
        if (bool(quantized, "quantized.memory", "memory") || bool(quantized, "quantized.input", "input"))
        {
            throw fail("architecture 'quantized': a quantized memory or input is not supported by this simulator");
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
        recurrentKernel = hiddenRecurrent ? mf.floats(RECURRENT_KERNEL, hidden, hidden) : null;
        if (!hiddenRecurrent && mf.hasTensor(RECURRENT_KERNEL))
        {
            throw fail("tensor '" + RECURRENT_KERNEL + "' is present but 'hidden_recurrent' is not true");
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
        return recurrentKernel == null ? null : rows(recurrentKernel, hidden, hidden);
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
            + (recurrentKernel == null ? 0 : (long)hidden * hidden);
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
