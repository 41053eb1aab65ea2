package io.spikering.training;

import io.spikering.core.model.ModelFile;
import io.spikering.core.model.Tensor;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Reads and writes an {@link LmuModel} as a spikering model file (safetensors, float32; docs/model-format.md). */
public final class LmuModelFile
{
    private LmuModelFile()
    {
    }

    /** Writes the model (atomically, via ModelFile). */
    public static void write(final LmuModel model, final Path file) throws IOException
    {
        final Map<String, int[]> shapes = model.shapes();
        final List<Tensor> tensors = new ArrayList<>();
        for (final Map.Entry<String, float[]> e : model.tensors().entrySet())
        {
            tensors.add(Tensor.f32(e.getKey(), shapes.get(e.getKey()), e.getValue()));
        }
        final Path parent = file.toAbsolutePath().getParent();
        if (parent != null)
        {
            java.nio.file.Files.createDirectories(parent);
        }
        ModelFile.create(model.metadata(), tensors).write(file);
    }

    /** Loads a model file written by {@link #write}, checking format, architecture, tensor names, shapes and dtypes. */
    public static LmuModel read(final Path file) throws IOException
    {
        final ModelFile mf = ModelFile.load(file);
        final String arch = mf.metadata(ModelFile.ARCHITECTURE_KEY);
        final LmuModel shapeSource;
        try
        {
            // the architecture fixes the shapes; read it with placeholder tensors first to learn them
            shapeSource = LmuModel.fromArchitecture(arch, placeholders(arch), Map.of());
        }
        catch (final IllegalArgumentException e)
        {
            throw new IllegalArgumentException("model file " + file + ": " + e.getMessage(), e);
        }
        final Map<String, float[]> tensors = new LinkedHashMap<>();
        for (final Map.Entry<String, int[]> e : shapeSource.shapes().entrySet())
        {
            tensors.put(e.getKey(), mf.floats(e.getKey(), e.getValue()));
        }
        final Map<String, String> extra = new LinkedHashMap<>(mf.metadata());
        extra.remove(ModelFile.FORMAT_KEY);
        extra.remove(ModelFile.VERSION_KEY);
        extra.remove(ModelFile.ARCHITECTURE_KEY);
        try
        {
            return LmuModel.fromArchitecture(arch, tensors, extra);
        }
        catch (final IllegalArgumentException e)
        {
            throw new IllegalArgumentException("model file " + file + ": " + e.getMessage(), e);
        }
    }

    private static Map<String, float[]> placeholders(final String arch)
    {
        final com.google.gson.JsonObject o;
        try
        {
            o = com.google.gson.JsonParser.parseString(arch).getAsJsonObject();
        }
        catch (final RuntimeException e)
        {
            throw new IllegalArgumentException("metadata 'architecture' is not a JSON object: " + e.getMessage(), e);
        }
        final int d = o.has("order") ? o.get("order").getAsInt() : 0;
        final int n = o.has("hidden_size") ? o.get("hidden_size").getAsInt() : 0;
        final int c = o.has("classes") ? o.get("classes").getAsInt() : 0;
        if (d < 1 || n < 1 || c < 2 || (long)d * d > Integer.MAX_VALUE || (long)d * n > Integer.MAX_VALUE)
        {
            throw new IllegalArgumentException("architecture order/hidden_size/classes missing or out of range: " + d + "/" + n + "/" + c);
        }
        final Map<String, float[]> t = new LinkedHashMap<>();
        t.put(LmuModel.MEMORY_A, new float[d * d]);
        t.put(LmuModel.MEMORY_B, new float[d]);
        t.put(LmuModel.INPUT_ENCODER, new float[1]);
        t.put(LmuModel.HIDDEN_MEMORY_KERNEL, new float[d * n]);
        t.put(LmuModel.HIDDEN_INPUT_KERNEL, new float[n]);
        t.put(LmuModel.HIDDEN_BIAS, new float[n]);
        t.put(LmuModel.READOUT_KERNEL, new float[n * c]);
        t.put(LmuModel.READOUT_BIAS, new float[c]);
        return t;
    }
}
