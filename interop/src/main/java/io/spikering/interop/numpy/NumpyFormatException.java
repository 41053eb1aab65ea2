package io.spikering.interop.numpy;

/** A NumPy file that cannot be used as asked: the message names the file, the array and what was expected. */
public final class NumpyFormatException extends Exception
{
    private static final long serialVersionUID = 1L;

    public NumpyFormatException(final String message)
    {
        super(message);
    }

    public NumpyFormatException(final String message, final Throwable cause)
    {
        super(message, cause);
    }
}
