package io.spikering.training;

import io.spikering.core.lmu.LmuFile;
import io.spikering.core.model.ModelFile;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A trained recurrent LMU cell ({@link RecurrentLmu} equations, KerasLMU's options) as a model file of the recurrent
 * variant: {@link LmuFile} reads, writes and validates the file (docs/model-format.md, "Recurrent LMU tensors"); this
 * class maps the trainer's parameter vector to and from its tensors. Ā and B̄ are stored for consumers; the trainer
 * recomputes them from the architecture, so {@link #read} requires them to be exactly those.
 */
public final class RecurrentModel
{
    public static final String VARIANT = LmuFile.RECURRENT;
    public static final String INPUT_ENCODER = LmuFile.INPUT_ENCODER;
    public static final String HIDDEN_ENCODER = LmuFile.HIDDEN_ENCODER;
    public static final String MEMORY_ENCODER = LmuFile.MEMORY_ENCODER;
    public static final String RECURRENT_KERNEL = LmuFile.RECURRENT_KERNEL;

    /** Tensor names of the parameter blocks, in {@link RecurrentLmu#layout} order. */
    private static final String[] BLOCKS = {INPUT_ENCODER, HIDDEN_ENCODER, MEMORY_ENCODER, LmuFile.HIDDEN_MEMORY_KERNEL,
        LmuFile.HIDDEN_INPUT_KERNEL, RECURRENT_KERNEL, LmuFile.HIDDEN_BIAS, LmuFile.READOUT_KERNEL, LmuFile.READOUT_BIAS};

    private final LmuSpec spec;
    private final RecurrentLmu.Options options;
    private final int inputs;
    private final float[] params;
    private final LmuFile file;

    /**
     * @param params          parameters in {@link RecurrentLmu}'s layout (copied).
     * @param hiddenQuantized whether the hidden units are sigma-delta quantized when the model runs.
     * @param dt              the quantizer dt the model is meant to run at (> 0, recorded even when not quantized).
     * @param extraMetadata   additional metadata keys (dataset, training provenance), values already strings.
     */
    public RecurrentModel(final LmuSpec spec, final RecurrentLmu.Options options, final int inputs, final float[] params,
        final boolean hiddenQuantized, final double dt, final Map<String, String> extraMetadata)
    {
        final int[] offsets = RecurrentLmu.layout(spec, options, inputs);
        if (params.length != offsets[9])
        {
            throw new IllegalArgumentException("recurrent LMU " + spec + ", " + options + " has " + offsets[9] + " parameters, got " + params.length);
        }
        final Map<String, float[]> tensors = memory(spec);
        for (int k = 0; k < BLOCKS.length; k++)
        {
            if (offsets[k + 1] > offsets[k])
            {
                tensors.put(BLOCKS[k], finite(BLOCKS[k], Arrays.copyOfRange(params, offsets[k], offsets[k + 1])));
            }
        }
        this.spec = spec;
        this.options = options;
        this.inputs = inputs;
        this.params = params.clone();
        this.file = LmuFile.create(new LmuFile.Architecture(spec.order(), spec.theta(), spec.zoh(), spec.steps(), spec.window(), spec.hidden(),
            spec.activation(), spec.classes(), hiddenQuantized, dt, 1.0, false, 0.0, new LmuFile.Recurrence(inputs, options.hiddenToMemory(),
            options.memoryToMemory(), options.inputToHidden(), options.hiddenRecurrent())), tensors, extraMetadata);
    }

    private RecurrentModel(final LmuSpec spec, final RecurrentLmu.Options options, final int inputs, final float[] params, final LmuFile file)
    {
        this.spec = spec;
        this.options = options;
        this.inputs = inputs;
        this.params = params;
        this.file = file;
    }

    /** Ā and B̄ of {@code spec} as float32 tensors, row-major. */
    private static Map<String, float[]> memory(final LmuSpec spec)
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
        return t;
    }

    // the trainer's message names the parameter block and the index within it
    private static float[] finite(final String name, final float[] block)
    {
        for (int i = 0; i < block.length; i++)
        {
            if (!Float.isFinite(block[i]))
            {
                throw new IllegalArgumentException("tensor '" + name + "' holds " + block[i] + " at flat index " + i + "; the model cannot run");
            }
        }
        return block;
    }

    /** Tensor shapes by name, in file order: Ā, B̄, then the parameter blocks the options enable. */
    public Map<String, int[]> shapes()
    {
        return LmuFile.shapes(file.architecture());
    }

    /** Tensor data by name, in file order (copies). */
    public Map<String, float[]> tensors()
    {
        return file.tensors();
    }

    /** Metadata for the model file: {@code architecture} then the extra keys, in order. */
    public Map<String, String> metadata()
    {
        final Map<String, String> m = new LinkedHashMap<>();
        m.put(ModelFile.ARCHITECTURE_KEY, LmuFile.architectureJson(file.architecture()));
        m.putAll(file.extraMetadata());
        return m;
    }

    /** Writes the model file (atomically), creating parent directories. */
    public void write(final Path path) throws IOException
    {
        file.write(path);
    }

    /**
     * Loads a recurrent model file: {@link LmuFile} validates it; this checks that the trainer can take it (amplitude 1,
     * Ā and B̄ exactly the architecture's). Errors name the file and the field.
     */
    public static RecurrentModel read(final Path path) throws IOException
    {
        final ModelFile mf = ModelFile.load(path);
        if (!LmuFile.isRecurrent(mf))
        {
            throw notRecurrent(path);
        }
        return of(LmuFile.of(mf));
    }

    /** The trainer's view of a recurrent {@link LmuFile}, checked as {@link #read} does. */
    public static RecurrentModel of(final LmuFile lmu)
    {
        final LmuFile.Architecture a = lmu.architecture();
        final LmuFile.Recurrence r = a.recurrence();
        if (r == null)
        {
            throw notRecurrent(lmu.source());
        }
        final String where = "model file " + lmu.source() + ": ";
        if (a.amplitude() != 1.0)
        {
            throw new IllegalArgumentException(where + "architecture 'quantizer.amplitude' must be 1.0 for the recurrent trainer, got " + a.amplitude());
        }
        final LmuSpec spec;
        try
        {
            spec = new LmuSpec(a.order(), a.theta(), a.zoh(), a.steps(), a.window(), a.hidden(), a.activation(), a.classes());
        }
        catch (final IllegalArgumentException e)
        {
            throw new IllegalArgumentException(where + e.getMessage(), e);
        }
        final Map<String, float[]> tensors = lmu.tensors();
        for (final Map.Entry<String, float[]> e : memory(spec).entrySet())
        {
            if (!Arrays.equals(tensors.get(e.getKey()), e.getValue()))
            {
                throw new IllegalArgumentException(where + "tensor '" + e.getKey() + "' differs from the " + (spec.zoh() ? "zoh" : "euler")
                    + " Legendre memory of order " + spec.order() + ", θ=" + spec.theta()
                    + " (the recurrent trainer recomputes it from the architecture): re-export the model");
            }
        }
        final RecurrentLmu.Options options = new RecurrentLmu.Options(r.hiddenToMemory(), r.memoryToMemory(), r.inputToHidden(), r.hiddenRecurrent());
        final int[] offsets = RecurrentLmu.layout(spec, options, r.inputs());
        final float[] params = new float[offsets[9]];
        for (int k = 0; k < BLOCKS.length; k++)
        {
            if (offsets[k + 1] > offsets[k])
            {
                System.arraycopy(tensors.get(BLOCKS[k]), 0, params, offsets[k], offsets[k + 1] - offsets[k]);
            }
        }
        return new RecurrentModel(spec, options, r.inputs(), params, lmu);
    }

    private static IllegalArgumentException notRecurrent(final Path path)
    {
        return new IllegalArgumentException("model file " + path + ": architecture is not a recurrent LMU (expected type '" + LmuFile.TYPE
            + "', variant '" + VARIANT + "'); a feed-forward-in-time model is evaluated without --recurrent");
    }

    /** The parameters in {@link RecurrentLmu}'s layout (a copy), for the trainer's forward pass. */
    public float[] parameters()
    {
        return params.clone();
    }

    /** The model file this model reads from or writes. */
    public LmuFile file()
    {
        return file;
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
        return file.hiddenQuantized();
    }

    public double dt()
    {
        return file.dt();
    }

    public Map<String, String> extraMetadata()
    {
        return file.extraMetadata();
    }
}
