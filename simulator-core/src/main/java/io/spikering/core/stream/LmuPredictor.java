package io.spikering.core.stream;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.spikering.core.engine.Network;
import io.spikering.core.engine.Port;
import io.spikering.core.engine.Quantization;
import io.spikering.core.model.ModelFile;
import io.spikering.core.model.Tensor;
import io.spikering.neuron.Activation;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A streaming LMU predictor (docs/model-format.md, "Mackey-Glass LMU predictor"): one scalar input u_t, a Legendre
 * memory m_t = Ā m_{t−1} + B̄ u_t of order d, a hidden layer h_t = Q(f(W_mᵀ m_t + W_xᵀ u_t + b_h)) of H units
 * (sigma-delta quantized, or f itself), and a linear readout y_t = W_oᵀ h_t + V_mᵀ m_t + V_xᵀ u_t + b_o of k outputs.
 * Nothing is recurrent except the memory, so the model runs continuously over a stream; it is reset at sequence
 * starts only if {@link #resetAtSequenceStart()}.
 */
public final class LmuPredictor
{
    public static final String TYPE = "lmu-predictor";
    public static final String MEMORY_A = "memory.A";
    public static final String MEMORY_B = "memory.B";
    public static final String HIDDEN_MEMORY_KERNEL = "hidden.memory_kernel";
    public static final String HIDDEN_INPUT_KERNEL = "hidden.input_kernel";
    public static final String HIDDEN_BIAS = "hidden.bias";
    public static final String READOUT_HIDDEN_KERNEL = "readout.hidden_kernel";
    public static final String READOUT_MEMORY_KERNEL = "readout.memory_kernel";
    public static final String READOUT_INPUT_KERNEL = "readout.input_kernel";
    public static final String READOUT_BIAS = "readout.bias";

    public final int order;
    public final double theta;
    public final int hidden;
    public final int outputs;
    public final Activation activation;
    public final boolean quantized;
    public final double dt;
    public final double amplitude;
    public final long seed;
    public final boolean resetAtSequenceStart;
    /** The hidden quantizer's threshold (counts) when it is Loihi 2's delta encoder; NaN for the paper's sigma-delta rule. */
    public final double deltaThreshold;
    /** Row-major float32 tensors by name (shapes in {@link #shapes()}). */
    public final Map<String, float[]> tensors;
    /** Extra metadata (task, training provenance). */
    public final Map<String, String> extra;

    public LmuPredictor(final int order, final double theta, final int hidden, final int outputs, final Activation activation,
        final boolean quantized, final double dt, final double amplitude, final long seed, final boolean resetAtSequenceStart,
        final Map<String, float[]> tensors, final Map<String, String> extra)
    {
        this(order, theta, hidden, outputs, activation, quantized, dt, amplitude, seed, resetAtSequenceStart, tensors, extra, Double.NaN);
    }

    /** As above; a non-NaN {@code deltaThreshold} makes the hidden quantizer Loihi 2's delta encoder (docs/delta-encoder.md). */
    public LmuPredictor(final int order, final double theta, final int hidden, final int outputs, final Activation activation,
        final boolean quantized, final double dt, final double amplitude, final long seed, final boolean resetAtSequenceStart,
        final Map<String, float[]> tensors, final Map<String, String> extra, final double deltaThreshold)
    {
        if (!Double.isNaN(deltaThreshold) && (!(deltaThreshold >= 0) || Double.isInfinite(deltaThreshold) || !quantized))
        {
            throw new IllegalArgumentException("lmu-predictor: a delta encoder needs a quantized hidden layer and a finite threshold >= 0, got " +
                deltaThreshold + (quantized ? "" : " on a non-quantized model"));
        }
        this.deltaThreshold = deltaThreshold;
        if (order < 1 || hidden < 1 || outputs < 1 || !(theta > 0) || !(dt > 0) || !(amplitude > 0))
        {
            throw new IllegalArgumentException("lmu-predictor: order, hidden_size, outputs must be >= 1 and theta, dt, amplitude > 0; got " +
                order + ", " + hidden + ", " + outputs + ", " + theta + ", " + dt + ", " + amplitude);
        }
        this.order = order;
        this.theta = theta;
        this.hidden = hidden;
        this.outputs = outputs;
        this.activation = activation;
        this.quantized = quantized;
        this.dt = dt;
        this.amplitude = amplitude;
        this.seed = seed;
        this.resetAtSequenceStart = resetAtSequenceStart;
        this.tensors = new LinkedHashMap<>(tensors);
        this.extra = new LinkedHashMap<>(extra);
        for (final Map.Entry<String, int[]> e : shapes().entrySet())
        {
            final float[] t = this.tensors.get(e.getKey());
            int n = 1;
            for (final int s : e.getValue())
            {
                n *= s;
            }
            if (t == null || t.length != n)
            {
                throw new IllegalArgumentException("lmu-predictor: tensor " + e.getKey() + " must have " + n + " values, got " +
                    (t == null ? "none" : t.length));
            }
        }
    }

    public boolean resetAtSequenceStart()
    {
        return resetAtSequenceStart;
    }

    /** Tensor shapes, in file order. */
    public Map<String, int[]> shapes()
    {
        final Map<String, int[]> s = new LinkedHashMap<>();
        s.put(MEMORY_A, new int[] {order, order});
        s.put(MEMORY_B, new int[] {order});
        s.put(HIDDEN_MEMORY_KERNEL, new int[] {order, hidden});
        s.put(HIDDEN_INPUT_KERNEL, new int[] {1, hidden});
        s.put(HIDDEN_BIAS, new int[] {hidden});
        s.put(READOUT_HIDDEN_KERNEL, new int[] {hidden, outputs});
        s.put(READOUT_MEMORY_KERNEL, new int[] {order, outputs});
        s.put(READOUT_INPUT_KERNEL, new int[] {1, outputs});
        s.put(READOUT_BIAS, new int[] {outputs});
        return s;
    }

    public String architectureJson()
    {
        final JsonObject o = new JsonObject();
        o.addProperty("type", TYPE);
        o.addProperty("inputs", 1);
        o.addProperty("order", order);
        o.addProperty("theta", theta);
        o.addProperty("hidden_size", hidden);
        o.addProperty("outputs", outputs);
        o.addProperty("activation", activation.name().toLowerCase(java.util.Locale.ROOT));
        o.addProperty("quantized", quantized);
        final JsonObject q = new JsonObject();
        q.addProperty("type", Double.isNaN(deltaThreshold) ? "sigma-delta" : "delta");
        q.addProperty("dt", dt);
        q.addProperty("amplitude", amplitude);
        q.addProperty("seed", seed);
        if (!Double.isNaN(deltaThreshold))
        {
            q.addProperty("threshold", deltaThreshold);
        }
        o.add("quantizer", q);
        o.addProperty("reset_at_sequence_start", resetAtSequenceStart);
        return o.toString();
    }

    public void write(final Path file) throws IOException
    {
        final List<Tensor> list = new ArrayList<>();
        for (final Map.Entry<String, int[]> e : shapes().entrySet())
        {
            list.add(Tensor.f32(e.getKey(), e.getValue(), tensors.get(e.getKey())));
        }
        final Map<String, String> meta = new LinkedHashMap<>();
        meta.put(ModelFile.ARCHITECTURE_KEY, architectureJson());
        meta.putAll(extra);
        final Path parent = file.toAbsolutePath().getParent();
        if (parent != null)
        {
            Files.createDirectories(parent);
        }
        ModelFile.create(meta, list).write(file);
    }

    /** True if the model file's architecture type is {@value #TYPE}. */
    public static boolean isPredictor(final ModelFile file)
    {
        final var arch = file.architecture();
        return arch.isJsonObject() && arch.getAsJsonObject().has("type") &&
            TYPE.equals(arch.getAsJsonObject().get("type").getAsString());
    }

    public static LmuPredictor read(final Path path) throws IOException
    {
        final ModelFile file = ModelFile.load(path);
        final JsonObject o;
        try
        {
            o = JsonParser.parseString(file.metadata(ModelFile.ARCHITECTURE_KEY)).getAsJsonObject();
            if (!TYPE.equals(o.get("type").getAsString()))
            {
                throw new IllegalArgumentException("architecture type is '" + o.get("type").getAsString() + "', expected '" + TYPE + "'");
            }
            final int d = o.get("order").getAsInt();
            final int h = o.get("hidden_size").getAsInt();
            final int k = o.get("outputs").getAsInt();
            if (o.get("inputs").getAsInt() != 1)
            {
                throw new IllegalArgumentException("only inputs = 1 is supported, got " + o.get("inputs"));
            }
            final JsonObject q = o.getAsJsonObject("quantizer");
            final Map<String, float[]> tensors = new LinkedHashMap<>();
            final LmuPredictor shape = new LmuPredictor(d, o.get("theta").getAsDouble(), h, k, Activation.TANH, false, 1, 1, 0, false,
                placeholder(d, h, k), Map.of());
            for (final Map.Entry<String, int[]> e : shape.shapes().entrySet())
            {
                tensors.put(e.getKey(), file.floats(e.getKey(), e.getValue()));
            }
            final Map<String, String> extra = new LinkedHashMap<>(file.metadata());
            extra.remove(ModelFile.FORMAT_KEY);
            extra.remove(ModelFile.VERSION_KEY);
            extra.remove(ModelFile.ARCHITECTURE_KEY);
            return new LmuPredictor(d, o.get("theta").getAsDouble(), h, k, Activation.parse(o.get("activation").getAsString()),
                o.get("quantized").getAsBoolean(), q.get("dt").getAsDouble(), q.get("amplitude").getAsDouble(), q.get("seed").getAsLong(),
                o.get("reset_at_sequence_start").getAsBoolean(), tensors, extra, deltaThreshold(q));
        }
        catch (final RuntimeException e)
        {
            throw new IllegalArgumentException("model file " + path + ": not a valid " + TYPE + " model: " + e.getMessage(), e);
        }
    }

    private static double deltaThreshold(final JsonObject quantizer)
    {
        final String type = quantizer.has("type") ? quantizer.get("type").getAsString() : "sigma-delta";
        if (!"sigma-delta".equals(type) && !"delta".equals(type))
        {
            throw new IllegalArgumentException("quantizer.type must be 'sigma-delta' or 'delta', got '" + type + "'");
        }
        return "delta".equals(type) ? quantizer.get("threshold").getAsDouble() : Double.NaN;
    }

    private static Map<String, float[]> placeholder(final int d, final int h, final int k)
    {
        final Map<String, float[]> t = new LinkedHashMap<>();
        t.put(MEMORY_A, new float[d * d]);
        t.put(MEMORY_B, new float[d]);
        t.put(HIDDEN_MEMORY_KERNEL, new float[d * h]);
        t.put(HIDDEN_INPUT_KERNEL, new float[h]);
        t.put(HIDDEN_BIAS, new float[h]);
        t.put(READOUT_HIDDEN_KERNEL, new float[h * k]);
        t.put(READOUT_MEMORY_KERNEL, new float[d * k]);
        t.put(READOUT_INPUT_KERNEL, new float[k]);
        t.put(READOUT_BIAS, new float[k]);
        return t;
    }

    /** Population ids of the network built by {@link #buildNetwork()}. */
    public static final int INPUT = 0;
    public static final int MEMORY = 1;
    public static final int HIDDEN = 2;
    public static final int OUTPUT = 3;

    /** The model as an engine network: input → memory (state space) → hidden (sigma-delta or rate) → output (linear). */
    public Network buildNetwork()
    {
        final Network.Builder b = Network.builder();
        final int in = b.input("input", 1);
        final double[][] a = new double[order][order];
        final double[] bb = new double[order];
        final float[] af = tensors.get(MEMORY_A);
        final float[] bf = tensors.get(MEMORY_B);
        for (int i = 0; i < order; i++)
        {
            for (int j = 0; j < order; j++)
            {
                a[i][j] = af[i * order + j];
            }
            bb[i] = bf[i];
        }
        final int mem = b.stateSpace("memory", 1, a, bb);
        final int hid = quantized ?
            b.sigmaDelta("hidden", hidden, Double.isNaN(deltaThreshold) ? new Quantization(activation, dt, amplitude, seed) :
                Quantization.delta(activation, dt, amplitude, deltaThreshold)) :
            b.rate("hidden", hidden, activation);
        final int out = b.rate("output", outputs, Activation.LINEAR);
        b.connect(in, mem).name("input->memory").denseMacsPerStep(0).dense(new float[][] {{1f}}); // weight 1: B̄ u directly
        b.connect(mem, hid).name(HIDDEN_MEMORY_KERNEL).dense(rows(HIDDEN_MEMORY_KERNEL, order, hidden));
        b.connect(in, hid).name(HIDDEN_INPUT_KERNEL).dense(rows(HIDDEN_INPUT_KERNEL, 1, hidden));
        b.bias(hid, tensors.get(HIDDEN_BIAS).clone());
        b.connect(hid, out).name(READOUT_HIDDEN_KERNEL).port(Double.isNaN(deltaThreshold) ? Port.EXCITATORY : Port.SIGMA)
            .dense(rows(READOUT_HIDDEN_KERNEL, hidden, outputs));
        b.connect(mem, out).name(READOUT_MEMORY_KERNEL).dense(rows(READOUT_MEMORY_KERNEL, order, outputs));
        b.connect(in, out).name(READOUT_INPUT_KERNEL).dense(rows(READOUT_INPUT_KERNEL, 1, outputs));
        b.bias(out, tensors.get(READOUT_BIAS).clone());
        if (in != INPUT || mem != MEMORY || hid != HIDDEN || out != OUTPUT)
        {
            throw new IllegalStateException("population ids changed");
        }
        return b.build();
    }

    private float[][] rows(final String name, final int r, final int c)
    {
        final float[] flat = tensors.get(name);
        final float[][] m = new float[r][c];
        for (int i = 0; i < r; i++)
        {
            System.arraycopy(flat, i * c, m[i], 0, c);
        }
        return m;
    }
}
