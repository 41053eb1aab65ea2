package io.spikering.core.stream;

import io.spikering.core.data.MackeyGlass;
import io.spikering.core.data.PixelSequences;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Sample sources for {@link StreamFeeder}: Mackey-Glass series, psMNIST pixel sequences, CSV files. */
public final class Sources
{
    private Sources()
    {
    }

    /** One sequence of values (width 1). */
    public static StreamFeeder.Source series(final double[] values)
    {
        return sequences(List.of(values));
    }

    /** Several scalar sequences, each flagged start and end. */
    public static StreamFeeder.Source sequences(final List<double[]> sequences)
    {
        return new StreamFeeder.Source()
        {
            private int seq;
            private int step;

            public int width()
            {
                return 1;
            }

            public int next(final float[] v)
            {
                while (seq < sequences.size() && step >= sequences.get(seq).length)
                {
                    seq++;
                    step = 0;
                }
                if (seq >= sequences.size())
                {
                    return -1;
                }
                final double[] s = sequences.get(seq);
                v[0] = (float)s[step];
                int flags = step == 0 ? SampleWire.FLAG_SEQUENCE_START : 0;
                flags |= step == s.length - 1 ? SampleWire.FLAG_SEQUENCE_END : 0;
                step++;
                return flags;
            }
        };
    }

    /** NeuroBench Mackey-Glass repeats 0..repeats−1 (start offsets 37.5·k time units), one sequence each. */
    public static StreamFeeder.Source mackeyGlass(final int repeats)
    {
        final MackeyGlass mg = MackeyGlass.neuroBench();
        final List<double[]> list = new ArrayList<>();
        for (int k = 0; k < repeats; k++)
        {
            list.add(mg.neuroBenchSeries(k * 0.5 * MackeyGlass.POINTS_PER_LYAPUNOV_TIME));
        }
        return sequences(list);
    }

    /** Pixel sequences (one image = one sequence of 784 single-pixel steps, labelled). */
    public static StreamFeeder.Source pixels(final PixelSequences data)
    {
        return new StreamFeeder.Source()
        {
            private int sample;
            private int step;
            private int label = -1;

            public int width()
            {
                return 1;
            }

            public int next(final float[] v)
            {
                if (sample >= data.size())
                {
                    return -1;
                }
                v[0] = data.pixel(sample, step);
                label = data.label(sample);
                int flags = step == 0 ? SampleWire.FLAG_SEQUENCE_START : 0;
                flags |= step == data.steps() - 1 ? SampleWire.FLAG_SEQUENCE_END : 0;
                if (++step == data.steps())
                {
                    step = 0;
                    sample++;
                }
                return flags;
            }

            public int label()
            {
                return label;
            }
        };
    }

    /**
     * A CSV file: one sample per line, comma-separated numbers (all lines the same width); an empty line ends a
     * sequence; a first line that is not numeric is a header and skipped. Errors name the line.
     */
    public static StreamFeeder.Source csv(final Path file) throws IOException
    {
        final List<float[]> rows = new ArrayList<>();
        final List<Boolean> starts = new ArrayList<>();
        int width = -1;
        boolean newSequence = true;
        try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8))
        {
            String line;
            int lineNo = 0;
            while ((line = r.readLine()) != null)
            {
                lineNo++;
                line = line.strip();
                if (line.isEmpty())
                {
                    newSequence = true;
                    continue;
                }
                final String[] cells = line.split(",", -1);
                final float[] row = new float[cells.length];
                try
                {
                    for (int i = 0; i < cells.length; i++)
                    {
                        row[i] = Float.parseFloat(cells[i].strip());
                        if (!Float.isFinite(row[i]))
                        {
                            throw new IOException(file + " line " + lineNo + " column " + (i + 1) + ": value " + cells[i] +
                                " is not finite");
                        }
                    }
                }
                catch (final NumberFormatException e)
                {
                    if (lineNo == 1)
                    {
                        continue;
                    }
                    throw new IOException(file + " line " + lineNo + ": not a number (" + e.getMessage() + "); expected comma-separated floats");
                }
                if (width >= 0 && row.length != width)
                {
                    throw new IOException(file + " line " + lineNo + ": " + row.length + " values, earlier lines have " + width);
                }
                width = row.length;
                rows.add(row);
                starts.add(newSequence);
                newSequence = false;
            }
        }
        if (rows.isEmpty())
        {
            throw new IOException(file + " holds no samples (expected lines of comma-separated floats)");
        }
        final int w = width;
        return new StreamFeeder.Source()
        {
            private int i;

            public int width()
            {
                return w;
            }

            public int next(final float[] v)
            {
                if (i >= rows.size())
                {
                    return -1;
                }
                System.arraycopy(rows.get(i), 0, v, 0, w);
                int flags = starts.get(i) ? SampleWire.FLAG_SEQUENCE_START : 0;
                flags |= i + 1 == rows.size() || starts.get(i + 1) ? SampleWire.FLAG_SEQUENCE_END : 0;
                i++;
                return flags;
            }
        };
    }
}
