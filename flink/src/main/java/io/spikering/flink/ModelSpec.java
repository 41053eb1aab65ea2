package io.spikering.flink;

import io.spikering.core.stream.StreamModel;

import java.io.IOException;
import java.io.Serializable;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A model as {@code stream run} opens it ({@link StreamModel#open}: an {@code lmu-predictor} such as the
 * Mackey-Glass predictor, or a psMNIST LMU classifier), carried in the job graph as the file's bytes so the job jar
 * runs unchanged on a cluster whose task managers cannot see the client's files.
 */
public final class ModelSpec implements Serializable
{
    private static final long serialVersionUID = 1L;

    private final String name;
    private final byte[] bytes;
    private final int autonomousAfter;
    private final String memoryMode;
    private final String memorySchedule;

    public ModelSpec(final String name, final byte[] bytes, final int autonomousAfter, final String memoryMode, final String memorySchedule)
    {
        this.name = name;
        this.bytes = bytes;
        this.autonomousAfter = autonomousAfter;
        this.memoryMode = memoryMode;
        this.memorySchedule = memorySchedule;
    }

    /** Reads the model file and opens it once, so a bad file or option fails here, on the client, naming the file. */
    public static ModelSpec load(final Path file, final int autonomousAfter, final String memoryMode, final String memorySchedule)
        throws IOException
    {
        if (!Files.isRegularFile(file))
        {
            throw new IllegalArgumentException("--model " + file + ": no such file (a model file, docs/model-format.md)");
        }
        final ModelSpec spec = new ModelSpec(file.getFileName().toString(), Files.readAllBytes(file), autonomousAfter, memoryMode,
            memorySchedule);
        try (StreamModel m = StreamModel.open(file, 0, autonomousAfter, memoryMode, memorySchedule))
        {
            if (m.inputWidth() != 1)
            {
                throw new IllegalArgumentException("--model " + file + " takes " + m.inputWidth() + " values per step; the records carry one");
            }
        }
        return spec;
    }

    public String name()
    {
        return name;
    }

    /** A new instance of the model on the calling thread's engine (no delivery threads, as {@code stream run --threads 0}). */
    public StreamModel open() throws IOException
    {
        final Path tmp = Files.createTempFile("spikering-model-", "-" + name);
        try
        {
            Files.write(tmp, bytes);
            return StreamModel.open(tmp, 0, autonomousAfter, memoryMode, memorySchedule);
        }
        finally
        {
            Files.deleteIfExists(tmp);
        }
    }
}
