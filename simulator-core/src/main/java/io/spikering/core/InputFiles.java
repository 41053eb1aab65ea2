package io.spikering.core;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The one check of a file about to be read: its message says what is wrong ("does not exist" only when nothing is there). */
public final class InputFiles
{
    private InputFiles()
    {
    }

    /**
     * Throws unless {@code file} is a regular file, naming it as {@code what} (e.g. "model file") and adding {@code fix}
     * (may be empty) to the "does not exist" case.
     */
    public static Path requireRegular(final String what, final Path file, final String fix) throws IOException
    {
        if (!Files.exists(file))
        {
            throw new IOException(what + " " + file + " does not exist" + (fix.isEmpty() ? "" : "; " + fix));
        }
        if (Files.isDirectory(file))
        {
            throw new IOException(what + " " + file + " is a directory, not a file");
        }
        if (!Files.isRegularFile(file))
        {
            throw new IOException(what + " " + file + " is not a regular file (a device or pipe cannot be read as one)");
        }
        return file;
    }

    /** Throws unless {@code file} is a regular file of at most {@code maxBytes} bytes (checked before anything is read). */
    public static long requireSize(final String what, final Path file, final long maxBytes, final String why) throws IOException
    {
        requireRegular(what, file, "");
        final long size = Files.size(file);
        if (size > maxBytes)
        {
            throw new IOException(what + " " + file + " has " + size + " bytes, more than the " + maxBytes + " allowed (" + why + ")");
        }
        return size;
    }
}
