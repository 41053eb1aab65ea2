package io.spikering.interop.nir;

/**
 * A NIR file (or a graph to be written) that cannot be used: the message names the file, the node and the parameter,
 * and what is expected. Checked, so every caller decides how to report it (the CLI exits with code 2).
 */
public final class NirFormatException extends Exception
{
    private static final long serialVersionUID = 1L;

    public NirFormatException(final String message)
    {
        super(message);
    }

    public NirFormatException(final String message, final Throwable cause)
    {
        super(message, cause);
    }
}
