package io.spikering.core.energy;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The built-in device profiles, shipped as JSON resources {@code energy/NAME.json} (docs/energy.md). */
public final class EnergyProfiles
{
    /** Names of the built-in profiles, in report order. */
    public static final List<String> NAMES = List.of(
        "horowitz45-fp32", "horowitz45-fp32-sram", "horowitz45-int8",
        "loihi", "spinnaker", "spinnaker2",
        "cpu", "gpu", "arm");

    private static volatile List<EnergyProfile> builtIn;

    private EnergyProfiles()
    {
    }

    /** Every built-in profile, in {@link #NAMES} order. */
    public static List<EnergyProfile> builtIn()
    {
        List<EnergyProfile> list = builtIn;
        if (list == null)
        {
            final List<EnergyProfile> loaded = new ArrayList<>();
            for (final String name : NAMES)
            {
                loaded.add(loadResource(name));
            }
            list = List.copyOf(loaded);
            builtIn = list;
        }
        return list;
    }

    /** The built-in profile {@code name}; throws listing the names if unknown. */
    public static EnergyProfile builtIn(final String name)
    {
        for (final EnergyProfile p : builtIn())
        {
            if (p.name().equals(name))
            {
                return p;
            }
        }
        throw new IllegalArgumentException("unknown energy profile '" + name + "'; built-in: " + NAMES +
            ", or give the path of a JSON profile file");
    }

    /** A built-in profile by name, or else a profile file at that path. */
    public static EnergyProfile resolve(final String nameOrPath) throws IOException
    {
        return NAMES.contains(nameOrPath) ? builtIn(nameOrPath) : EnergyProfile.load(Path.of(nameOrPath));
    }

    private static EnergyProfile loadResource(final String name)
    {
        final String resource = "/energy/" + name + ".json";
        try (InputStream in = EnergyProfiles.class.getResourceAsStream(resource))
        {
            if (in == null)
            {
                throw new IllegalStateException("built-in energy profile resource " + resource + " is missing from the jar");
            }
            final EnergyProfile p = EnergyProfile.parse(new String(in.readAllBytes(), StandardCharsets.UTF_8), resource);
            if (!p.name().equals(name))
            {
                throw new IllegalStateException("resource " + resource + " is named '" + p.name() + "'");
            }
            return p;
        }
        catch (final IOException e)
        {
            throw new UncheckedIOException(e);
        }
    }
}
