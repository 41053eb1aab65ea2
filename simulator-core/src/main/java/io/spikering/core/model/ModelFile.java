package io.spikering.core.model;

import com.google.gson.JsonElement;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A spikering model: ordered named tensors plus string metadata, stored as one safetensors file
 * (docs/model-format.md). Metadata carries {@code format = spikering-model}, {@code format_version = 1}
 * and the architecture as JSON under {@code architecture}. Construction refuses duplicate names and
 * NaN/infinite values; {@link #tensor(String, int...)} refuses missing tensors and wrong shapes, naming the
 * file, the tensor and the expected shape.
 */
public final class ModelFile
{
    public static final String FORMAT_KEY = "format";
    public static final String FORMAT = "spikering-model";
    public static final String VERSION_KEY = "format_version";
    public static final String VERSION = "1";
    public static final String ARCHITECTURE_KEY = "architecture";

    private final Path source;
    private final Map<String, String> metadata;
    private final Map<String, Tensor> tensors;

    /**
     * A model from metadata and tensors (kept in order). {@code source} names the file in messages (null
     * for a model built in memory). Use {@link #create} to get the format keys added.
     */
    public ModelFile(final Path source, final Map<String, String> metadata, final List<Tensor> tensors)
    {
        this.source = source;
        this.metadata = Collections.unmodifiableMap(new LinkedHashMap<>(metadata));
        final Map<String, Tensor> byName = new LinkedHashMap<>();
        for (final Tensor t : tensors)
        {
            if (byName.put(t.name(), t) != null)
            {
                throw new ModelFormatException(where() + ": tensor name '" + t.name() + "' occurs twice");
            }
            final int bad = t.firstNonFinite();
            if (bad >= 0)
            {
                throw new ModelFormatException(where() + ": tensor '" + t.name() + "' holds " +
                    t.getAsDouble(bad) + " at index " + t.indexOf(bad) + " (flat " + bad + "); a model with " +
                    "NaN or infinite values cannot be run: retrain or re-export it");
            }
        }
        this.tensors = Collections.unmodifiableMap(byName);
    }

    /** A new in-memory spikering model: {@code format} and {@code format_version} first, then {@code metadata}. */
    public static ModelFile create(final Map<String, String> metadata, final List<Tensor> tensors)
    {
        final Map<String, String> m = new LinkedHashMap<>();
        m.put(FORMAT_KEY, FORMAT);
        m.put(VERSION_KEY, VERSION);
        for (final Map.Entry<String, String> e : metadata.entrySet())
        {
            if (!m.containsKey(e.getKey()))
            {
                m.put(e.getKey(), e.getValue());
            }
        }
        return new ModelFile(null, m, tensors);
    }

    /** Reads a safetensors file without checking that it is a spikering model (for inspection). */
    public static ModelFile read(final Path file) throws IOException
    {
        return SafeTensors.read(file);
    }

    /** Reads a spikering model file and checks its format and version. */
    public static ModelFile load(final Path file) throws IOException
    {
        final ModelFile m = SafeTensors.read(file);
        m.checkFormat();
        return m;
    }

    /** Writes this model as a safetensors file (atomically). */
    public void write(final Path file) throws IOException
    {
        SafeTensors.write(this, file);
    }

    /** Throws unless the metadata says {@code format = spikering-model} and a supported version. */
    public void checkFormat()
    {
        final String format = metadata.get(FORMAT_KEY);
        if (!FORMAT.equals(format))
        {
            throw new ModelFormatException(where() + " is not a spikering model: metadata '" + FORMAT_KEY + "' is " +
                (format == null ? "missing" : "'" + format + "'") + ", expected '" + FORMAT + "' (models exported by " +
                "the spikering trainer carry it; ./spikering inspect shows what the file holds)");
        }
        final String version = metadata.get(VERSION_KEY);
        if (!VERSION.equals(version))
        {
            throw new ModelFormatException(where() + " has " + VERSION_KEY + " " +
                (version == null ? "missing" : "'" + version + "'") + "; this build reads version " + VERSION +
                " only (use a matching spikering version or re-export the model)");
        }
    }

    /** The file this model was read from, or null. */
    public Path source()
    {
        return source;
    }

    /** Metadata in file order (unmodifiable). */
    public Map<String, String> metadata()
    {
        return metadata;
    }

    /** A metadata value; throws naming the file and key if it is missing. */
    public String metadata(final String key)
    {
        final String v = metadata.get(key);
        if (v == null)
        {
            throw new ModelFormatException(where() + " lacks the metadata key '" + key + "' (present: " +
                metadata.keySet() + ")");
        }
        return v;
    }

    /** The JSON value under {@link #ARCHITECTURE_KEY}, parsed. */
    public JsonElement architecture()
    {
        final String json = metadata(ARCHITECTURE_KEY);
        try
        {
            return JsonParser.parseString(json);
        }
        catch (final JsonParseException e)
        {
            throw new ModelFormatException(where() + ": metadata '" + ARCHITECTURE_KEY + "' is not valid JSON: " +
                e.getMessage());
        }
    }

    /** Tensors in file order (unmodifiable). */
    public List<Tensor> tensors()
    {
        return List.copyOf(tensors.values());
    }

    public boolean hasTensor(final String name)
    {
        return tensors.containsKey(name);
    }

    /** The tensor {@code name}; throws naming the file and the available tensors if it is missing. */
    public Tensor tensor(final String name)
    {
        final Tensor t = tensors.get(name);
        if (t == null)
        {
            throw new ModelFormatException(where() + " has no tensor '" + name + "' (present: " + tensors.keySet() +
                ")");
        }
        return t;
    }

    /** The tensor {@code name}, which must have exactly {@code expectedShape}. */
    public Tensor tensor(final String name, final int... expectedShape)
    {
        final Tensor t = tensors.get(name);
        if (t == null)
        {
            throw new ModelFormatException(where() + " has no tensor '" + name + "' (expected shape " +
                Arrays.toString(expectedShape) + "; present: " + tensors.keySet() + ")");
        }
        if (!Arrays.equals(t.shape(), expectedShape))
        {
            throw new ModelFormatException(where() + ": tensor '" + name + "' has shape " + Arrays.toString(t.shape()) +
                ", expected " + Arrays.toString(expectedShape) + " (the architecture metadata and the tensors " +
                "disagree: re-export the model)");
        }
        return t;
    }

    /** Float32 data of tensor {@code name}, which must have dtype F32 and exactly {@code expectedShape}. */
    public float[] floats(final String name, final int... expectedShape)
    {
        final Tensor t = tensor(name, expectedShape);
        if (t.dtype() != DType.F32)
        {
            throw new ModelFormatException(where() + ": tensor '" + name + "' has dtype " + t.dtype() +
                ", expected F32");
        }
        return t.floats();
    }

    private String where()
    {
        return source == null ? "model" : "model file " + source;
    }
}
