package io.spikering.training;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.spikering.neuron.Activation;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A trained parallel LMU as it is exported: float32 tensors with the memory standardization folded into the
 * hidden kernel and bias, plus the architecture description. See docs/model-format.md, "LMU tensors".
 *
 * <p>Network, per time-step t = 0..T−1 with input pixel p_t: u_t = e·p_t; m_t = Ā m_{t−1} + B̄ u_t (m_{−1} = 0);
 * for t ≥ T−K: z_t = W_mᵀ m_t + W_xᵀ p_t + b, h_t = Q(z_t) (sigma-delta quantizer of f, or f itself when not
 * quantized); logits = W_outᵀ (Σ_{t≥T−K} h_t / K) + b_out.
 */
public final class LmuModel
{
    public static final String MEMORY_A = "lmu.memory.A";
    public static final String MEMORY_B = "lmu.memory.B";
    public static final String INPUT_ENCODER = "lmu.memory.input_encoder";
    public static final String HIDDEN_MEMORY_KERNEL = "lmu.hidden.memory_kernel";
    public static final String HIDDEN_INPUT_KERNEL = "lmu.hidden.input_kernel";
    public static final String HIDDEN_BIAS = "lmu.hidden.bias";
    public static final String READOUT_KERNEL = "readout.kernel";
    public static final String READOUT_BIAS = "readout.bias";
    public static final String ARCHITECTURE_TYPE = "lmu";
    public static final String VARIANT = "feed-forward-in-time";

    private final LmuSpec spec;
    private final float[] a;
    private final float[] b;
    private final float[] encoder;
    private final float[] memoryKernel;
    private final float[] inputKernel;
    private final float[] hiddenBias;
    private final float[] readoutKernel;
    private final float[] readoutBias;
    private final boolean hiddenQuantized;
    private final double dt;
    private final double amplitude;
    private final Map<String, String> extraMetadata;

    LmuModel(final LmuSpec spec, final float[] a, final float[] b, final float[] encoder, final float[] memoryKernel, final float[] inputKernel,
        final float[] hiddenBias, final float[] readoutKernel, final float[] readoutBias, final boolean hiddenQuantized, final double dt,
        final double amplitude, final Map<String, String> extraMetadata)
    {
        final int d = spec.order();
        final int n = spec.hidden();
        final int c = spec.classes();
        check(MEMORY_A, a, d * d);
        check(MEMORY_B, b, d);
        check(INPUT_ENCODER, encoder, 1);
        check(HIDDEN_MEMORY_KERNEL, memoryKernel, d * n);
        check(HIDDEN_INPUT_KERNEL, inputKernel, n);
        check(HIDDEN_BIAS, hiddenBias, n);
        check(READOUT_KERNEL, readoutKernel, n * c);
        check(READOUT_BIAS, readoutBias, c);
        if (!(dt > 0.0) || Double.isInfinite(dt) || !(amplitude > 0.0) || Double.isInfinite(amplitude))
        {
            throw new IllegalArgumentException("quantizer dt and amplitude must be positive and finite, got dt=" + dt + ", amplitude=" + amplitude);
        }
        this.spec = spec;
        this.a = a;
        this.b = b;
        this.encoder = encoder;
        this.memoryKernel = memoryKernel;
        this.inputKernel = inputKernel;
        this.hiddenBias = hiddenBias;
        this.readoutKernel = readoutKernel;
        this.readoutBias = readoutBias;
        this.hiddenQuantized = hiddenQuantized;
        this.dt = dt;
        this.amplitude = amplitude;
        this.extraMetadata = new LinkedHashMap<>(extraMetadata);
    }

    private static void check(final String name, final float[] v, final int expected)
    {
        if (v.length != expected)
        {
            throw new IllegalArgumentException("tensor '" + name + "' has " + v.length + " elements, expected " + expected);
        }
        for (int i = 0; i < v.length; i++)
        {
            if (!Float.isFinite(v[i]))
            {
                throw new IllegalArgumentException("tensor '" + name + "' holds " + v[i] + " at flat index " + i + "; the model cannot run");
            }
        }
    }

    /**
     * Exports trained parameters: W_m' = W_m / std (per memory feature row), b' = b − Σ_i (mean_i/std_i)·W_m[i]
     * (computed in double, rounded once to float32), everything else copied.
     *
     * @param dt              the quantizer dt the model is meant to run at.
     * @param hiddenQuantized whether the hidden units are sigma-delta quantized.
     * @param extraMetadata   additional metadata keys (dataset, training provenance), values already strings.
     */
    public static LmuModel export(final LmuParameters params, final Standardization std, final MemoryMatrices memory, final double dt,
        final boolean hiddenQuantized, final Map<String, String> extraMetadata)
    {
        final LmuSpec spec = params.spec();
        final int d = spec.order();
        final int n = spec.hidden();
        final float[] p = params.values();
        final float[] wm = new float[d * n];
        final double[] bias = new double[n];
        for (int j = 0; j < n; j++)
        {
            bias[j] = p[params.hiddenBias() + j];
        }
        for (int i = 0; i < d; i++)
        {
            final double inv = 1.0 / std.std()[i];
            final double shift = std.mean()[i] * inv;
            for (int j = 0; j < n; j++)
            {
                final double w = p[params.memoryKernel() + i * n + j];
                wm[i * n + j] = (float)(w * inv);
                bias[j] -= shift * w;
            }
        }
        final float[] b = new float[n];
        for (int j = 0; j < n; j++)
        {
            b[j] = (float)bias[j];
        }
        final float[] a = new float[d * d];
        for (int i = 0; i < d; i++)
        {
            System.arraycopy(memory.a()[i], 0, a, i * d, d);
        }
        return new LmuModel(spec, a, memory.b().clone(), new float[] {1.0f}, wm,
            java.util.Arrays.copyOfRange(p, params.inputKernel(), params.inputKernel() + n), b,
            java.util.Arrays.copyOfRange(p, params.readoutKernel(), params.readoutKernel() + n * spec.classes()),
            java.util.Arrays.copyOfRange(p, params.readoutBias(), params.readoutBias() + spec.classes()),
            hiddenQuantized, dt, 1.0, extraMetadata);
    }

    /** The architecture JSON (metadata key {@code architecture}). */
    public String architectureJson()
    {
        final JsonObject o = new JsonObject();
        o.addProperty("type", ARCHITECTURE_TYPE);
        o.addProperty("variant", VARIANT);
        o.addProperty("input_size", 1);
        o.addProperty("steps", spec.steps());
        o.addProperty("order", spec.order());
        o.addProperty("theta", spec.theta());
        o.addProperty("discretization", spec.discretization());
        o.addProperty("hidden_size", spec.hidden());
        o.addProperty("activation", spec.activation().name().toLowerCase(java.util.Locale.ROOT));
        o.addProperty("classes", spec.classes());
        o.addProperty("hidden_to_memory", false);
        o.addProperty("memory_to_memory", false);
        o.addProperty("input_to_hidden", true);
        o.addProperty("hidden_recurrent", false);
        o.addProperty("hidden_first_step", spec.firstHiddenStep());
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
        quantizer.addProperty("amplitude", amplitude);
        quantizer.addProperty("initial_voltage", "uniform[0,1) at hidden_first_step");
        o.add("quantizer", quantizer);
        o.addProperty("accumulation_order", "memory features ascending, then input, then bias");
        return GSON.toJson(o);
    }

    static final Gson GSON = new GsonBuilder().disableHtmlEscaping().create();

    /** Metadata for the model file: {@code architecture} then the extra keys, in order. */
    public Map<String, String> metadata()
    {
        final Map<String, String> m = new LinkedHashMap<>();
        m.put("architecture", architectureJson());
        m.putAll(extraMetadata);
        return m;
    }

    /** Rebuilds a model from its architecture JSON and tensors (row-major float32, shapes checked by length). */
    public static LmuModel fromArchitecture(final String architectureJson, final Map<String, float[]> tensors, final Map<String, String> extra)
    {
        final JsonObject o;
        try
        {
            o = JsonParser.parseString(architectureJson).getAsJsonObject();
        }
        catch (final RuntimeException e)
        {
            throw new IllegalArgumentException("metadata 'architecture' is not a JSON object: " + e.getMessage(), e);
        }
        final String type = string(o, "type");
        final String variant = string(o, "variant");
        if (!ARCHITECTURE_TYPE.equals(type) || !VARIANT.equals(variant))
        {
            throw new IllegalArgumentException("architecture type '" + type + "', variant '" + variant + "' is not supported; expected type '"
                + ARCHITECTURE_TYPE + "', variant '" + VARIANT + "'");
        }
        final String disc = string(o, "discretization");
        if (!disc.equals("zoh") && !disc.equals("euler"))
        {
            throw new IllegalArgumentException("architecture 'discretization' must be zoh or euler, got " + disc);
        }
        final LmuSpec spec = new LmuSpec(integer(o, "order"), number(o, "theta"), disc.equals("zoh"), integer(o, "steps"),
            integer(o, "readout_window"), integer(o, "hidden_size"), Activation.parse(string(o, "activation")), integer(o, "classes"));
        if (integer(o, "hidden_first_step") != spec.firstHiddenStep())
        {
            throw new IllegalArgumentException("architecture 'hidden_first_step' must be steps − readout_window = " + spec.firstHiddenStep());
        }
        final JsonObject quantizer = o.getAsJsonObject("quantizer");
        final JsonObject quantized = o.getAsJsonObject("quantized");
        if (quantizer == null || quantized == null)
        {
            throw new IllegalArgumentException("architecture lacks 'quantizer' or 'quantized'");
        }
        return new LmuModel(spec, tensor(tensors, MEMORY_A), tensor(tensors, MEMORY_B), tensor(tensors, INPUT_ENCODER),
            tensor(tensors, HIDDEN_MEMORY_KERNEL), tensor(tensors, HIDDEN_INPUT_KERNEL), tensor(tensors, HIDDEN_BIAS),
            tensor(tensors, READOUT_KERNEL), tensor(tensors, READOUT_BIAS), quantized.get("hidden").getAsBoolean(),
            number(quantizer, "dt"), number(quantizer, "amplitude"), extra);
    }

    private static float[] tensor(final Map<String, float[]> tensors, final String name)
    {
        final float[] v = tensors.get(name);
        if (v == null)
        {
            throw new IllegalArgumentException("model lacks tensor '" + name + "'");
        }
        return v;
    }

    private static String string(final JsonObject o, final String key)
    {
        if (!o.has(key))
        {
            throw new IllegalArgumentException("architecture lacks key '" + key + "'");
        }
        return o.get(key).getAsString();
    }

    private static int integer(final JsonObject o, final String key)
    {
        if (!o.has(key))
        {
            throw new IllegalArgumentException("architecture lacks key '" + key + "'");
        }
        return o.get(key).getAsInt();
    }

    private static double number(final JsonObject o, final String key)
    {
        if (!o.has(key))
        {
            throw new IllegalArgumentException("architecture lacks key '" + key + "'");
        }
        return o.get(key).getAsDouble();
    }

    /** Tensor shapes by name, in export order. */
    public Map<String, int[]> shapes()
    {
        final int d = spec.order();
        final int n = spec.hidden();
        final Map<String, int[]> s = new LinkedHashMap<>();
        s.put(MEMORY_A, new int[] {d, d});
        s.put(MEMORY_B, new int[] {d});
        s.put(INPUT_ENCODER, new int[] {1});
        s.put(HIDDEN_MEMORY_KERNEL, new int[] {d, n});
        s.put(HIDDEN_INPUT_KERNEL, new int[] {1, n});
        s.put(HIDDEN_BIAS, new int[] {n});
        s.put(READOUT_KERNEL, new int[] {n, spec.classes()});
        s.put(READOUT_BIAS, new int[] {spec.classes()});
        return s;
    }

    /** Tensor data by name, in export order (live arrays). */
    public Map<String, float[]> tensors()
    {
        final Map<String, float[]> t = new LinkedHashMap<>();
        t.put(MEMORY_A, a);
        t.put(MEMORY_B, b);
        t.put(INPUT_ENCODER, encoder);
        t.put(HIDDEN_MEMORY_KERNEL, memoryKernel);
        t.put(HIDDEN_INPUT_KERNEL, inputKernel);
        t.put(HIDDEN_BIAS, hiddenBias);
        t.put(READOUT_KERNEL, readoutKernel);
        t.put(READOUT_BIAS, readoutBias);
        return t;
    }

    /** These weights as trainer parameters over unstandardized memory features (for fast batched evaluation). */
    public LmuParameters asParameters()
    {
        final LmuParameters p = new LmuParameters(spec);
        final float[] v = p.values();
        System.arraycopy(memoryKernel, 0, v, p.memoryKernel(), memoryKernel.length);
        System.arraycopy(inputKernel, 0, v, p.inputKernel(), inputKernel.length);
        System.arraycopy(hiddenBias, 0, v, p.hiddenBias(), hiddenBias.length);
        System.arraycopy(readoutKernel, 0, v, p.readoutKernel(), readoutKernel.length);
        System.arraycopy(readoutBias, 0, v, p.readoutBias(), readoutBias.length);
        if (encoder[0] != 1.0f)
        {
            throw new IllegalArgumentException("input encoder is " + encoder[0] + "; the batched evaluator supports only 1");
        }
        if (amplitude != 1.0)
        {
            throw new IllegalArgumentException("quantizer amplitude is " + amplitude + "; the batched evaluator supports only 1");
        }
        return p;
    }

    public MemoryMatrices memory()
    {
        return MemoryMatrices.of(a, b);
    }

    public LmuSpec spec()
    {
        return spec;
    }

    public boolean hiddenQuantized()
    {
        return hiddenQuantized;
    }

    public double dt()
    {
        return dt;
    }

    public double amplitude()
    {
        return amplitude;
    }

    public Map<String, String> extraMetadata()
    {
        return extraMetadata;
    }
}
