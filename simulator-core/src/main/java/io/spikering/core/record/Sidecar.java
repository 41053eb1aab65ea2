package io.spikering.core.record;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonParseException;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;

/** The JSON file next to the queue files that says what a recording holds ({@value #FILE_NAME}). */
final class Sidecar
{
    static final String FILE_NAME = "recording.json";
    static final String FORMAT = "spikering-spikes";
    static final int VERSION = 1;

    private static final Gson GSON = new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().create();

    /** The JSON shape; field names are the file format. */
    static final class Json
    {
        String format;
        int version;
        double dtMs;
        String model;
        String description;
        List<RecordingInfo.Population> populations;
        String excerpt;
        boolean complete;
        long stepsRecorded;
        long excerpts;
        long events;
    }

    private Sidecar()
    {
    }

    static void write(final Path dir, final RecordingInfo info, final boolean complete, final long stepsRecorded,
        final long excerpts, final long events) throws IOException
    {
        final Json json = new Json();
        json.format = FORMAT;
        json.version = VERSION;
        json.dtMs = info.dtMs();
        json.model = info.model();
        json.description = info.description();
        json.populations = info.populations();
        json.excerpt = "long step, int population, int n, then n pairs (int neuron, int count); little-endian";
        json.complete = complete;
        json.stepsRecorded = stepsRecorded;
        json.excerpts = excerpts;
        json.events = events;
        final Path tmp = dir.resolve(FILE_NAME + ".tmp");
        Files.writeString(tmp, GSON.toJson(json) + "\n", StandardCharsets.UTF_8);
        Files.move(tmp, dir.resolve(FILE_NAME), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    static Json read(final Path dir) throws IOException
    {
        final Path file = dir.resolve(FILE_NAME);
        if (!Files.isRegularFile(file))
        {
            throw new IOException("'" + dir + "' is not a spike recording: " + FILE_NAME +
                " is missing (record with --record DIR or SpikeRecorder.create)");
        }
        final Json json;
        try
        {
            json = GSON.fromJson(Files.readString(file, StandardCharsets.UTF_8), Json.class);
        }
        catch (final JsonParseException ex)
        {
            throw new IOException(file + ": not valid JSON: " + ex.getMessage(), ex);
        }
        if (json == null || !FORMAT.equals(json.format))
        {
            throw new IOException(file + ": field 'format' must be '" + FORMAT + "'");
        }
        if (json.version != VERSION)
        {
            throw new IOException(file + ": field 'version' is " + json.version + ", this reader reads version " + VERSION);
        }
        return json;
    }

    static RecordingInfo info(final Path dir, final Json json) throws IOException
    {
        try
        {
            return new RecordingInfo(json.dtMs, json.model, json.description, json.populations);
        }
        catch (final IllegalArgumentException ex)
        {
            throw new IOException(dir.resolve(FILE_NAME) + ": " + ex.getMessage(), ex);
        }
    }
}
