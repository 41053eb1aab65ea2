package io.spikering.interop.nir;

import java.net.URISyntaxException;
import java.nio.file.Path;

/** Paths of the NIR fixtures in src/test/resources/nir (see the README there for their source and licence). */
public final class Fixtures
{
    public static final String[] GRAPHS = {"lif_norse.nir", "lif_rockpool.nir", "braille_noDelay_bias_zero.nir", "cnn_sinabs.nir"};

    private Fixtures()
    {
    }

    public static Path nir(final String name)
    {
        try
        {
            return Path.of(Fixtures.class.getResource("/nir/" + name).toURI());
        }
        catch (final URISyntaxException | NullPointerException e)
        {
            throw new IllegalStateException("missing test resource /nir/" + name, e);
        }
    }
}
