package io.spikering.core.model;

/** A model file is malformed, incomplete or not what the caller needs; the message names the file and tensor. */
public final class ModelFormatException extends IllegalArgumentException
{
    private static final long serialVersionUID = 1L;

    public ModelFormatException(final String message)
    {
        super(message);
    }
}
