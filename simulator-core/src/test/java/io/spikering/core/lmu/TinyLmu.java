package io.spikering.core.lmu;

import com.google.gson.JsonObject;
import io.spikering.core.model.ModelFile;
import io.spikering.core.model.Tensor;
import io.spikering.neuron.LegendreMemory;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/** Tiny LMU model files written by hand (architecture JSON and tensor names of docs/model-format.md), independently of LmuFile.create. */
final class TinyLmu
{
    static final int ORDER = 4;
    static final int STEPS = 12;
    static final int WINDOW = 3;
    static final int HIDDEN = 3;
    static final int CLASSES = 2;

    private TinyLmu()
    {
    }

    static JsonObject architecture(final double dt)
    {
        final JsonObject o = new JsonObject();
        o.addProperty("type", "lmu");
        o.addProperty("variant", "feed-forward-in-time");
        o.addProperty("input_size", 1);
        o.addProperty("steps", STEPS);
        o.addProperty("order", ORDER);
        o.addProperty("theta", 10.0);
        o.addProperty("discretization", "zoh");
        o.addProperty("hidden_size", HIDDEN);
        o.addProperty("activation", "tanh");
        o.addProperty("classes", CLASSES);
        o.addProperty("hidden_to_memory", false);
        o.addProperty("memory_to_memory", false);
        o.addProperty("input_to_hidden", true);
        o.addProperty("hidden_recurrent", false);
        o.addProperty("hidden_first_step", STEPS - WINDOW);
        o.addProperty("readout", "mean");
        o.addProperty("readout_window", WINDOW);
        final JsonObject q = new JsonObject();
        q.addProperty("hidden", true);
        q.addProperty("memory", false);
        q.addProperty("input", false);
        o.add("quantized", q);
        final JsonObject quantizer = new JsonObject();
        quantizer.addProperty("type", "sigma-delta");
        quantizer.addProperty("dt", dt);
        quantizer.addProperty("amplitude", 1.0);
        quantizer.addProperty("initial_voltage", "uniform[0,1) at hidden_first_step");
        o.add("quantizer", quantizer);
        return o;
    }

    /** Tensors by name: Ā, B̄ of a ZOH Legendre memory (float32), random kernels with all entries non-zero. */
    static Map<String, Tensor> tensors(final long seed)
    {
        final Random rnd = new Random(seed);
        final LegendreMemory lmu = LegendreMemory.zoh(ORDER, 10.0);
        final float[] a = new float[ORDER * ORDER];
        for (int i = 0; i < ORDER; i++)
        {
            for (int j = 0; j < ORDER; j++)
            {
                a[i * ORDER + j] = (float)lmu.a()[i][j];
            }
        }
        final float[] b = new float[ORDER];
        for (int i = 0; i < ORDER; i++)
        {
            b[i] = (float)lmu.b()[i];
        }
        final Map<String, Tensor> t = new LinkedHashMap<>();
        t.put(LmuFile.MEMORY_A, Tensor.f32(LmuFile.MEMORY_A, new int[] {ORDER, ORDER}, a));
        t.put(LmuFile.MEMORY_B, Tensor.f32(LmuFile.MEMORY_B, new int[] {ORDER}, b));
        t.put(LmuFile.INPUT_ENCODER, Tensor.f32(LmuFile.INPUT_ENCODER, new int[] {1}, new float[] {1.0f}));
        t.put(LmuFile.HIDDEN_MEMORY_KERNEL, Tensor.f32(LmuFile.HIDDEN_MEMORY_KERNEL, new int[] {ORDER, HIDDEN}, random(rnd, ORDER * HIDDEN, 2.0)));
        t.put(LmuFile.HIDDEN_INPUT_KERNEL, Tensor.f32(LmuFile.HIDDEN_INPUT_KERNEL, new int[] {1, HIDDEN}, random(rnd, HIDDEN, 1.0)));
        t.put(LmuFile.HIDDEN_BIAS, Tensor.f32(LmuFile.HIDDEN_BIAS, new int[] {HIDDEN}, random(rnd, HIDDEN, 0.3)));
        t.put(LmuFile.READOUT_KERNEL, Tensor.f32(LmuFile.READOUT_KERNEL, new int[] {HIDDEN, CLASSES}, random(rnd, HIDDEN * CLASSES, 1.0)));
        t.put(LmuFile.READOUT_BIAS, Tensor.f32(LmuFile.READOUT_BIAS, new int[] {CLASSES}, random(rnd, CLASSES, 0.1)));
        return t;
    }

    static ModelFile file(final JsonObject architecture, final Map<String, Tensor> tensors)
    {
        final Map<String, String> meta = new LinkedHashMap<>();
        meta.put("architecture", architecture.toString());
        meta.put("dataset", "{\"name\":\"psmnist\",\"permutation_seed\":0}");
        return ModelFile.create(meta, new ArrayList<>(tensors.values()));
    }

    static ModelFile file(final double dt, final long seed)
    {
        return file(architecture(dt), tensors(seed));
    }

    /** Pixels in [0, 1] with zeros on about half the steps. */
    static float[] pixels(final Random rnd, final int steps)
    {
        final float[] p = new float[steps];
        for (int t = 0; t < steps; t++)
        {
            p[t] = rnd.nextBoolean() ? 0f : rnd.nextInt(256) / 255f;
        }
        return p;
    }

    private static float[] random(final Random rnd, final int n, final double scale)
    {
        final float[] v = new float[n];
        for (int i = 0; i < n; i++)
        {
            float x;
            do
            {
                x = (float)(scale * (2 * rnd.nextDouble() - 1));
            }
            while (x == 0f);
            v[i] = x;
        }
        return v;
    }

    static List<Tensor> without(final Map<String, Tensor> tensors, final String name)
    {
        final List<Tensor> l = new ArrayList<>(tensors.values());
        l.removeIf(t -> t.name().equals(name));
        return l;
    }
}
