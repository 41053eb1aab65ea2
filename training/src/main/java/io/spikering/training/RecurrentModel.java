package io.spikering.training;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import io.spikering.core.lmu.LmuFile;
import io.spikering.core.model.ModelFile;
import io.spikering.core.model.Tensor;
import io.spikering.neuron.Activation;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A trained recurrent LMU cell ({@link RecurrentLmu} equations, KerasLMU's options) as a spikering model file:
 * architecture {@code type "lmu", variant "recurrent"}, float32 tensors named after the cell's parts (only those its
 * options enable), the quantizer dt. docs/model-format.md, "Recurrent LMU tensors", documents every name and key.
 * Ā and B̄ are stored for consumers; the trainer recomputes them from the architecture, so {@link #read} requires them
 * to be exactly those.
 */
public final class RecurrentModel
{
    public static final String VARIANT = "recurrent";
    private static final Gson GSON = new GsonBuilder().disableHtmlEscaping().create();
    public static final String INPUT_ENCODER = "lmu.memory.input_encoder";
    public static final String HIDDEN_ENCODER = "lmu.memory.hidden_encoder";
    public static final String MEMORY_ENCODER = "lmu.memory.memory_encoder";
    public static final String RECURRENT_KERNEL = "lmu.hidden.recurrent_kernel";

    private final LmuSpec spec;
    private final RecurrentLmu.Options options;
    private final int inputs;
    private final float[] params;
    private final boolean hiddenQuantized;
    private final double dt;
    private final Map<String, String> extraMetadata;

    /**
     * @param params          parameters in {@link RecurrentLmu}'s layout (copied).
     * @param hiddenQuantized whether the hidden units are sigma-delta quantized when the model runs.
     * @param dt              the quantizer dt the model is meant to run at (> 0, recorded even when not quantized).
     * @param extraMetadata   additional metadata keys (dataset, training provenance), values already strings.
     */
    public RecurrentModel(final LmuSpec spec, final RecurrentLmu.Options options, final int inputs, final float[] params,
        final boolean hiddenQuantized, final double dt, final Map<String, String> extraMetadata)
    {
        final int expected = RecurrentLmu.layout(spec, options, inputs)[9];
        if (params.length != expected)
        {
            throw new IllegalArgumentException("recurrent LMU " + spec + ", " + options + " has " + expected + " parameters, got " + params.length);
        }
        if (!(dt > 0.0) || Double.isInfinite(dt))
        {
            throw new IllegalArgumentException("quantizer dt must be positive and finite, got " + dt);
        }
        this.spec = spec;
        this.options = options;
        this.inputs = inputs;
        this.params = params.clone();
        this.hiddenQuantized = hiddenQuantized;
        this.dt = dt;
        this.extraMetadata = new LinkedHashMap<>(extraMetadata);
        final int[] o = offsets();
        final String[] names = names();
        for (int k = 0; k < names.length; k++)
        {
            for (int i = o[k]; i < o[k + 1]; i++)
            {
                if (!Float.isFinite(this.params[i]))
                {
                    throw new IllegalArgumentException("tensor '" + names[k] + "' holds " + this.params[i] + " at flat index " + (i - o[k])
                        + "; the model cannot run");
                }
            }
        }
    }

    private int[] offsets()
    {
        return RecurrentLmu.layout(spec, options, inputs);
    }

    /** Tensor names of the parameter blocks, in {@link RecurrentLmu#offsets()} order. */
    private static String[] names()
    {
        return new String[] {INPUT_ENCODER, HIDDEN_ENCODER, MEMORY_ENCODER, LmuFile.HIDDEN_MEMORY_KERNEL, LmuFile.HIDDEN_INPUT_KERNEL,
            RECURRENT_KERNEL, LmuFile.HIDDEN_BIAS, LmuFile.READOUT_KERNEL, LmuFile.READOUT_BIAS};
    }

    /** Shapes of the parameter blocks, in {@link #names()} order; absent blocks are null. */
    private int[][] blockShapes()
    {
        final int d = spec.order();
        final int n = spec.hidden();
        return new int[][] {{inputs}, options.hiddenToMemory() ? new int[] {n} : null, options.memoryToMemory() ? new int[] {d} : null,
            {d, n}, options.inputToHidden() ? new int[] {inputs, n} : null, options.hiddenRecurrent() ? new int[] {n, n} : null, {n},
            {n, spec.classes()}, {spec.classes()}};
    }

    /** Tensor shapes by name, in file order: Ā, B̄, then the parameter blocks the options enable. */
    public Map<String, int[]> shapes()
    {
        final Map<String, int[]> s = new LinkedHashMap<>();
        s.put(LmuFile.MEMORY_A, new int[] {spec.order(), spec.order()});
        s.put(LmuFile.MEMORY_B, new int[] {spec.order()});
        final String[] names = names();
        final int[][] shapes = blockShapes();
        for (int k = 0; k < names.length; k++)
        {
            if (shapes[k] != null)
            {
                s.put(names[k], shapes[k]);
            }
        }
        return s;
    }

    /** Tensor data by name, in file order (copies). */
    public Map<String, float[]> tensors()
    {
        final MemoryMatrices mm = MemoryMatrices.of(spec);
        final int d = spec.order();
        final float[] a = new float[d * d];
        for (int i = 0; i < d; i++)
        {
            System.arraycopy(mm.a()[i], 0, a, i * d, d);
        }
        final Map<String, float[]> t = new LinkedHashMap<>();
        t.put(LmuFile.MEMORY_A, a);
        t.put(LmuFile.MEMORY_B, mm.b().clone());
        final String[] names = names();
        final int[] o = offsets();
        for (int k = 0; k < names.length; k++)
        {
            if (o[k + 1] > o[k])
            {
                t.put(names[k], Arrays.copyOfRange(params, o[k], o[k + 1]));
            }
        }
        return t;
    }

    /** The architecture JSON (metadata key {@code architecture}). */
    public String architectureJson()
    {
        final JsonObject o = new JsonObject();
        o.addProperty("type", LmuFile.TYPE);
        o.addProperty("variant", VARIANT);
        o.addProperty("input_size", inputs);
        o.addProperty("steps", spec.steps());
        o.addProperty("order", spec.order());
        o.addProperty("theta", spec.theta());
        o.addProperty("discretization", spec.discretization());
        o.addProperty("hidden_size", spec.hidden());
        o.addProperty("activation", spec.activation().name().toLowerCase(Locale.ROOT));
        o.addProperty("classes", spec.classes());
        o.addProperty("hidden_to_memory", options.hiddenToMemory());
        o.addProperty("memory_to_memory", options.memoryToMemory());
        o.addProperty("input_to_hidden", options.inputToHidden());
        o.addProperty("hidden_recurrent", options.hiddenRecurrent());
        o.addProperty("hidden_first_step", 0);
        o.addProperty("readout", "mean");
        o.addProperty("readout_window", spec.window());
        final JsonObject q = new JsonObject();
        q.addProperty("hidden", hiddenQuantized);
        q.addProperty("memory", false);
        q.addProperty("input", false);
        o.add("quantized", q);
        final JsonObject quantizer = new JsonObject();
        quantizer.addProperty("type", "sigma-delta");
        quantizer.addProperty("dt", dt);
        quantizer.addProperty("amplitude", 1.0);
        quantizer.addProperty("initial_voltage", "uniform[0,1) at step 0");
        o.add("quantizer", quantizer);
        return GSON.toJson(o);
    }

    /** Metadata for the model file: {@code architecture} then the extra keys, in order. */
    public Map<String, String> metadata()
    {
        final Map<String, String> m = new LinkedHashMap<>();
        m.put(ModelFile.ARCHITECTURE_KEY, architectureJson());
        m.putAll(extraMetadata);
        return m;
    }

    /** Writes the model file (atomically, via ModelFile), creating parent directories. */
    public void write(final Path file) throws IOException
    {
        final Map<String, int[]> shapes = shapes();
        final List<Tensor> list = new ArrayList<>();
        for (final Map.Entry<String, float[]> e : tensors().entrySet())
        {
            list.add(Tensor.f32(e.getKey(), shapes.get(e.getKey()), e.getValue()));
        }
        final Path parent = file.toAbsolutePath().getParent();
        if (parent != null)
        {
            Files.createDirectories(parent);
        }
        ModelFile.create(metadata(), list).write(file);
    }

    /**
     * Loads a model file written by {@link #write}, checking the format, every architecture key, that exactly the
     * tensors the options enable are present with their shapes and dtype F32, that values are finite, and that Ā, B̄
     * are the architecture's. Errors name the file and the field.
     */
    public static RecurrentModel read(final Path file) throws IOException
    {
        final ModelFile mf = ModelFile.load(file);
        try
        {
            final JsonObject o = architecture(mf.metadata(ModelFile.ARCHITECTURE_KEY));
            final String type = string(o, "type");
            final String variant = string(o, "variant");
            if (!LmuFile.TYPE.equals(type) || !VARIANT.equals(variant))
            {
                throw new IllegalArgumentException("architecture type '" + type + "', variant '" + variant + "' is not a recurrent LMU (expected type '"
                    + LmuFile.TYPE + "', variant '" + VARIANT + "'); a feed-forward-in-time model is evaluated without --recurrent");
            }
            final String disc = string(o, "discretization");
            if (!disc.equals("zoh") && !disc.equals("euler"))
            {
                throw new IllegalArgumentException("architecture 'discretization' must be zoh or euler, got " + disc);
            }
            final LmuSpec spec = new LmuSpec(integer(o, "order"), number(o, "theta"), disc.equals("zoh"), integer(o, "steps"),
                integer(o, "readout_window"), integer(o, "hidden_size"), Activation.parse(string(o, "activation")), integer(o, "classes"));
            final RecurrentLmu.Options options = new RecurrentLmu.Options(bool(o, "hidden_to_memory"), bool(o, "memory_to_memory"),
                bool(o, "input_to_hidden"), bool(o, "hidden_recurrent"));
            final int inputs = integer(o, "input_size");
            if (inputs < 1)
            {
                throw new IllegalArgumentException("architecture 'input_size' must be >= 1, got " + inputs);
            }
            if (integer(o, "hidden_first_step") != 0)
            {
                throw new IllegalArgumentException("architecture 'hidden_first_step' must be 0 (the recurrent hidden layer runs every step)");
            }
            if (!"mean".equals(string(o, "readout")))
            {
                throw new IllegalArgumentException("architecture 'readout' must be 'mean', got " + string(o, "readout"));
            }
            final JsonObject quantized = object(o, "quantized");
            final JsonObject quantizer = object(o, "quantizer");
            if (bool(quantized, "memory") || bool(quantized, "input"))
            {
                throw new IllegalArgumentException("architecture 'quantized': only the hidden units can be quantized in a recurrent LMU");
            }
            if (number(quantizer, "amplitude") != 1.0)
            {
                throw new IllegalArgumentException("architecture 'quantizer.amplitude' must be 1.0, got " + number(quantizer, "amplitude"));
            }
            final RecurrentModel shape = new RecurrentModel(spec, options, inputs, new float[RecurrentLmu.layout(spec, options, inputs)[9]],
                false, 1.0, Map.of());
            final Map<String, int[]> shapes = shape.shapes();
            for (final Tensor t : mf.tensors())
            {
                if (!shapes.containsKey(t.name()))
                {
                    throw new IllegalArgumentException("tensor '" + t.name() + "' is not part of this architecture (options " + options
                        + "; expected tensors " + shapes.keySet() + ")");
                }
            }
            final float[] params = new float[shape.params.length];
            final String[] names = names();
            final int[] offsets = shape.offsets();
            for (int k = 0; k < names.length; k++)
            {
                if (offsets[k + 1] > offsets[k])
                {
                    final float[] v = mf.floats(names[k], shapes.get(names[k]));
                    System.arraycopy(v, 0, params, offsets[k], v.length);
                }
            }
            final Map<String, float[]> expected = shape.tensors();
            for (final String name : new String[] {LmuFile.MEMORY_A, LmuFile.MEMORY_B})
            {
                if (!Arrays.equals(mf.floats(name, shapes.get(name)), expected.get(name)))
                {
                    throw new IllegalArgumentException("tensor '" + name + "' differs from the " + disc + " Legendre memory of order " + spec.order()
                        + ", θ=" + spec.theta() + " (the recurrent trainer recomputes it from the architecture): re-export the model");
                }
            }
            final Map<String, String> extra = new LinkedHashMap<>(mf.metadata());
            extra.remove(ModelFile.FORMAT_KEY);
            extra.remove(ModelFile.VERSION_KEY);
            extra.remove(ModelFile.ARCHITECTURE_KEY);
            return new RecurrentModel(spec, options, inputs, params, bool(quantized, "hidden"), number(quantizer, "dt"), extra);
        }
        catch (final IllegalArgumentException | IllegalStateException | UnsupportedOperationException e)
        {
            throw new IllegalArgumentException("model file " + file + ": " + e.getMessage(), e);
        }
    }

    private static JsonObject architecture(final String json)
    {
        if (json == null)
        {
            throw new IllegalArgumentException("metadata lacks 'architecture'");
        }
        try
        {
            return com.google.gson.JsonParser.parseString(json).getAsJsonObject();
        }
        catch (final RuntimeException e)
        {
            throw new IllegalArgumentException("metadata 'architecture' is not a JSON object: " + e.getMessage(), e);
        }
    }

    private static JsonElement field(final JsonObject o, final String key)
    {
        final JsonElement e = o.get(key);
        if (e == null || e.isJsonNull())
        {
            throw new IllegalArgumentException("architecture lacks key '" + key + "'");
        }
        return e;
    }

    private static JsonObject object(final JsonObject o, final String key)
    {
        final JsonElement e = field(o, key);
        if (!e.isJsonObject())
        {
            throw new IllegalArgumentException("architecture '" + key + "' must be a JSON object, got " + e);
        }
        return e.getAsJsonObject();
    }

    private static String string(final JsonObject o, final String key)
    {
        return field(o, key).getAsString();
    }

    private static int integer(final JsonObject o, final String key)
    {
        final JsonElement e = field(o, key);
        try
        {
            return e.getAsInt();
        }
        catch (final RuntimeException notAnInt)
        {
            throw new IllegalArgumentException("architecture '" + key + "' must be an integer, got " + e);
        }
    }

    private static double number(final JsonObject o, final String key)
    {
        final JsonElement e = field(o, key);
        try
        {
            return e.getAsDouble();
        }
        catch (final RuntimeException notANumber)
        {
            throw new IllegalArgumentException("architecture '" + key + "' must be a number, got " + e);
        }
    }

    private static boolean bool(final JsonObject o, final String key)
    {
        final JsonElement e = field(o, key);
        if (!e.isJsonPrimitive() || !e.getAsJsonPrimitive().isBoolean())
        {
            throw new IllegalArgumentException("architecture '" + key + "' must be true or false, got " + e);
        }
        return e.getAsBoolean();
    }

    /** The parameters in {@link RecurrentLmu}'s layout (a copy), for the trainer's forward pass. */
    public float[] parameters()
    {
        return params.clone();
    }

    public LmuSpec spec()
    {
        return spec;
    }

    public RecurrentLmu.Options options()
    {
        return options;
    }

    public int inputs()
    {
        return inputs;
    }

    public boolean hiddenQuantized()
    {
        return hiddenQuantized;
    }

    public double dt()
    {
        return dt;
    }

    public Map<String, String> extraMetadata()
    {
        return extraMetadata;
    }
}
