package io.spikering.training;

import io.spikering.core.lmu.LmuFile;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Between the trainer's representation (an {@link LmuSpec}, {@link LmuParameters} over standardized memory features)
 * and the model file ({@link LmuFile}, the one reader and writer of the format; docs/model-format.md).
 */
public final class LmuExport
{
    private LmuExport()
    {
    }

    /**
     * Exports trained parameters: W_m' = W_m / std (per memory feature row), b' = b − Σ_i (mean_i/std_i)·W_m[i]
     * (computed in double, rounded once to float32), everything else copied.
     *
     * @param dt              the quantizer dt the model is meant to run at.
     * @param hiddenQuantized whether the hidden units are sigma-delta quantized.
     * @param extraMetadata   additional metadata keys (dataset, training provenance), values already strings.
     */
    public static LmuFile export(final LmuParameters params, final Standardization std, final MemoryMatrices memory, final double dt,
        final boolean hiddenQuantized, final Map<String, String> extraMetadata)
    {
        return export(params, std, memory, dt, hiddenQuantized, 0.0, extraMetadata);
    }

    /**
     * As {@link #export(LmuParameters, Standardization, MemoryMatrices, double, boolean, Map)}, and with {@code memoryDt} &gt; 0
     * with the memory-output quantizer: then nothing is folded. The standardization becomes the quantizer's input map,
     * gain = 1/std and offset = −mean/std (float32), and W_m and b stay as trained, applying to the quantizer's output
     * x̂ = count/dt_m (docs/model-format.md).
     */
    public static LmuFile export(final LmuParameters params, final Standardization std, final MemoryMatrices memory, final double dt,
        final boolean hiddenQuantized, final double memoryDt, final Map<String, String> extraMetadata)
    {
        if (memoryDt > 0.0)
        {
            return exportQuantizedMemory(params, std, memory, dt, hiddenQuantized, memoryDt, extraMetadata);
        }
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
        final Map<String, float[]> t = tensors(memory, wm, Arrays.copyOfRange(p, params.inputKernel(), params.inputKernel() + n), b,
            Arrays.copyOfRange(p, params.readoutKernel(), params.readoutKernel() + n * spec.classes()),
            Arrays.copyOfRange(p, params.readoutBias(), params.readoutBias() + spec.classes()));
        return LmuFile.create(architecture(spec, hiddenQuantized, dt, 1.0), t, extraMetadata);
    }

    private static LmuFile exportQuantizedMemory(final LmuParameters params, final Standardization std, final MemoryMatrices memory,
        final double dt, final boolean hiddenQuantized, final double memoryDt, final Map<String, String> extraMetadata)
    {
        final LmuSpec spec = params.spec();
        final int d = spec.order();
        final int n = spec.hidden();
        final float[] p = params.values();
        final float[] gain = new float[d];
        final float[] offset = new float[d];
        for (int i = 0; i < d; i++)
        {
            gain[i] = (float)(1.0 / std.std()[i]);
            offset[i] = (float)(-std.mean()[i] / std.std()[i]);
        }
        final Map<String, float[]> t = tensors(memory, Arrays.copyOfRange(p, params.memoryKernel(), params.memoryKernel() + d * n),
            Arrays.copyOfRange(p, params.inputKernel(), params.inputKernel() + n), Arrays.copyOfRange(p, params.hiddenBias(), params.hiddenBias() + n),
            Arrays.copyOfRange(p, params.readoutKernel(), params.readoutKernel() + n * spec.classes()),
            Arrays.copyOfRange(p, params.readoutBias(), params.readoutBias() + spec.classes()));
        t.put(LmuFile.MEMORY_QUANTIZER_GAIN, gain);
        t.put(LmuFile.MEMORY_QUANTIZER_OFFSET, offset);
        final LmuFile.Architecture a = architecture(spec, hiddenQuantized, dt, 1.0);
        return LmuFile.create(new LmuFile.Architecture(a.order(), a.theta(), a.zoh(), a.steps(), a.window(), a.hidden(), a.activation(),
            a.classes(), a.hiddenQuantized(), a.dt(), a.amplitude(), true, memoryDt), t, extraMetadata);
    }

    /**
     * Trainer parameters over features standardized by {@code std} from a model file, to continue training from it: a
     * file with a quantized memory already holds them; otherwise the folding of {@link #export} is undone,
     * W_m = W_m'·std, b = b' + Σ_i mean_i·W_m'[i] (in double, rounded once).
     */
    public static LmuParameters unfold(final LmuFile file, final Standardization std)
    {
        final LmuParameters p = parameters(file);
        if (file.memoryQuantized())
        {
            return p;
        }
        final LmuSpec spec = p.spec();
        final int d = spec.order();
        final int n = spec.hidden();
        final float[] v = p.values();
        final double[] bias = new double[n];
        for (int j = 0; j < n; j++)
        {
            bias[j] = v[p.hiddenBias() + j];
        }
        for (int i = 0; i < d; i++)
        {
            for (int j = 0; j < n; j++)
            {
                final double w = v[p.memoryKernel() + i * n + j];
                bias[j] += std.mean()[i] * w;
                v[p.memoryKernel() + i * n + j] = (float)(w * std.std()[i]);
            }
        }
        for (int j = 0; j < n; j++)
        {
            v[p.hiddenBias() + j] = (float)bias[j];
        }
        return p;
    }

    /**
     * The batched evaluator's features for a model file: raw memory features as they are, or for a quantized memory
     * mapped in place to the quantizer's input x = m·gain + offset.
     */
    public static MemoryFeatures evaluationFeatures(final LmuFile file, final MemoryFeatures raw)
    {
        if (file.memoryQuantized())
        {
            raw.affine(file.memoryGain(), file.memoryOffset());
        }
        return raw;
    }

    /** The tensors of a model by name, with encoder e = 1 and Ā, B̄ from {@code memory}. */
    public static Map<String, float[]> tensors(final MemoryMatrices memory, final float[] memoryKernel, final float[] inputKernel,
        final float[] hiddenBias, final float[] readoutKernel, final float[] readoutBias)
    {
        final int d = memory.b().length;
        final float[] a = new float[d * d];
        for (int i = 0; i < d; i++)
        {
            System.arraycopy(memory.a()[i], 0, a, i * d, d);
        }
        final Map<String, float[]> t = new LinkedHashMap<>();
        t.put(LmuFile.MEMORY_A, a);
        t.put(LmuFile.MEMORY_B, memory.b().clone());
        t.put(LmuFile.INPUT_ENCODER, new float[] {1.0f});
        t.put(LmuFile.HIDDEN_MEMORY_KERNEL, memoryKernel);
        t.put(LmuFile.HIDDEN_INPUT_KERNEL, inputKernel);
        t.put(LmuFile.HIDDEN_BIAS, hiddenBias);
        t.put(LmuFile.READOUT_KERNEL, readoutKernel);
        t.put(LmuFile.READOUT_BIAS, readoutBias);
        return t;
    }

    /** The file architecture of {@code spec} with the hidden quantizer as given. */
    public static LmuFile.Architecture architecture(final LmuSpec spec, final boolean hiddenQuantized, final double dt, final double amplitude)
    {
        return new LmuFile.Architecture(spec.order(), spec.theta(), spec.zoh(), spec.steps(), spec.window(), spec.hidden(), spec.activation(),
            spec.classes(), hiddenQuantized, dt, amplitude);
    }

    /** The trainer's shape of a model file. */
    public static LmuSpec spec(final LmuFile file)
    {
        return new LmuSpec(file.order(), file.theta(), file.zoh(), file.steps(), file.window(), file.hidden(), file.activation(), file.classes());
    }

    /** The file's Ā, B̄ as the trainer's memory matrices. */
    public static MemoryMatrices memory(final LmuFile file)
    {
        return MemoryMatrices.of(file.memoryAFloats(), file.memoryBFloats());
    }

    /** The file's weights as trainer parameters over unstandardized memory features (for fast batched evaluation). */
    public static LmuParameters parameters(final LmuFile file)
    {
        if (file.encoder() != 1.0f)
        {
            throw new IllegalArgumentException("model file " + file.source() + ": input encoder is " + file.encoder()
                + "; the batched evaluator supports only 1");
        }
        if (file.amplitude() != 1.0)
        {
            throw new IllegalArgumentException("model file " + file.source() + ": quantizer amplitude is " + file.amplitude()
                + "; the batched evaluator supports only 1");
        }
        final LmuParameters p = new LmuParameters(spec(file));
        final float[] v = p.values();
        final Map<String, float[]> t = file.tensors();
        copy(t.get(LmuFile.HIDDEN_MEMORY_KERNEL), v, p.memoryKernel());
        copy(t.get(LmuFile.HIDDEN_INPUT_KERNEL), v, p.inputKernel());
        copy(t.get(LmuFile.HIDDEN_BIAS), v, p.hiddenBias());
        copy(t.get(LmuFile.READOUT_KERNEL), v, p.readoutKernel());
        copy(t.get(LmuFile.READOUT_BIAS), v, p.readoutBias());
        return p;
    }

    private static void copy(final float[] from, final float[] to, final int offset)
    {
        System.arraycopy(from, 0, to, offset, from.length);
    }
}
