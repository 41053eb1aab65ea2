package io.spikering.core.energy;

import io.spikering.core.InputFiles;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import com.google.gson.JsonPrimitive;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A device's energy per operation, in picojoules, keyed by operation count ({@link OpKind}): a compute
 * cost and an optional memory cost (e.g. a weight fetch) for each count it charges. Energy of a run =
 * Σ count × (compute + memory). Loaded from JSON (docs/energy.md):
 * <pre>
 * {"name": "...", "description": "...", "sources": ["..."],
 *  "compute_pj": {"shift_adds": 0.9, "macs_effective": 4.6}, "memory_pj": {"row_adds": 5.0}, "notes": "..."}
 * </pre>
 */
public final class EnergyProfile
{
    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9._-]*");
    private static final Set<String> FIELDS = Set.of("name", "description", "sources", "compute_pj", "memory_pj", "notes");

    private final String name;
    private final String description;
    private final List<String> sources;
    private final String notes;
    private final double[] computePj = new double[OpKind.values().length];
    private final double[] memoryPj = new double[OpKind.values().length];

    private EnergyProfile(final String name, final String description, final List<String> sources, final String notes)
    {
        this.name = name;
        this.description = description;
        this.sources = Collections.unmodifiableList(sources);
        this.notes = notes;
    }

    /** Loads and validates a user profile file. */
    public static EnergyProfile load(final Path file) throws IOException
    {
        InputFiles.requireRegular("energy profile", file, "give a JSON profile file (see docs/energy.md) or a built-in profile name: "
            + EnergyProfiles.NAMES);
        return parse(new String(Files.readAllBytes(file), StandardCharsets.UTF_8), file.toString());
    }

    /** Parses and validates a profile; {@code origin} names it in messages. */
    public static EnergyProfile parse(final String json, final String origin)
    {
        final JsonObject o;
        try
        {
            final JsonElement e = JsonParser.parseString(json);
            if (!e.isJsonObject())
            {
                throw error(origin, "is not a JSON object");
            }
            o = e.getAsJsonObject();
        }
        catch (final JsonParseException e)
        {
            throw error(origin, "is not valid JSON: " + e.getMessage());
        }
        for (final String key : o.keySet())
        {
            if (!FIELDS.contains(key))
            {
                throw error(origin, "has an unknown field '" + key + "'; accepted: " + FIELDS);
            }
        }
        final String name = string(o, "name", origin, true);
        if (!NAME.matcher(name).matches())
        {
            throw error(origin, "field 'name' = '" + name + "' must match " + NAME.pattern());
        }
        final String description = string(o, "description", origin, true);
        final JsonElement src = o.get("sources");
        if (src == null || !src.isJsonArray() || src.getAsJsonArray().isEmpty())
        {
            throw error(origin, "field 'sources' must be a non-empty array of citations (where do the figures come from?)");
        }
        final List<String> sources = new ArrayList<>();
        for (final JsonElement s : (JsonArray)src)
        {
            if (!s.isJsonPrimitive() || !s.getAsJsonPrimitive().isString() || s.getAsString().isBlank())
            {
                throw error(origin, "field 'sources' must hold non-empty strings");
            }
            sources.add(s.getAsString());
        }
        final String notes = o.has("notes") ? string(o, "notes", origin, false) : "";
        final EnergyProfile p = new EnergyProfile(name, description, sources, notes);
        costs(o, "compute_pj", p.computePj, origin, true);
        costs(o, "memory_pj", p.memoryPj, origin, false);
        double total = 0;
        for (int i = 0; i < p.computePj.length; i++)
        {
            total += p.computePj[i] + p.memoryPj[i];
        }
        if (total <= 0)
        {
            throw error(origin, "charges nothing: give at least one positive cost in 'compute_pj'");
        }
        return p;
    }

    private static void costs(final JsonObject o, final String field, final double[] into, final String origin,
        final boolean required)
    {
        final JsonElement e = o.get(field);
        if (e == null)
        {
            if (required)
            {
                throw error(origin, "lacks '" + field + "': an object of picojoules per operation count, keys " +
                    OpKind.keys());
            }
            return;
        }
        if (!e.isJsonObject())
        {
            throw error(origin, "field '" + field + "' must be an object of picojoules per operation count");
        }
        for (final Map.Entry<String, JsonElement> c : e.getAsJsonObject().entrySet())
        {
            final OpKind kind;
            try
            {
                kind = OpKind.parse(c.getKey());
            }
            catch (final IllegalArgumentException ex)
            {
                throw error(origin, "field '" + field + "': " + ex.getMessage());
            }
            final JsonElement v = c.getValue();
            if (!v.isJsonPrimitive() || !((JsonPrimitive)v).isNumber())
            {
                throw error(origin, "field '" + field + "." + c.getKey() + "' must be a number of picojoules");
            }
            final double pj = v.getAsDouble();
            if (!(pj >= 0) || Double.isInfinite(pj))
            {
                throw error(origin, "field '" + field + "." + c.getKey() + "' = " + pj +
                    " must be a finite number of picojoules >= 0");
            }
            into[kind.ordinal()] = pj;
        }
    }

    private static String string(final JsonObject o, final String field, final String origin, final boolean nonEmpty)
    {
        final JsonElement e = o.get(field);
        if (e == null || !e.isJsonPrimitive() || !e.getAsJsonPrimitive().isString() ||
            (nonEmpty && e.getAsString().isBlank()))
        {
            throw error(origin, "field '" + field + "' must be a " + (nonEmpty ? "non-empty " : "") + "string");
        }
        return e.getAsString();
    }

    private static IllegalArgumentException error(final String origin, final String what)
    {
        return new IllegalArgumentException("energy profile " + origin + " " + what);
    }

    public String name()
    {
        return name;
    }

    public String description()
    {
        return description;
    }

    /** Citations of the figures. */
    public List<String> sources()
    {
        return sources;
    }

    /** Caveats, possibly empty. */
    public String notes()
    {
        return notes;
    }

    /** Compute energy per operation of this kind, picojoules (0 if not charged). */
    public double computePj(final OpKind kind)
    {
        return computePj[kind.ordinal()];
    }

    /** Memory energy per operation of this kind, picojoules (0 if not charged). */
    public double memoryPj(final OpKind kind)
    {
        return memoryPj[kind.ordinal()];
    }

    /** The counts this profile charges, with their compute and memory picojoules. */
    public Map<OpKind, double[]> charges()
    {
        final Map<OpKind, double[]> m = new EnumMap<>(OpKind.class);
        for (final OpKind k : OpKind.values())
        {
            if (computePj(k) > 0 || memoryPj(k) > 0)
            {
                m.put(k, new double[] {computePj(k), memoryPj(k)});
            }
        }
        return m;
    }

    /** The estimated energy of these counts on this device. */
    public EnergyEstimate estimate(final OpCounts counts)
    {
        return EnergyEstimate.of(this, counts);
    }

    @Override
    public String toString()
    {
        return name + ": " + description;
    }
}
