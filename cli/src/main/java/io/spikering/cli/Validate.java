package io.spikering.cli;

import io.spikering.core.InputFiles;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The option checks the commands share: each refuses a value it cannot honour (instead of silently using a default)
 * with an {@link IllegalArgumentException} naming the option, the value and what is accepted; {@link Main} turns it
 * into exit code 2. Output paths are checked before any work is done, so a long run does not end in a path error.
 */
final class Validate
{
    private Validate()
    {
    }

    /** A positive finite number, or null (the option was not given: the command's default applies). */
    static Double positiveFinite(final String option, final Double value)
    {
        if (value != null && (!(value > 0.0) || Double.isInfinite(value)))
        {
            throw new IllegalArgumentException(option + " must be a positive finite number, got " + value);
        }
        return value;
    }

    /** A thread count where 0 means "available cores"; negative values are refused. */
    static int threads(final String option, final int value, final int max)
    {
        if (value < 0 || value > max)
        {
            throw new IllegalArgumentException(option + " must be in [0, " + max + "] (0 = available cores), got " + value);
        }
        return value > 0 ? value : Math.min(max, Runtime.getRuntime().availableProcessors());
    }

    /** {@code min <= value <= max}. */
    static long range(final String option, final long value, final long min, final long max)
    {
        if (value < min || value > max)
        {
            throw new IllegalArgumentException(option + " must be in [" + min + ", " + max + "], got " + value);
        }
        return value;
    }

    /** A directory the command will create or write into: not an existing file, and no file on the way to it. */
    static Path outputDirectory(final String option, final Path dir)
    {
        if (dir == null)
        {
            return null;
        }
        if (Files.exists(dir) && !Files.isDirectory(dir))
        {
            throw new IllegalArgumentException(option + " " + dir + ": is a file, not a directory");
        }
        blockingAncestor(option, dir);
        if (Files.isDirectory(dir) && !Files.isWritable(dir))
        {
            throw new IllegalArgumentException(option + " " + dir + ": the directory is not writable");
        }
        return dir;
    }

    /** A file the command will write (its directory is created): not a directory, and no file on the way to it. */
    static Path outputFile(final String option, final Path file)
    {
        if (file == null)
        {
            return null;
        }
        if (Files.isDirectory(file))
        {
            throw new IllegalArgumentException(option + " " + file + ": is a directory, not a file");
        }
        blockingAncestor(option, file);
        if (Files.exists(file) && !Files.isWritable(file))
        {
            throw new IllegalArgumentException(option + " " + file + ": the file is not writable");
        }
        return file;
    }

    /** A file the command reads: "does not exist" only when nothing is there. */
    static Path inputFile(final String option, final Path file) throws IOException
    {
        return InputFiles.requireRegular(option, file, "");
    }

    /** Refuses a path whose nearest existing ancestor is not a directory (e.g. /etc/passwd/x). */
    private static void blockingAncestor(final String option, final Path path)
    {
        for (Path p = path.toAbsolutePath().getParent(); p != null; p = p.getParent())
        {
            if (Files.exists(p))
            {
                if (!Files.isDirectory(p))
                {
                    throw new IllegalArgumentException(option + " " + path + ": " + p + " is a file, not a directory");
                }
                return;
            }
        }
    }
}
